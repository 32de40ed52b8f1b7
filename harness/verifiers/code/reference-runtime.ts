/**
 * Measures a function-style problem's reference solution: the program a correct sample would be
 * (the canonical solution built like a sample, tests included) run in the sandbox pool, best of a
 * few runs. Its runtime sets the problem's time limit (harness/core/problem-time-limit.ts).
 */
import type { CodeTask } from '../../core/types.ts';
import { buildProgram } from './build-program.ts';
import type { PythonPool } from './python-pool.ts';

/** Options of measureReferenceRuntime. */
export interface MeasureReferenceOptions {
  /** Runs of the reference; the runtime is the fastest (the least disturbed by other load). Default 3. */
  runs?: number;
  /** Limit of each measuring run, in milliseconds. Default 10000. */
  timeoutMs?: number;
  /** Stops measuring. */
  signal?: AbortSignal;
}

/**
 * What measuring found: the runtime when the reference passed every run, else why not. `failed`:
 * the reference raised or timed out (a fact about the problem, cached); `crashed`: the sandbox
 * worker died under it (not cached, measured again next time).
 */
export type ReferenceMeasurement =
  | { status: 'passed'; runtimeMs: number }
  | { status: 'failed' | 'crashed'; runtimeMs: null; reason: string }
  | { status: 'no-reference'; runtimeMs: null };

/** Default number of measuring runs. */
export const defaultMeasureRuns = 3;
/** Default limit of a measuring run, in milliseconds. */
export const defaultMeasureTimeoutMs = 10_000;

/** The program of the reference solution, built as a sample's program is (no stop sequences cut it). */
export function referenceProgram(task: CodeTask): string | undefined {
  if (task.canonicalSolution === undefined || task.canonicalSolution.trim() === '') return undefined;
  return buildProgram(task, task.canonicalSolution, { stopSequences: [] }).program;
}

/**
 * Runs the reference `runs` times and returns the fastest wall-clock runtime (fork to exit, the
 * clock the time limit is enforced on), or `failed` / `crashed` at the first run that does not pass.
 */
export async function measureReferenceRuntime(task: CodeTask, pool: PythonPool, options: MeasureReferenceOptions = {}): Promise<ReferenceMeasurement> {
  const program = referenceProgram(task);
  if (program === undefined) return { status: 'no-reference', runtimeMs: null };
  const runs = Math.max(1, options.runs ?? defaultMeasureRuns);
  let fastest = Number.POSITIVE_INFINITY;
  for (let run = 0; run < runs; run += 1) {
    const result = await pool.run(program, { timeoutMs: options.timeoutMs ?? defaultMeasureTimeoutMs, ...(options.signal ? { signal: options.signal } : {}) });
    if (result.status === 'crashed') return { status: 'crashed', runtimeMs: null, reason: result.reason };
    if (result.status !== 'passed') return { status: 'failed', runtimeMs: null, reason: result.status === 'timeout' ? 'timeout' : `failed: ${result.exception ?? result.reason}` };
    fastest = Math.min(fastest, result.durationMs);
  }
  return { status: 'passed', runtimeMs: Math.round(fastest * 1000) / 1000 };
}
