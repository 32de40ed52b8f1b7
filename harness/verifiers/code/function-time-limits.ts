/**
 * Per-problem time limits of a function-style code dataset: each problem's reference solution is
 * measured once (then cached with the dataset, see reference-runtime-cache.ts) and its limit is
 * `max(floorMs, factor × runtime)`; problems without a passing reference get the fallback limit.
 */
import { defaultFunctionTimeLimits, problemTimeLimit, type FunctionTimeLimitSettings, type ProblemTimeLimit } from '../../core/problem-time-limit.ts';
import type { Problem } from '../../core/types.ts';
import type { PythonPool } from './python-pool.ts';
import { measureReferenceRuntime, type MeasureReferenceOptions, type ReferenceMeasurement } from './reference-runtime.ts';
import { readRuntimeCache, referenceKey, runtimeCachePath, writeRuntimeCache, type RuntimeCacheEntry } from './reference-runtime-cache.ts';

/** Options of resolveFunctionTimeLimits. */
export interface FunctionTimeLimitOptions extends Omit<MeasureReferenceOptions, 'signal'> {
  /** Dataset id (names the cache file). */
  datasetId: string;
  /** The dataset's problems; those without a `code` task get no limit. */
  problems: readonly Problem[];
  /** Pool the references run in (the verifier's pool, so they run in the same sandbox). */
  pool: PythonPool;
  /** scaling-bench's cache folder (DatasetLocations.cacheDir). Without one, every reference is measured on each call. */
  cacheDir?: string;
  /** Overrides of factor, floor and fallback. */
  settings?: Partial<FunctionTimeLimitSettings>;
  /** Stops measuring; what was measured so far is still cached. */
  signal?: AbortSignal;
  /** Called after each reference measured (not for cached ones), for progress output. */
  onMeasured?: (problemId: string, measurement: ReferenceMeasurement) => void;
}

function limitOf(entry: RuntimeCacheEntry, settings: FunctionTimeLimitSettings): ProblemTimeLimit {
  if (entry.status === 'passed' && entry.runtimeMs !== null) return problemTimeLimit(entry.runtimeMs, 'reference', settings);
  return problemTimeLimit(null, entry.status === 'no-reference' ? 'no-reference' : 'reference-failed', settings);
}

function entryOf(key: string, measurement: ReferenceMeasurement): RuntimeCacheEntry {
  if (measurement.status === 'passed' || measurement.status === 'no-reference') return { key, status: measurement.status, runtimeMs: measurement.runtimeMs };
  return { key, status: 'failed', runtimeMs: null, reason: measurement.status === 'crashed' ? `crashed: ${measurement.reason}` : measurement.reason };
}

/**
 * The time limit of every code problem of a dataset, by problem id. References are measured one
 * at a time (measuring several at once on a busy machine would inflate their runtimes), only
 * for problems whose cached entry is missing or stale; the cache is rewritten when anything was
 * measured, also when measuring stops part way (abort).
 */
export async function resolveFunctionTimeLimits(options: FunctionTimeLimitOptions): Promise<Map<string, ProblemTimeLimit>> {
  const settings: FunctionTimeLimitSettings = { ...defaultFunctionTimeLimits, ...options.settings };
  const path = options.cacheDir === undefined ? undefined : runtimeCachePath(options.cacheDir, options.datasetId);
  const cache = path === undefined ? new Map<string, RuntimeCacheEntry>() : readRuntimeCache(path);
  const limits = new Map<string, ProblemTimeLimit>();
  let measured = 0;
  try {
    for (const problem of options.problems) {
      if (problem.code === undefined) continue;
      const key = referenceKey(problem.code);
      let entry = cache.get(problem.id);
      if (entry?.key !== key) {
        options.signal?.throwIfAborted();
        const measurement = await measureReferenceRuntime(problem.code, options.pool, {
          ...(options.runs === undefined ? {} : { runs: options.runs }),
          ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
          ...(options.signal ? { signal: options.signal } : {}),
        });
        entry = entryOf(key, measurement);
        // A crashed worker says nothing about the reference: use the fallback now, measure again next time.
        if (measurement.status !== 'crashed') {
          cache.set(problem.id, entry);
          measured += 1;
        }
        options.onMeasured?.(problem.id, measurement);
      }
      limits.set(problem.id, limitOf(entry, settings));
    }
  } finally {
    if (path !== undefined && measured > 0) writeRuntimeCache(path, cache);
  }
  return limits;
}
