/** Shapes shared by the importers: what a format reader yields and what an imported record adds. */
import type { Problem, SampleRecord, Usage, VerifierKind } from '../core/types.ts';
import type { DatasetLocations } from '../datasets/types.ts';
import type { ProblemTimeLimit } from '../core/problem-time-limit.ts';

/** One recorded sample as a format reader found it. */
export interface ImportedSample {
  /** The sample text (completion; for code, the body the prompt continues). */
  text: string;
  /** Sample index within its problem when the source states one; otherwise the importer numbers samples in order. */
  index?: number;
  /** Seed the source states for the sample; defaults to the index (base seed 0). */
  seed?: number;
  /** The source's own verdict, when it recorded one (`is_corrects`, `score`, `exact_match`). */
  recorded?: {
    /** Recorded correctness. */
    correct: boolean;
    /** Answer the source extracted, when it recorded one (null = none extracted). */
    answer?: string | null;
  };
  /** Token usage, when the source recorded it. */
  usage?: Usage;
}

/** Where a problem's samples belong: model, dataset and sampling settings of the cell. */
export interface ImportedCell {
  /** Model label. */
  model: string;
  /** Dataset id (e.g. `math`, `gsm8k`, `humaneval`). */
  dataset: string;
  /** Sampling temperature, when known (0 when unknown). */
  temperature: number;
  /** Thinking budget (0 = none, the default for recorded samples). */
  thinkingBudget?: number;
}

/** One problem with its recorded samples, as a format reader yields it (one problem in memory at a time). */
export interface ImportedProblem {
  /** Cell the samples belong to. */
  cell: ImportedCell;
  /** The problem: id, question and gold answer (or code tests) as the source gives them. */
  problem: Problem;
  /** Which verifier re-grades these samples. */
  verifierKind: VerifierKind;
  /** The time limit a run judged the problem with (a run directory's problems.jsonl), kept in the import's. */
  timeLimit?: ProblemTimeLimit;
  /** The samples, in the source's order. */
  samples: ImportedSample[];
}

/** Options passed to a format reader. */
export interface FormatReadOptions {
  /** Read at most this many problems (default: all). */
  limit?: number;
  /** Model label to use instead of the one the reader infers. */
  model?: string;
  /** Dataset id to use instead of the one the reader infers. */
  dataset?: string;
  /** Sampling temperature to record instead of the one the reader infers. */
  temperature?: number;
  /** Where built-in datasets are found, for sources whose tests live in the dataset (CodeContests). */
  locations?: DatasetLocations;
}

/** A reader of one recorded-samples format. */
export interface FormatReader {
  /** Format name as given to `--format`. */
  readonly name: ImportFormatName;
  /** Streams the problems of a file or folder, one problem (with all its samples) at a time. */
  read(source: string, options: FormatReadOptions): AsyncGenerator<ImportedProblem>;
}

/** The formats `scaling-bench import` reads. */
export const IMPORT_FORMATS = ['monkey-business', 'lm-eval', 'jsonl', 'codet', 'qwen-math'] as const;

/** One of IMPORT_FORMATS. */
export type ImportFormatName = (typeof IMPORT_FORMATS)[number];

/** A sample record written by import: a SampleRecord that also keeps the source's own verdict. */
export interface ImportedSampleRecord extends SampleRecord {
  /** The recorded verdict, kept beside a regraded `verdict` so agreement can be reported. */
  recorded?: { correct: boolean };
}
