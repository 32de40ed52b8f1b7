/** The code verifier: runs a sample against its problem's tests in the Python sandbox. */
import type { Problem, Verdict } from '../../core/types.ts';
import type { Verifier } from '../types.ts';
import { buildProgram } from './build-program.ts';
import { createPythonPool, type PythonLimits, type PythonPool, type PythonPoolOptions, type PythonResult } from './python-pool.ts';
import { SandboxError } from './sandbox-error.ts';

/** Options of createCodeVerifier. */
export interface CodeVerifierOptions {
  /** Pool to run programs in; the caller closes it. Default: a pool created on first use and closed by `close()`. */
  pool?: PythonPool;
  /** Settings of the pool created on first use when `pool` is not given. Default: createPythonPool's defaults. */
  poolOptions?: PythonPoolOptions;
  /** Per-program limits (timeoutMs, memoryBytes...). Default: the pool's limits (3 s, 2 GiB...). */
  limits?: Partial<PythonLimits>;
  /** Stop sequences for HumanEval-style body completions. Default humanEvalStopSequences (Codex paper). */
  stopSequences?: readonly string[];
  /**
   * The wall-clock limit of a problem's programs in milliseconds (per-problem limits from the
   * reference runtime: resolveFunctionTimeLimits), or undefined for `limits.timeoutMs` (else the
   * pool's 3 s). Default: none, every problem gets the same limit.
   */
  timeLimitMs?: (problem: Problem) => number | undefined;
}

/**
 * The verdict reason for a sandbox result: `passed`, `failed: <Exception>`, `failed: <why>` for
 * an early exit, `timeout`, or `crashed: <why>`.
 */
export function codeVerdictReason(result: PythonResult): string {
  switch (result.status) {
    case 'passed':
      return 'passed';
    case 'failed':
      return `failed: ${result.exception ?? result.reason}`;
    case 'timeout':
      return 'timeout';
    case 'crashed':
      return `crashed: ${result.reason}`;
  }
}

/**
 * Creates the `code` verifier. A sample is correct when its program runs to the end, tests
 * included. Verdicts carry `answer: null` and `answerKey: null`: programs are not grouped into
 * answer classes, so majority@k over code samples is undefined (coverage@k is the metric).
 */
export function createCodeVerifier(options: CodeVerifierOptions = {}): Verifier {
  let ownPool: PythonPool | undefined;
  const pool = (): PythonPool => {
    if (options.pool) return options.pool;
    ownPool ??= createPythonPool(options.poolOptions);
    return ownPool;
  };
  const buildOptions = options.stopSequences ? { stopSequences: options.stopSequences } : {};
  return {
    kind: 'code',
    async verify(problem: Problem, text: string, signal?: AbortSignal): Promise<Verdict> {
      if (!problem.code) {
        throw new SandboxError('CODE_TASK_MISSING', `problem '${problem.id}' has no code task (prompt, tests, entry point)`, {
          hint: "Use the code verifier only with code datasets (humaneval, mbpp, mbpp-sanitized) or problems that set `code`.",
        });
      }
      const { program } = buildProgram(problem.code, text, buildOptions);
      const timeoutMs = options.timeLimitMs?.(problem);
      const result = await pool().run(program, { ...options.limits, ...(timeoutMs === undefined ? {} : { timeoutMs }), ...(signal ? { signal } : {}) });
      return { correct: result.status === 'passed', answer: null, answerKey: null, reason: codeVerdictReason(result) };
    },
    async close() {
      const closing = ownPool;
      ownPool = undefined;
      await closing?.close();
    },
  };
}
