/**
 * Per-problem time limits for every function-style (`code`) dataset of a run, in the two shapes
 * the run needs: by dataset and problem id (for problems.jsonl) and as the code verifier's
 * `timeLimitMs` lookup (by the problem objects the run judges).
 */
import type { FunctionTimeLimitSettings, ProblemTimeLimit } from '../../core/problem-time-limit.ts';
import type { Problem, VerifierKind } from '../../core/types.ts';
import { resolveFunctionTimeLimits } from './function-time-limits.ts';
import { createPythonPool, type PythonPool } from './python-pool.ts';
import type { ReferenceMeasurement } from './reference-runtime.ts';

/** A loaded dataset, as the run holds it (LoadedDataset fits). */
export interface TimedDataset {
  /** Dataset id. */
  id: string;
  /** Its problems (the objects the run passes to the verifier). */
  problems: readonly Problem[];
  /** Its verifier; only `code` datasets get per-problem limits. */
  verifier: VerifierKind;
}

/** Options of resolveDatasetTimeLimits. */
export interface DatasetTimeLimitOptions {
  /** scaling-bench's cache folder (DatasetLocations.cacheDir), where measured runtimes are kept. */
  cacheDir?: string;
  /** Overrides of factor, floor and fallback (config). */
  settings?: Partial<FunctionTimeLimitSettings>;
  /** Pool to measure in. Default: a one-worker pool created here and closed at the end. */
  pool?: PythonPool;
  /** Stops measuring. */
  signal?: AbortSignal;
  /** Progress: a reference was measured (not called for cached ones). */
  onMeasured?: (datasetId: string, problemId: string, measurement: ReferenceMeasurement) => void;
}

/** The limits of a run's code datasets. */
export interface DatasetTimeLimits {
  /** Limits by dataset id, then problem id (writeProblemsFile's `timeLimits`). */
  byDataset: Map<string, Map<string, ProblemTimeLimit>>;
  /** The limit of a problem object the run judges, in ms (createCodeVerifier's `timeLimitMs`); undefined for others. */
  timeLimitMs(problem: Problem): number | undefined;
}

/** Measures (or reads from the cache) the reference runtime of every problem of the run's `code` datasets. */
export async function resolveDatasetTimeLimits(datasets: Iterable<TimedDataset>, options: DatasetTimeLimitOptions = {}): Promise<DatasetTimeLimits> {
  const byDataset = new Map<string, Map<string, ProblemTimeLimit>>();
  // By object, not id: two datasets (humaneval, humaneval-plus) share problem ids.
  const byProblem = new WeakMap<Problem, number>();
  const pool = options.pool ?? createPythonPool({ workers: 1 });
  try {
    for (const dataset of datasets) {
      if (dataset.verifier !== 'code') continue;
      const limits = await resolveFunctionTimeLimits({
        datasetId: dataset.id,
        problems: dataset.problems,
        pool,
        ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }),
        ...(options.settings === undefined ? {} : { settings: options.settings }),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onMeasured ? { onMeasured: (problemId: string, measurement: ReferenceMeasurement) => options.onMeasured?.(dataset.id, problemId, measurement) } : {}),
      });
      byDataset.set(dataset.id, limits);
      for (const problem of dataset.problems) {
        const limit = limits.get(problem.id);
        if (limit !== undefined) byProblem.set(problem, limit.timeoutMs);
      }
    }
  } finally {
    if (options.pool === undefined) await pool.close();
  }
  return { byDataset, timeLimitMs: (problem) => byProblem.get(problem) };
}
