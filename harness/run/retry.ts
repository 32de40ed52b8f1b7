/**
 * Retries a provider call: exponential backoff with full jitter, `Retry-After` honoured (bounded),
 * a per-attempt timeout, and prompt cancellation through an AbortSignal.
 */
import { longestTimerMs, settleOrAbort, sleepWithSignal, subscribeAbort } from '../core/abort.ts';
import { ProviderError } from '../core/errors.ts';

export { settleOrAbort, sleepWithSignal, subscribeAbort } from '../core/abort.ts';

/** How hard to try. */
export interface RetryPolicy {
  /** Attempts in all, the first included (1 = no retry). */
  attempts: number;
  /** Backoff ceiling of the first retry, milliseconds; doubles each retry. */
  baseDelayMs: number;
  /** Longest wait between attempts, milliseconds; also bounds a server's Retry-After. */
  maxDelayMs: number;
  /** Time limit of one attempt, milliseconds. */
  timeoutMs: number;
}

/** What withRetry needs from outside (all optional; injected in tests). */
export interface RetryDependencies {
  /** Waits `ms` milliseconds; rejects with the signal's reason when it aborts. Default: a timer. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Uniform numbers in [0, 1) for the jitter. Default: Math.random. */
  random?: () => number;
  /** Told before each wait: the failure, the attempt that failed (1-based) and the wait, milliseconds. */
  onRetry?: (error: ProviderError, attempt: number, delayMs: number) => void;
}

/**
 * Thrown by withRetry when a call failed for good: a non-retryable error, or every attempt used.
 * It repeats the last ProviderError (code, message, status, hint, endpoint; `cause` is that error)
 * and adds `attempts`, the number of calls made.
 */
export class RetryExhaustedError extends ProviderError {
  /** Calls made, the failed last one included. */
  readonly attempts: number;
  /** The final failure. */
  readonly lastError: ProviderError;

  constructor(lastError: ProviderError, attempts: number) {
    super(lastError.code, attempts > 1 ? `${lastError.message} (after ${attempts} attempts)` : lastError.message, {
      retryable: lastError.retryable,
      cause: lastError,
      ...(lastError.hint === undefined ? {} : { hint: lastError.hint }),
      ...(lastError.status === undefined ? {} : { status: lastError.status }),
      ...(lastError.retryAfterMs === undefined ? {} : { retryAfterMs: lastError.retryAfterMs }),
      ...(lastError.endpoint === undefined ? {} : { endpoint: lastError.endpoint }),
    });
    this.attempts = attempts;
    this.lastError = lastError;
  }
}

/** Longest delay setTimeout accepts (2^31 − 1 ms, about 24.8 days); longer ones would fire at once. */

/**
 * The wait before retry number `attempt` (1 = after the first failure): full jitter over
 * `min(maxDelayMs, baseDelayMs·2^(attempt−1))`, raised to the server's Retry-After when it sent
 * one, and never above `maxDelayMs`.
 */
export function retryDelayMs(attempt: number, policy: RetryPolicy, random: () => number, retryAfterMs?: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.floor(random() * ceiling);
  return Math.min(policy.maxDelayMs, Math.max(jittered, retryAfterMs ?? 0));
}


/** Why an attempt's own timer fired. */
class AttemptTimeout extends Error {
  constructor() {
    super('attempt timed out');
    this.name = 'TimeoutError';
  }
}

/**
 * Calls `call` until it succeeds, at most `policy.attempts` times. Each attempt gets its own signal that
 * aborts when `signal` aborts or after `policy.timeoutMs` (a timeout becomes a retryable
 * ProviderError `TIMEOUT`). Retryable ProviderErrors are retried after `retryDelayMs`; a
 * non-retryable one, or the last failure, is thrown as a RetryExhaustedError carrying the attempt
 * count. An abort of `signal` rethrows its reason at once (during a call or a wait). Errors that are
 * not ProviderErrors are programming errors: rethrown unchanged, never retried.
 */
export async function withRetry<T>(
  call: (signal: AbortSignal, attempt: number) => Promise<T>,
  policy: RetryPolicy,
  deps: RetryDependencies,
  signal: AbortSignal,
): Promise<T> {
  const sleep = deps.sleep ?? sleepWithSignal;
  const random = deps.random ?? Math.random;
  const attempts = Math.max(1, policy.attempts);
  for (let attempt = 1; ; attempt += 1) {
    if (signal.aborted) throw signal.reason;
    // The attempt's signal: aborts with the parent, or on the attempt's own timer.
    const attemptController = new AbortController();
    let timedOut = false;
    const unsubscribe = subscribeAbort(signal, () => attemptController.abort(signal.reason));
    const timer = setTimeout(() => {
      timedOut = true;
      attemptController.abort(new AttemptTimeout());
    }, Math.min(policy.timeoutMs, longestTimerMs));
    let failure: ProviderError;
    try {
      return await settleOrAbort(call(attemptController.signal, attempt), attemptController.signal);
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (timedOut) {
        failure = new ProviderError('TIMEOUT', `no response within ${policy.timeoutMs} ms`, {
          retryable: true,
          cause: error,
          hint: 'Raise `retry.timeoutMs` for slow models or long generations, or lower `concurrency`.',
          ...(error instanceof ProviderError && error.endpoint !== undefined ? { endpoint: error.endpoint } : {}),
        });
      } else if (error instanceof ProviderError) {
        failure = error;
      } else {
        throw error;
      }
    } finally {
      clearTimeout(timer);
      unsubscribe();
    }
    if (!failure.retryable || attempt >= attempts) throw new RetryExhaustedError(failure, attempt);
    const delayMs = retryDelayMs(attempt, policy, random, failure.retryAfterMs);
    deps.onRetry?.(failure, attempt, delayMs);
    await sleep(delayMs, signal);
  }
}
