/**
 * Per-problem time limits of function-style code problems (HumanEval, MBPP and their EvalPlus
 * versions), set from the reference solution's measured runtime as EvalPlus does:
 * `limit = max(floorMs, factor × referenceRuntimeMs)`. In core because the verifier (which
 * applies a limit) and the store (which records it in problems.jsonl) both use the shape.
 */

/** How a problem's limit is derived. Config keys of the same names; every field has a default. */
export interface FunctionTimeLimitSettings {
  /** Multiplier on the reference solution's runtime. Default 4 (EvalPlus's `--gt-time-limit-factor`). */
  factor: number;
  /**
   * Smallest limit, in milliseconds. Default 1000: the limit covers a whole program (every test of
   * the problem), whose reference runs in tens of milliseconds, and 1 s absorbs the jitter of a
   * loaded machine. (EvalPlus's floor, 4 s, is per test input.)
   */
  floorMs: number;
  /** Limit of a problem without a reference solution, or whose reference does not pass its own tests, in milliseconds. Default 3000 (the fixed limit). */
  fallbackMs: number;
}

/** Default settings: factor 4, floor 1000 ms, fallback 3000 ms. */
export const defaultFunctionTimeLimits: Readonly<FunctionTimeLimitSettings> = {
  factor: 4,
  floorMs: 1000,
  fallbackMs: 3000,
};

/**
 * Where a limit came from: `reference` (measured runtime × factor, or the floor), `no-reference`
 * (the problem has no reference solution: the fallback), `reference-failed` (the reference did not
 * pass its own tests within the measuring limit: the fallback).
 */
export type TimeLimitSource = 'reference' | 'no-reference' | 'reference-failed';

/** The limit a problem's samples were judged with, as problems.jsonl records it. */
export interface ProblemTimeLimit {
  /** Wall-clock limit per program, in milliseconds. */
  timeoutMs: number;
  /** The reference solution's measured runtime in milliseconds (best of the measuring runs), or null when not measured. */
  referenceRuntimeMs: number | null;
  /** Where the limit came from. */
  source: TimeLimitSource;
  /** The factor used. */
  factor: number;
  /** The floor used, in milliseconds. */
  floorMs: number;
}

/** `max(floorMs, factor × runtimeMs)`, rounded up to a whole millisecond. */
export function timeLimitFromRuntime(runtimeMs: number, settings: Pick<FunctionTimeLimitSettings, 'factor' | 'floorMs'>): number {
  return Math.ceil(Math.max(settings.floorMs, settings.factor * runtimeMs));
}

/** The ProblemTimeLimit of a measurement: a runtime, or null when there is none (`source` says why). */
export function problemTimeLimit(runtimeMs: number | null, source: TimeLimitSource, settings: FunctionTimeLimitSettings): ProblemTimeLimit {
  const timeoutMs = runtimeMs === null || source !== 'reference' ? settings.fallbackMs : timeLimitFromRuntime(runtimeMs, settings);
  return { timeoutMs, referenceRuntimeMs: runtimeMs, source, factor: settings.factor, floorMs: settings.floorMs };
}
