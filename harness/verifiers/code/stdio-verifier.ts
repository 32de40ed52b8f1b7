/**
 * The `stdio` verifier: competitive-programming problems (CodeContests style). The sample's
 * program runs once per test with the test's input on stdin, in the same sandbox pool as
 * function tests (uid drop, rlimits, no network, fork server), and its stdout is compared with
 * the expected output by CodeContests' rules (compare-output.ts). Every test is judged: those of
 * `testsFile` (public, private, generated; read one at a time) when the problem has one, else the
 * inline ones. Judging stops at the first failing test.
 */
import type { Problem, StdioTask, StdioTest, Verdict } from '../../core/types.ts';
import type { Verifier } from '../types.ts';
import { extractCodeBlock } from './build-program.ts';
import { defaultFloatTolerance, outputsMatch } from './compare-output.ts';
import { createPythonPool, type PythonPool, type PythonPoolOptions, type PythonResult } from './python-pool.ts';
import { SandboxError } from './sandbox-error.ts';
import { stdioTests } from './stdio-tests.ts';

/** How per-test limits are derived from the problem's own limits. */
export interface StdioLimitSettings {
  /** Multiplier on the problem's time limit (CodeContests' limits are set for C++). Default 2. */
  timeFactor: number;
  /** Smallest per-test time limit, in milliseconds. Default 1000. */
  minTimeMs: number;
  /** Largest per-test time limit, in milliseconds. Default 10000. */
  maxTimeMs: number;
  /** Time limit assumed when the problem states none, in milliseconds (before the factor). Default 2000. */
  defaultTimeMs: number;
  /** Memory limit assumed when the problem states none, in bytes. Default 256 MiB. */
  defaultMemoryBytes: number;
  /** Address space added to the problem's memory limit for the interpreter itself, in bytes. Default 256 MiB. */
  interpreterBytes: number;
  /** Largest stdout a test may produce, in bytes; past it the program is stopped (`output-limit`). Default 4 MiB. */
  maxOutputBytes: number;
  /** Tolerance for floating-point tokens, absolute or relative. Default 1e-6. */
  floatTolerance: number;
}

/** Default limit settings. */
export const defaultStdioLimits: Readonly<StdioLimitSettings> = {
  timeFactor: 2,
  minTimeMs: 1000,
  maxTimeMs: 10_000,
  defaultTimeMs: 2000,
  defaultMemoryBytes: 256 * 1024 ** 2,
  interpreterBytes: 256 * 1024 ** 2,
  maxOutputBytes: 4 * 1024 ** 2,
  floatTolerance: defaultFloatTolerance,
};

/** Options of createStdioVerifier. */
export interface StdioVerifierOptions {
  /** Pool to run programs in; the caller closes it. Default: a pool created on first use and closed by `close()`. */
  pool?: PythonPool;
  /** Settings of the pool created on first use. Default: createPythonPool's defaults. */
  poolOptions?: PythonPoolOptions;
  /** Overrides of the limit settings. */
  limits?: Partial<StdioLimitSettings>;
}

/** Per-test wall-clock limit in ms: clamp(timeLimitMs × timeFactor, minTimeMs, maxTimeMs). */
export function stdioTimeLimitMs(task: StdioTask, settings: StdioLimitSettings = defaultStdioLimits): number {
  const base = task.timeLimitMs ?? settings.defaultTimeMs;
  return Math.round(Math.min(settings.maxTimeMs, Math.max(settings.minTimeMs, base * settings.timeFactor)));
}

/** Per-test address-space limit in bytes: the problem's memory limit plus the interpreter's allowance. */
export function stdioMemoryBytes(task: StdioTask, settings: StdioLimitSettings = defaultStdioLimits): number {
  return (task.memoryLimitBytes ?? settings.defaultMemoryBytes) + settings.interpreterBytes;
}

/** The program of a sample: its first Python fenced block, else the whole text. */
export function stdioProgram(text: string): string {
  return extractCodeBlock(text) ?? text;
}

/** Why one test failed, or null when it passed. */
export function stdioTestFailure(result: PythonResult, expected: string, floatTolerance: number): string | null {
  if (result.stdoutTruncated) return 'output-limit';
  if (result.status === 'timeout') return 'time-limit';
  if (result.status === 'failed') return `runtime-error${result.exception ? `: ${result.exception}` : ''}`;
  if (result.status === 'crashed') return `runtime-error: ${result.reason}`;
  return outputsMatch(expected, result.stdout, floatTolerance) ? null : 'wrong-answer';
}

/** The verdict reason of a failing test: `<kind> test <n>[ (<source>)][: <detail>]`. */
export function stdioFailureReason(failure: string, testNumber: number, source: StdioTest['source']): string {
  const [kind, detail] = failure.split(': ', 2) as [string, string | undefined];
  return `${kind} test ${testNumber}${source ? ` (${source})` : ''}${detail ? `: ${detail}` : ''}`;
}

/**
 * Creates the `stdio` verifier. Verdict reasons: `accepted`, or the first failure and its test
 * (1-based, in the order public, private, generated; the test's kind when the dataset names it):
 * `wrong-answer test 3 (private)`, `time-limit test 2`, `runtime-error test 1: ZeroDivisionError`,
 * `output-limit test 1 (public)`. A SandboxError (the sandbox cannot run programs) and its subclass
 * StdioTestsError STDIO_TESTS_UNREADABLE (the tests file is missing or damaged) are thrown, never verdicts.
 */
export function createStdioVerifier(options: StdioVerifierOptions = {}): Verifier {
  const settings: StdioLimitSettings = { ...defaultStdioLimits, ...options.limits };
  let ownPool: PythonPool | undefined;
  const pool = (): PythonPool => {
    if (options.pool) return options.pool;
    ownPool ??= createPythonPool(options.poolOptions);
    return ownPool;
  };
  return {
    kind: 'stdio',
    async verify(problem: Problem, text: string, signal?: AbortSignal): Promise<Verdict> {
      const task = problem.stdio;
      if (!task || (task.tests.length === 0 && task.testsFile === undefined)) {
        throw new SandboxError('STDIO_TASK_MISSING', `problem '${problem.id}' has no stdin/stdout tests`, {
          hint: 'Use the stdio verifier only with problems that set `stdio.tests` or `stdio.testsFile` (e.g. the stdio-mini or code_contests dataset).',
        });
      }
      const program = stdioProgram(text);
      const limits = { timeoutMs: stdioTimeLimitMs(task, settings), memoryBytes: stdioMemoryBytes(task, settings), maxOutputBytes: settings.maxOutputBytes };
      let testNumber = 0;
      for await (const test of stdioTests(task)) {
        testNumber += 1;
        const result = await pool().run(program, { ...limits, stdin: test.input, exitOk: true, stopAtOutputLimit: true, ...(signal ? { signal } : {}) });
        const failure = stdioTestFailure(result, test.output, settings.floatTolerance);
        if (failure !== null) return { correct: false, answer: null, answerKey: null, reason: stdioFailureReason(failure, testNumber, test.source) };
      }
      if (testNumber === 0) {
        throw new SandboxError('STDIO_TASK_MISSING', `problem '${problem.id}' has no stdin/stdout tests (its tests file is empty)`, {
          hint: 'Without tests every program would pass: check the dataset, or delete its tests cache folder and load it again.',
        });
      }
      return { correct: true, answer: null, answerKey: null, reason: 'accepted' };
    },
    async close() {
      const closing = ownPool;
      ownPool = undefined;
      await closing?.close();
    },
  };
}
