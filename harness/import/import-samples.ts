/**
 * `importSamples`: recorded samples → a run directory (run.json, samples.jsonl, problems.jsonl,
 * and agreement.json with `regrade`). Streams one problem at a time, so memory holds one problem's
 * samples, never the whole source.
 */
import { existsSync, mkdirSync, rmdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { cellId } from '../core/cells.ts';
import { DatasetError, HarnessError } from '../core/errors.ts';
import type { Verdict, VerifierKind } from '../core/types.ts';
import type { DatasetLocations } from '../datasets/types.ts';
import type { CellInfo } from '../metrics/types.ts';
import { MANIFEST_FILE, writeManifest, type RunManifest } from '../store/run-manifest.ts';
import { openProblemsWriter, PROBLEMS_FILE } from '../store/problems-file.ts';
import { locateSampleLog, openSampleLog, SAMPLES_FILE } from '../store/sample-log.ts';
import { writeFileAtomic } from '../store/atomic-file.ts';
import { acquireRunLock } from '../store/run-lock.ts';
import type { Verifier } from '../verifiers/types.ts';
import { createDefaultVerifier, type VerifierFactory } from './default-verifier.ts';
import { detectFormat } from './detect-format.ts';
import { formatReader } from './formats/index.ts';
import { recordedAnswerKey } from './recorded-answer.ts';
import type { ImportedProblem, ImportedSampleRecord, ImportFormatName } from './types.ts';

/** File name of the regrade agreement report inside a run directory. */
export const AGREEMENT_FILE = 'agreement.json';

/** What `importSamples` needs. */
export interface ImportOptions {
  /** Local file or folder holding the recorded samples (a Hub dataset is downloaded first by the command). */
  source: string;
  /** Format name; detected from the source when omitted (see detectFormat). */
  format?: string;
  /** Run directory to write; created when missing. */
  outDir: string;
  /** Run name written in run.json (default: the last path segment of outDir). */
  name?: string;
  /** Re-grade every sample with our verifiers and report agreement with the recorded verdicts (default false). */
  regrade?: boolean;
  /** Verifier for a kind of problem (default createDefaultVerifier). Called once per kind. */
  verifierFor?: VerifierFactory;
  /** Verifier kind to use for every problem instead of the one the format infers. */
  verifierKind?: VerifierKind;
  /** Import at most this many problems (default: all). */
  limit?: number;
  /** k values `report` computes metrics at, stored in run.json (default: powers of two and of ten up to n, and n). */
  ks?: number[];
  /** Model label instead of the one the format infers. */
  model?: string;
  /** Dataset id instead of the one the format infers. */
  dataset?: string;
  /** Sampling temperature to record instead of the one the format infers. */
  temperature?: number;
  /** Where built-in datasets are found (CodeContests samples take their tests from the dataset). */
  locations?: DatasetLocations;
  /** What to write as the source in run.json (default: the absolute source path), e.g. a Hub dataset id. */
  sourceLabel?: string;
  /** Samples checked at once while regrading (default 4; code execution runs this many programs in parallel). */
  concurrency?: number;
  /** Replace samples.jsonl when outDir already holds one (default false: an error). */
  overwrite?: boolean;
  /** Called after each problem is written. */
  onProgress?: (progress: { problems: number; samples: number }) => void;
  /** Current time (default `new Date()`), for run.json. */
  now?: () => Date;
  /** Stops the import between problems (and is passed to the verifiers). */
  signal?: AbortSignal;
}

/** A sample whose regraded verdict differs from the recorded one. */
export interface Disagreement {
  /** Cell id. */
  cell: string;
  /** Problem id. */
  problem: string;
  /** Sample index. */
  index: number;
  /** The recorded verdict. */
  recorded: boolean;
  /** Our verdict. */
  regraded: boolean;
  /** Our verifier's reason. */
  reason: string;
  /** Answer our verifier extracted. */
  answer: string | null;
  /** Gold answer of the problem. */
  gold: string;
}

/** Agreement of the regrade with the recorded verdicts for one problem. */
export interface ProblemAgreement {
  /** Cell id. */
  cell: string;
  /** Problem id. */
  problem: string;
  /** Samples of the problem. */
  samples: number;
  /** Samples that had a recorded verdict to compare with. */
  compared: number;
  /** Compared samples whose verdicts agree. */
  agreeing: number;
  /** Indices of the samples whose verdicts disagree. */
  disagreeing: number[];
}

/** What an import did. */
export interface ImportSummary {
  /** The run directory written. */
  outDir: string;
  /** The format read. */
  format: ImportFormatName;
  /** Problems imported. */
  problems: number;
  /** Samples written. */
  samples: number;
  /** Cell ids written. */
  cells: string[];
  /** Samples that came with a recorded verdict. */
  recorded: number;
  /** Samples written without any verdict (no recorded one and no regrade). */
  unverified: number;
  /** Samples skipped because their cell/problem/index was already written. */
  duplicates: number;
  /** With `regrade`: agreement totals and the disagreements. */
  regrade?: {
    /** Samples regraded. */
    samples: number;
    /** Samples with a recorded verdict to compare. */
    compared: number;
    /** Compared samples that agree. */
    agreeing: number;
    /** agreeing / compared, in [0, 1] (1 when nothing was compared). */
    agreement: number;
    /** Samples our verifiers judged correct. */
    correct: number;
    /** Every disagreeing sample. */
    disagreements: Disagreement[];
  };
}

async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index] as T, index);
    }
  });
  await Promise.all(runners);
  return results;
}

