import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../harness/core/errors.ts';
import { RetryExhaustedError, retryDelayMs, withRetry, type RetryPolicy } from '../../harness/run/retry.ts';
import { rejectionOf } from '../providers/request-helper.ts';

const policy: RetryPolicy = { attempts: 5, baseDelayMs: 100, maxDelayMs: 1000, timeoutMs: 60_000 };

function transient(code = 'SERVER_ERROR', retryAfterMs?: number): ProviderError {
  return new ProviderError(code, `${code} happened`, { retryable: true, status: 503, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
}

/** A sleep that records the waits and returns at once (a fake clock). */
function recordingSleep(): { waits: number[]; sleep: (ms: number, signal: AbortSignal) => Promise<void> } {
  const waits: number[] = [];
  return {
    waits,
    sleep: async (ms, signal) => {
      if (signal.aborted) throw signal.reason;
      waits.push(ms);
    },
  };
}

/** A call failing with the given errors in turn, then answering `done`. */
function failing(errors: unknown[]): { attempts: number[]; call: (signal: AbortSignal, attempt: number) => Promise<string> } {
  const attempts: number[] = [];
  return {
    attempts,
    call: async (_signal, attempt) => {
      attempts.push(attempt);
      const error = errors[attempt - 1];
      if (error !== undefined) throw error;
      return 'done';
    },
  };
}

describe('retryDelayMs', () => {
  it.each([
    // attempt, random, retryAfterMs, expected
    [1, 0.5, undefined, 50],
    [2, 0.5, undefined, 100],
    [3, 0.5, undefined, 200],
    [4, 0.999, undefined, 799],
    [5, 0.999, undefined, 999],
    [9, 0.5, undefined, 500],
    [1, 0, undefined, 0],
    [1, 0.5, 700, 700],
    [1, 0.5, 20, 50],
    [1, 0.5, 120_000, 1000],
  ])('attempt %i, random %d, Retry-After %s → %i ms', (attempt, random, retryAfterMs, expected) => {
    expect(retryDelayMs(attempt, policy, () => random, retryAfterMs)).toBe(expected);
  });
});

describe('withRetry', () => {
  it('retries transient failures with jittered exponential backoff and returns the answer', async () => {
    const clock = recordingSleep();
    const retries: Array<[string, number, number]> = [];
    const { call, attempts } = failing([transient(), transient('RATE_LIMITED')]);
    const result = await withRetry(call, policy, { sleep: clock.sleep, random: () => 0.5, onRetry: (error, attempt, delayMs) => retries.push([error.code, attempt, delayMs]) }, new AbortController().signal);
    expect(result).toBe('done');
    expect(attempts).toEqual([1, 2, 3]);
    expect(clock.waits).toEqual([50, 100]);
    expect(retries).toEqual([
      ['SERVER_ERROR', 1, 50],
      ['RATE_LIMITED', 2, 100],
    ]);
  });

  it.each([
    [3000, 1000],
    [400, 400],
  ])('honours Retry-After %i ms, bounded by maxDelayMs → %i ms', async (retryAfterMs, wait) => {
    const clock = recordingSleep();
    const { call } = failing([transient('RATE_LIMITED', retryAfterMs)]);
    await withRetry(call, policy, { sleep: clock.sleep, random: () => 0 }, new AbortController().signal);
    expect(clock.waits).toEqual([wait]);
  });

  it('stops at a non-retryable error, carrying the attempt count', async () => {
    const clock = recordingSleep();
    const notFound = new ProviderError('MODEL_NOT_FOUND', 'model x was not found', { retryable: false, status: 404, hint: 'pull it', endpoint: 'http://a' });
    const { call, attempts } = failing([transient(), notFound]);
    const error = (await rejectionOf(withRetry(call, policy, { sleep: clock.sleep, random: () => 0.5 }, new AbortController().signal))) as RetryExhaustedError;
    expect(error).toBeInstanceOf(RetryExhaustedError);
    expect(error).toMatchObject({ code: 'MODEL_NOT_FOUND', attempts: 2, status: 404, hint: 'pull it', endpoint: 'http://a', retryable: false });
    expect(error.message).toBe('model x was not found (after 2 attempts)');
    expect(error.lastError).toBe(notFound);
    expect(attempts).toEqual([1, 2]);
  });

  it('gives up after the last attempt', async () => {
    const clock = recordingSleep();
    const { call, attempts } = failing([transient(), transient(), transient()]);
    const error = (await rejectionOf(withRetry(call, { ...policy, attempts: 3 }, { sleep: clock.sleep, random: () => 1 }, new AbortController().signal))) as RetryExhaustedError;
    expect(error).toMatchObject({ code: 'SERVER_ERROR', attempts: 3, retryable: true });
    expect(attempts).toEqual([1, 2, 3]);
    expect(clock.waits).toEqual([100, 200]);
  });

  it('turns a per-attempt timeout into a retryable TIMEOUT', async () => {
    const clock = recordingSleep();
    const seen: boolean[] = [];
    const call = (signal: AbortSignal, attempt: number): Promise<string> =>
      attempt === 1
        ? new Promise((_resolve, reject) => signal.addEventListener('abort', () => (seen.push(signal.aborted), reject(signal.reason as Error))))
        : Promise.resolve('second');
    const result = await withRetry(call, { ...policy, timeoutMs: 10 }, { sleep: clock.sleep, random: () => 0 }, new AbortController().signal);
    expect(result).toBe('second');
    expect(seen).toEqual([true]);
  });

  it('times out a call that ignores its signal', async () => {
    const clock = recordingSleep();
    const error = (await rejectionOf(
      withRetry(() => new Promise<string>(() => undefined), { ...policy, attempts: 2, timeoutMs: 10 }, { sleep: clock.sleep, random: () => 0 }, new AbortController().signal),
    )) as RetryExhaustedError;
    expect(error).toMatchObject({ code: 'TIMEOUT', attempts: 2, retryable: true });
  });

  it('rethrows the parent abort during a call, without retrying', async () => {
    const controller = new AbortController();
    const reason = new Error('user pressed Ctrl-C');
    let calls = 0;
    const call = (signal: AbortSignal): Promise<string> => {
      calls += 1;
      queueMicrotask(() => controller.abort(reason));
      return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(transient())));
    };
    expect(await rejectionOf(withRetry(call, policy, { sleep: recordingSleep().sleep }, controller.signal))).toBe(reason);
    expect(calls).toBe(1);
  });

  it('rethrows the parent abort during a backoff wait', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    const sleep = (_ms: number, signal: AbortSignal): Promise<void> =>
      new Promise((_resolve, reject) => {
        signal.addEventListener('abort', () => reject(signal.reason));
        controller.abort(reason);
      });
    const { call, attempts } = failing([transient(), transient()]);
    expect(await rejectionOf(withRetry(call, policy, { sleep }, controller.signal))).toBe(reason);
    expect(attempts).toEqual([1]);
  });

  it('rethrows errors that are not ProviderErrors unchanged (programming errors are not retried)', async () => {
    const bug = new TypeError('x is undefined');
    const { call, attempts } = failing([bug]);
    expect(await rejectionOf(withRetry(call, policy, { sleep: recordingSleep().sleep }, new AbortController().signal))).toBe(bug);
    expect(attempts).toEqual([1]);
  });

  it('does not start when already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('early'));
    const { call, attempts } = failing([]);
    expect(((await rejectionOf(withRetry(call, policy, {}, controller.signal))) as Error).message).toBe('early');
    expect(attempts).toEqual([]);
  });
});
