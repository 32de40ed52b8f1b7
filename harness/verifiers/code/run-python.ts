/** `runPython`: run one untrusted Python program in the sandbox and get its verdict. */
import { createPythonPool, type PythonLimits, type PythonPool, type PythonPoolOptions, type PythonResult } from './python-pool.ts';

export { createPythonPool } from './python-pool.ts';
export type { PythonIsolation, PythonLimits, PythonPool, PythonPoolOptions, PythonResult, PythonRunOptions, PythonStatus } from './python-pool.ts';

/** Options of runPython: per-program limits, plus the pool to use. */
export interface RunPythonOptions extends Partial<PythonLimits> {
  /**
   * Pool to run in. Without one, runPython creates a one-worker pool for this call and closes
   * it afterwards (about 0.1 s of start-up per call): pass a pool from createPythonPool when
   * running many programs.
   */
  pool?: PythonPool;
  /** Settings of the pool created for this call when `pool` is not given (workers is always 1). */
  poolOptions?: Omit<PythonPoolOptions, 'workers'>;
  /** Aborts waiting for the result. */
  signal?: AbortSignal;
}

/**
 * Runs `program` (Python source) in a fresh sandboxed child: `passed` only when the whole program
 * runs to its end; otherwise `failed` (with the exception name), `timeout` or `crashed` (with the
 * reason). Stdout and stderr are captured up to `maxOutputBytes` each.
 */
export async function runPython(program: string, options: RunPythonOptions = {}): Promise<PythonResult> {
  const { pool, poolOptions, ...runOptions } = options;
  if (pool) return pool.run(program, runOptions);
  const ownPool = createPythonPool({ ...poolOptions, workers: 1 });
  try {
    return await ownPool.run(program, runOptions);
  } finally {
    await ownPool.close();
  }
}