function recordedVerdict(correct: boolean, answer: string | null): Verdict {
  return { correct, answer, answerKey: recordedAnswerKey(answer), reason: 'recorded' };
}

/** Imports recorded samples into a run directory (holding its lock). Throws a HarnessError on bad input; returns what it wrote. */
export async function importSamples(options: ImportOptions): Promise<ImportSummary> {
  const outDir = resolve(options.outDir);
  const madeFolders = missingFolders(outDir);
  mkdirSync(outDir, { recursive: true });
  const lock = acquireRunLock(outDir, { command: 'import' });
  // A failed import removes the files it created, so that running it again is not refused.
  const created = [SAMPLES_FILE, `${SAMPLES_FILE}.gz`, PROBLEMS_FILE, AGREEMENT_FILE, MANIFEST_FILE].filter((name) => !existsSync(join(outDir, name)));
  let failed = false;
  try {
    return await importLocked(options);
  } catch (error) {
    failed = true;
    for (const name of created) rmSync(join(outDir, name), { force: true });
    throw error;
  } finally {
    lock.release();
    // ...and the folders it made for the run, when nothing else is in them (the lock is gone by now).
    if (failed) for (const folder of madeFolders) removeIfEmpty(folder);
  }
}

/** `folder` and its ancestors that do not exist yet, deepest first. */
function missingFolders(folder: string): string[] {
  const missing: string[] = [];
  for (let current = folder; !existsSync(current) && dirname(current) !== current; current = dirname(current)) missing.push(current);
  return missing;
}

function removeIfEmpty(folder: string): void {
  try {
    rmdirSync(folder);
  } catch {
    // Not empty (someone else's files) or already gone: leave it.
  }
}

