/**
 * The time limits a run judges function-style code problems with (config `codeTimeLimits`):
 * `fixed` gives every program one limit; `reference` gives each problem its own, from its
 * reference solution's runtime (harness/verifiers/code/dataset-time-limits.ts), recorded in
 * problems.jsonl and reused from there when the run continues, so a resumed run judges its new
 * samples with the limits its stored ones were judged with.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { HarnessError, InterruptedError } from '../core/errors.ts';
import { timeLimitFromRuntime, type FunctionTimeLimitSettings, type ProblemTimeLimit } from '../core/problem-time-limit.ts';
import type { Problem, VerifierKind } from '../core/types.ts';
import { codeTimeLimitsSchema, defaultCodeTimeLimits, type CodeTimeLimitsConfig } from '../config/schema.ts';
import { problemKey, readProblemsFile, type StoredProblem } from '../store/problems-file.ts';
import { readManifest } from '../store/run-manifest.ts';
import { createCodeVerifier } from '../verifiers/code/code-verifier.ts';
import { resolveDatasetTimeLimits } from '../verifiers/code/dataset-time-limits.ts';
import { createVerifier } from '../verifiers/registry.ts';
import type { Verifier } from '../verifiers/types.ts';

/** A dataset of the run as the limits need it: its id, checker and the problems this run (or shard) draws. */
export interface TimeLimitDataset {
  /** Dataset id. */
  id: string;
  /** Its checker; only `code` datasets get per-problem limits. */
  verifier: VerifierKind;
  /** The problems drawn (the objects the verifier is given). */
  problems: readonly Problem[];
}

/** Per-problem limits of a run's code datasets. */
export interface RunTimeLimits {
  /** Limits by dataset id, then problem id (writeProblemsFile's `timeLimits`). */
  byDataset: Map<string, Map<string, ProblemTimeLimit>>;
  /** A problem object's limit in milliseconds (createCodeVerifier's `timeLimitMs`); undefined for others. */
  timeLimitMs(problem: Problem): number | undefined;
}

/** Options of resolveRunTimeLimits. */
export interface RunTimeLimitOptions {
  /** scaling-bench's cache folder, where measured reference runtimes are kept. */
  cacheDir?: string;
  /** Stops measuring. */
  signal?: AbortSignal;
  /** One line per code dataset: how its limits were found. */
  onEvent?: (message: string) => void;
}

/** The settings a run's codeTimeLimits stand for (in run.json); a run written before the key existed had the fixed 3 s limit. */
export function recordedCodeTimeLimits(runConfig: Record<string, unknown>): CodeTimeLimitsConfig {
  const parsed = codeTimeLimitsSchema.safeParse(runConfig.codeTimeLimits ?? {});
  return parsed.success ? parsed.data : { ...defaultCodeTimeLimits };
}

/** The part of the settings that decides verdicts in their mode (a fixed run ignores factor, floor and fallback). */
function effectiveSettings(settings: CodeTimeLimitsConfig): string {
  if (settings.mode === 'fixed') return `fixed ${settings.timeLimitMs} ms`;
  return `reference (factor ${settings.factor}, floor ${settings.floorMs} ms, fallback ${settings.fallbackMs} ms)`;
}

/**
 * Throws RUN_CONFIG_CHANGED when `runDir` already holds code cells judged under other
 * codeTimeLimits: new samples judged under other limits must not be mixed with stored ones.
 */
export function checkCodeTimeLimitsUnchanged(runDir: string, settings: CodeTimeLimitsConfig, codeDatasets: readonly string[]): void {
  if (codeDatasets.length === 0 || !existsSync(join(runDir, 'run.json'))) return;
  const previous = readManifest(runDir);
  if (!previous.cells.some((cell) => codeDatasets.includes(cell.dataset))) return;
  const before = effectiveSettings(recordedCodeTimeLimits(previous.config));
  const now = effectiveSettings(settings);
  if (before === now) return;
  throw new HarnessError('RUN_CONFIG_CHANGED', `the code samples in ${runDir} were judged with codeTimeLimits ${before}; the config now says ${now}`, {
    hint: 'Set codeTimeLimits back to what the run used, or give the run a new `name:` (verdicts under different limits must not be mixed), or delete the old run directory.',
    exitCode: 2,
  });
}

/** Whether a limit recorded in problems.jsonl is the one `settings` give (same factor, floor and fallback). */
function recordedLimitFits(limit: ProblemTimeLimit, settings: FunctionTimeLimitSettings): boolean {
  if (limit.source !== 'reference') return limit.timeoutMs === settings.fallbackMs;
  return limit.referenceRuntimeMs !== null && limit.factor === settings.factor && limit.floorMs === settings.floorMs && limit.timeoutMs === timeLimitFromRuntime(limit.referenceRuntimeMs, settings);
}

