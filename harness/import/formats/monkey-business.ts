/**
 * The Large Language Monkeys release (`ScalingIntelligence/monkey_business`): one row per problem
 * with `question`, `prompt`, `samples[]`, `is_corrects[]`, `gt_answer` and maybe `orig_dataset_idx`
 * (`orig_dset_idx` in the CodeContests configs). Reads parquet (one row group at a time), JSON or
 * JSON Lines; a folder is read file by file.
 *
 * CodeContests rows carry no tests: they are joined by `orig_dset_idx` (the problem's index in
 * CodeContests' test split) with the built-in `code_contests` dataset, when it can be found, so
 * `--regrade` runs each program on the problem's stdin/stdout tests.
 */
import { basename, sep } from 'node:path';
import { z } from 'zod';
import { DatasetError } from '../../core/errors.ts';
import type { Problem, VerifierKind } from '../../core/types.ts';
import { loadCodeContests } from '../../datasets/stdio-datasets.ts';
import type { DatasetLocations } from '../../datasets/types.ts';
import { extractRecordedAnswer } from '../recorded-answer.ts';
import { readRows } from '../read-records.ts';
import { listSourceFiles } from '../source-files.ts';
import type { FormatReader, FormatReadOptions, ImportedCell, ImportedProblem } from '../types.ts';

const rowSchema = z.object({
  question: z.string().nullish(),
  prompt: z.string().nullish(),
  samples: z.array(z.string()),
  is_corrects: z.array(z.boolean()).nullish(),
  gt_answer: z.union([z.string(), z.number()]).nullish(),
  orig_dataset_idx: z.union([z.number(), z.bigint(), z.string()]).nullish(),
  orig_dset_idx: z.union([z.number(), z.bigint(), z.string()]).nullish(),
});

/** Datasets of the release, by the prefix of its config names (`MATH_Llama-3-8B-Instruct`). */
const DATASET_PREFIXES: ReadonlyArray<{ prefix: string; dataset: string; verifier: VerifierKind }> = [
  { prefix: 'gsm8k', dataset: 'gsm8k', verifier: 'gsm8k' },
  { prefix: 'math', dataset: 'math', verifier: 'math' },
  { prefix: 'minif2f-math', dataset: 'minif2f-math', verifier: 'exact' },
  { prefix: 'codecontests', dataset: 'code_contests', verifier: 'stdio' },
];

/** Temperature the Large Language Monkeys samples were drawn at (Brown et al. 2024, section 2). */
const MONKEY_BUSINESS_TEMPERATURE = 0.6;

/**
 * Model and dataset from a config name such as `MATH_Llama-3-8B-Instruct` found in the source path
 * (the Hub cache keeps configs as folders), or undefined when none matches.
 */
export function parseMonkeyBusinessConfig(name: string): { dataset: string; model: string; verifier: VerifierKind } | undefined {
  const underscore = name.indexOf('_');
  if (underscore <= 0) return undefined;
  const prefix = name.slice(0, underscore).toLowerCase();
  const known = DATASET_PREFIXES.find((entry) => entry.prefix === prefix);
  if (!known) return undefined;
  return { dataset: known.dataset, model: name.slice(underscore + 1), verifier: known.verifier };
}

function inferCell(path: string, options: FormatReadOptions): { cell: ImportedCell; verifier: VerifierKind } {
  const segments = path.split(sep).reverse().map((segment) => segment.replace(/\.(parquet|jsonl|ndjson|json)$/, ''));
  const parsed = segments.map(parseMonkeyBusinessConfig).find((value) => value !== undefined);
  const dataset = options.dataset ?? parsed?.dataset ?? basename(path).replace(/\.[^.]+$/, '');
  const verifier = parsed?.verifier ?? (dataset.includes('gsm8k') ? 'gsm8k' : 'math');
  return {
    cell: { model: options.model ?? parsed?.model ?? 'unknown-model', dataset, temperature: options.temperature ?? MONKEY_BUSINESS_TEMPERATURE },
    verifier,
  };
}

/**
 * CodeContests' test problems by index, loaded once on first use; an empty map when the dataset
 * cannot be found (the samples are then imported without tests, and a regrade says what to do).
 */
function codeContestsJoin(locations: DatasetLocations | undefined): () => Promise<Map<string, Problem>> {
  let loaded: Promise<Map<string, Problem>> | undefined;
  return () => {
    loaded ??= (async () => {
      if (!locations) return new Map<string, Problem>();
      try {
        return new Map((await loadCodeContests(locations)).map((problem) => [problem.id, problem]));
      } catch (error) {
        if (error instanceof DatasetError && error.code === 'DATASET_MISSING') return new Map<string, Problem>();
        throw error;
      }
    })();
    return loaded;
  };
}

/** Reads monkey_business rows. */
export const monkeyBusinessFormat: FormatReader = {
  name: 'monkey-business',
  async *read(source, options) {
    let count = 0;
    // Rows without orig_dataset_idx are numbered in order, continuing across the shards of a config.
    const ordinals = new Map<string, number>();
    const codeContests = codeContestsJoin(options.locations);
    for (const file of listSourceFiles(source, ['.parquet', '.jsonl', '.json', '.ndjson'])) {
      const { cell, verifier } = inferCell(file, options);
      const cellKey = `${cell.model}\u0000${cell.dataset}`;
      for await (const row of readRows(file, ['question', 'prompt', 'samples', 'is_corrects', 'gt_answer', 'orig_dataset_idx', 'orig_dset_idx'])) {
        if (options.limit !== undefined && count >= options.limit) return;
        const parsed = rowSchema.safeParse(row.value);
        if (!parsed.success) {
          throw new DatasetError('IMPORT_BAD_ROW', `${row.where} is not a monkey_business row: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`, {
            hint: 'Rows need `samples` (strings) and may have `is_corrects` (booleans, one per sample), `question`, `gt_answer`; or pass the right --format.',
          });
        }
        const value = parsed.data;
        const corrects = value.is_corrects ?? undefined;
        if (corrects && corrects.length !== value.samples.length) {
          throw new DatasetError('IMPORT_BAD_ROW', `${row.where}: ${value.samples.length} samples but ${corrects.length} is_corrects`, {
            hint: 'Each sample needs exactly one recorded verdict; the file may be truncated.',
          });
        }
        const ordinal = ordinals.get(cellKey) ?? 0;
        ordinals.set(cellKey, ordinal + 1);
        const originalIndex = value.orig_dataset_idx ?? value.orig_dset_idx;
        const id = originalIndex === null || originalIndex === undefined ? String(ordinal) : String(originalIndex);
        count += 1;
        const joined = verifier === 'stdio' ? (await codeContests()).get(id) : undefined;
        const problem: ImportedProblem = {
          cell,
          verifierKind: verifier,
          problem: {
            id,
            question: value.question ?? value.prompt ?? joined?.question ?? '',
            answer: value.gt_answer === null || value.gt_answer === undefined ? '' : String(value.gt_answer),
            ...(joined?.stdio === undefined ? {} : { stdio: joined.stdio }),
            ...(joined?.tags === undefined ? {} : { tags: joined.tags }),
          },
          samples: value.samples.map((text, index) => {
            const correct = corrects?.[index];
            return correct === undefined ? { text } : { text, recorded: { correct, answer: extractRecordedAnswer(text) } };
          }),
        };
        yield problem;
      }
    }
  },
};