async function importLocked(options: ImportOptions): Promise<ImportSummary> {
  const format = (options.format ?? (await detectFormat(options.source))) as string;
  const reader = formatReader(format);
  const outDir = resolve(options.outDir);
  mkdirSync(outDir, { recursive: true });
  const samplesPath = join(outDir, SAMPLES_FILE);
  const existingLog = locateSampleLog(samplesPath);
  if (existingLog !== undefined) {
    if (!options.overwrite) {
      throw new HarnessError('IMPORT_OUT_EXISTS', `${samplesPath} already exists`, {
        hint: 'Import into a new folder (--out), or delete the old run directory first; to combine runs use `scaling-bench merge`.',
        exitCode: 2,
      });
    }
    rmSync(existingLog);
  }
  const now = options.now ?? (() => new Date());
  const startedAt = now().toISOString();
  const verifierFor = options.verifierFor ?? createDefaultVerifier;
  const verifiers = new Map<VerifierKind, Verifier>();
  const getVerifier = async (kind: VerifierKind): Promise<Verifier> => {
    const known = verifiers.get(kind);
    if (known) return known;
    const created = await verifierFor(kind);
    verifiers.set(kind, created);
    return created;
  };
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const cells = new Map<string, CellInfo>();
  const nextIndex = new Map<string, number>();
  const explicitIndices = new Map<string, Set<number>>();
  // A problem's samples may come in several groups (a run's samples.jsonl is in completion order).
  const problemsSeen = new Set<string>();
  const agreements: ProblemAgreement[] = [];
  const disagreements: Disagreement[] = [];
  const summary: ImportSummary = { outDir, format: reader.name, problems: 0, samples: 0, cells: [], recorded: 0, unverified: 0, duplicates: 0 };
  const totals = { samples: 0, compared: 0, agreeing: 0, correct: 0 };
  let maxSamples = 0;
  const log = openSampleLog(samplesPath, { flushEvery: 1024 });
  const problems = openProblemsWriter(outDir);
  try {
    const readOptions = {
      ...(options.limit === undefined ? {} : { limit: options.limit }),
      ...(options.model === undefined ? {} : { model: options.model }),
      ...(options.dataset === undefined ? {} : { dataset: options.dataset }),
      ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
      ...(options.locations === undefined ? {} : { locations: options.locations }),
    };
    for await (const imported of reader.read(options.source, readOptions)) {
      if (options.signal?.aborted) throw new HarnessError('IMPORT_ABORTED', 'import stopped', { hint: 'Run the import again into a new folder.', exitCode: 130 });
      const cell = cellOf(imported, cells);
      const kind = options.verifierKind ?? imported.verifierKind;
      problems.add(imported.cell.dataset, imported.problem, kind, imported.timeLimit);
      const problemKey = `${cell}\u0000${imported.problem.id}`;
      if (options.regrade && kind === 'stdio' && imported.problem.stdio === undefined) {
        throw new DatasetError('IMPORT_TESTS_MISSING', `problem ${imported.problem.id} of ${imported.cell.dataset} has no stdin/stdout tests to regrade with`, {
          hint: 'CodeContests samples take their tests from the dataset: run `scaling-bench datasets prepare code_contests` (or set SCALING_BENCH_DATA), or import without --regrade.',
        });
      }
      const verdicts = options.regrade ? await regradeProblem(imported, await getVerifier(kind), concurrency, options.signal) : undefined;
      const agreement: ProblemAgreement = { cell, problem: imported.problem.id, samples: 0, compared: 0, agreeing: 0, disagreeing: [] };
      let written = 0;
      for (const [position, sample] of imported.samples.entries()) {
        let index: number;
        if (sample.index === undefined) {
          index = nextIndex.get(problemKey) ?? 0;
          nextIndex.set(problemKey, index + 1);
        } else {
          index = sample.index;
          let seen = explicitIndices.get(problemKey);
          if (!seen) {
            seen = new Set();
            explicitIndices.set(problemKey, seen);
          }
          if (seen.has(index)) {
            summary.duplicates += 1;
            continue;
          }
          seen.add(index);
          nextIndex.set(problemKey, Math.max(nextIndex.get(problemKey) ?? 0, index + 1));
        }
        const regraded = verdicts?.[position];
        const record: ImportedSampleRecord = { v: 1, cell, problem: imported.problem.id, index, seed: sample.seed ?? index, status: 'ok', text: sample.text };
        if (sample.usage) record.usage = sample.usage;
        if (sample.recorded) summary.recorded += 1;
        if (regraded) {
          record.verdict = regraded;
          totals.samples += 1;
          if (regraded.correct) totals.correct += 1;
          if (sample.recorded) {
            record.recorded = { correct: sample.recorded.correct };
            agreement.compared += 1;
            if (sample.recorded.correct === regraded.correct) agreement.agreeing += 1;
            else {
              agreement.disagreeing.push(index);
              disagreements.push({ cell, problem: imported.problem.id, index, recorded: sample.recorded.correct, regraded: regraded.correct, reason: regraded.reason, answer: regraded.answer, gold: imported.problem.answer });
            }
          }
        } else if (sample.recorded) {
          record.verdict = recordedVerdict(sample.recorded.correct, sample.recorded.answer ?? null);
        } else {
          summary.unverified += 1;
        }
        log.append(record);
        written += 1;
      }
      agreement.samples = written;
      if (verdicts) {
        agreements.push(agreement);
        totals.compared += agreement.compared;
        totals.agreeing += agreement.agreeing;
      }
      if (!problemsSeen.has(problemKey)) {
        problemsSeen.add(problemKey);
        summary.problems += 1;
      }
      summary.samples += written;
      maxSamples = Math.max(maxSamples, nextIndex.get(problemKey) ?? written);
      options.onProgress?.({ problems: summary.problems, samples: summary.samples });
    }
  } finally {
    log.close();
    problems.close();
    for (const verifier of verifiers.values()) await verifier.close?.();
  }
  if (summary.problems === 0) {
    throw new HarnessError('IMPORT_EMPTY', `no problems found in ${options.source}`, { hint: 'Check the source path and --format (and --config/--split for a Hub dataset).', exitCode: 2 });
  }
  summary.cells = [...cells.keys()];
  if (options.regrade) {
    summary.regrade = { ...totals, agreement: totals.compared === 0 ? 1 : totals.agreeing / totals.compared, disagreements };
    writeFileAtomic(
      join(outDir, AGREEMENT_FILE),
      `${JSON.stringify({ version: 1, samples: totals.samples, compared: totals.compared, agreeing: totals.agreeing, agreement: summary.regrade.agreement, disagreements, problems: agreements }, null, 2)}\n`,
    );
  }
  writeManifest(outDir, buildManifest(options, summary, [...cells.values()], maxSamples, startedAt, now().toISOString()));
  return summary;
}