function summary(datasetId: string, limits: readonly ProblemTimeLimit[], recorded: number, measured: number, seconds: number): string {
  const sorted = limits.map((limit) => limit.timeoutMs).sort((a, b) => a - b);
  const fallbacks = limits.filter((limit) => limit.source !== 'reference').length;
  const found = [
    recorded > 0 ? `${recorded} recorded in problems.jsonl` : '',
    measured > 0 ? `${measured} measured in ${seconds.toFixed(1)} s` : '',
    limits.length - recorded - measured > 0 ? `${limits.length - recorded - measured} from the cache` : '',
  ].filter((part) => part !== '');
  const range = sorted.length === 0 ? 'none' : `${sorted[0]}–${sorted.at(-1)} ms, median ${sorted[Math.floor(sorted.length / 2)]} ms`;
  return `time limits of ${datasetId}: ${limits.length} problems (${found.join(', ') || 'none'}); limits ${range}${fallbacks > 0 ? `; ${fallbacks} at the fallback (no passing reference solution)` : ''}`;
}

/**
 * The per-problem limits of the run's code datasets in `reference` mode (undefined in `fixed`
 * mode). A limit recorded in runDir's problems.jsonl under the same settings is reused; the
 * other problems' references are measured (or read from the cache).
 */
export async function resolveRunTimeLimits(
  runDir: string,
  settings: CodeTimeLimitsConfig,
  datasets: Iterable<TimeLimitDataset>,
  options: RunTimeLimitOptions = {},
): Promise<RunTimeLimits | undefined> {
  if (settings.mode === 'fixed') return undefined;
  const functionSettings: FunctionTimeLimitSettings = { factor: settings.factor, floorMs: settings.floorMs, fallbackMs: settings.fallbackMs };
  const stored: ReadonlyMap<string, StoredProblem> = readProblemsFile(runDir);
  const byDataset = new Map<string, Map<string, ProblemTimeLimit>>();
  const byProblem = new WeakMap<Problem, number>();
  for (const dataset of datasets) {
    if (dataset.verifier !== 'code') continue;
    const limits = new Map<string, ProblemTimeLimit>();
    const missing: Problem[] = [];
    for (const problem of dataset.problems) {
      const recorded = stored.get(problemKey(dataset.id, problem.id))?.timeLimit;
      if (recorded !== undefined && recordedLimitFits(recorded, functionSettings)) limits.set(problem.id, recorded);
      else if (problem.code !== undefined) missing.push(problem);
    }
    const recordedCount = limits.size;
    let measured = 0;
    const started = performance.now();
    if (missing.length > 0) {
      const resolved = await resolveDatasetTimeLimits([{ id: dataset.id, verifier: 'code', problems: missing }], {
        settings: functionSettings,
        ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }),
        ...(options.signal ? { signal: options.signal } : {}),
        onMeasured: () => {
          measured += 1;
        },
      });
      for (const [id, limit] of resolved.byDataset.get(dataset.id) ?? []) limits.set(id, limit);
    }
    // In the dataset's order, as problems.jsonl lists them.
    const ordered = new Map<string, ProblemTimeLimit>();
    for (const problem of dataset.problems) {
      const limit = limits.get(problem.id);
      if (limit === undefined) continue;
      ordered.set(problem.id, limit);
      byProblem.set(problem, limit.timeoutMs);
    }
    byDataset.set(dataset.id, ordered);
    options.onEvent?.(summary(dataset.id, [...ordered.values()], recordedCount, measured, (performance.now() - started) / 1000));
  }
  return { byDataset, timeLimitMs: (problem) => byProblem.get(problem) };
}

/**
 * What `run` does before sampling: refuses settings that differ from the run's earlier sessions
 * (checkCodeTimeLimitsUnchanged), then resolves the limits (resolveRunTimeLimits). Ctrl-C while
 * measuring is InterruptedError (what was measured stays cached).
 */
export async function prepareRunTimeLimits(
  runDir: string,
  settings: CodeTimeLimitsConfig,
  datasets: readonly TimeLimitDataset[],
  options: RunTimeLimitOptions = {},
): Promise<RunTimeLimits | undefined> {
  checkCodeTimeLimitsUnchanged(runDir, settings, datasets.filter((dataset) => dataset.verifier === 'code').map((dataset) => dataset.id));
  try {
    return await resolveRunTimeLimits(runDir, settings, datasets, options);
  } catch (error) {
    if (options.signal?.aborted && !(error instanceof HarnessError)) throw new InterruptedError('interrupted while measuring reference solutions (the runtimes measured so far are cached)');
    throw error;
  }
}

/**
 * The verifier factory of a run or a regrade: the `code` verifier gets the fixed limit
 * (`fixed`) or `timeLimitMs(problem)`, falling back to `fallbackMs` (`reference`); other kinds
 * are createVerifier's.
 */
export function verifierFactory(settings: CodeTimeLimitsConfig, timeLimitMs?: (problem: Problem) => number | undefined): (kind: VerifierKind) => Verifier {
  const timeoutMs = settings.mode === 'fixed' ? settings.timeLimitMs : settings.fallbackMs;
  return (kind) => (kind === 'code' ? createCodeVerifier({ limits: { timeoutMs }, ...(timeLimitMs ? { timeLimitMs } : {}) }) : createVerifier(kind));
}