function cellOf(imported: ImportedProblem, cells: Map<string, CellInfo>): string {
  const thinkingBudget = imported.cell.thinkingBudget ?? 0;
  const id = cellId(imported.cell.model, imported.cell.dataset, thinkingBudget, imported.cell.temperature);
  if (!cells.has(id)) {
    cells.set(id, { id, model: imported.cell.model, dataset: imported.cell.dataset, thinkingBudget, temperature: imported.cell.temperature, simulated: false });
  }
  return id;
}

async function regradeProblem(imported: ImportedProblem, verifier: Verifier, concurrency: number, signal: AbortSignal | undefined): Promise<Verdict[]> {
  return mapLimited(imported.samples, concurrency, (sample) => verifier.verify(imported.problem, sample.text, signal));
}

function buildManifest(options: ImportOptions, summary: ImportSummary, cells: CellInfo[], maxSamples: number, startedAt: string, finishedAt: string): RunManifest {
  const name = options.name ?? summary.outDir.split(/[\\/]/).filter(Boolean).at(-1) ?? 'imported';
  const source = options.sourceLabel ?? resolve(options.source);
  const unique = (values: string[]): string[] => [...new Set(values)];
  const temperatures = unique(cells.map((cell) => String(cell.temperature)));
  return {
    version: 1,
    name,
    config: {
      name,
      seed: 0,
      datasets: unique(cells.map((cell) => cell.dataset)).map((id) => ({ id })),
      models: unique(cells.map((cell) => cell.model)).map((id) => ({ id, provider: 'import' })),
      sampling: { samples: maxSamples, ...(temperatures.length === 1 ? { temperature: Number(temperatures[0]) } : {}) },
      ...(options.ks === undefined ? {} : { ks: options.ks }),
      import: { format: summary.format, source, regrade: options.regrade ?? false },
    },
    cells,
    versions: { 'scaling-bench': '0.1.0', node: process.versions.node },
    startedAt,
    finishedAt,
    sessions: [{ startedAt, finishedAt, drawn: summary.samples, errors: 0, outcome: 'imported' }],
    imported: { format: summary.format, source, importedAt: finishedAt },
  };
}
