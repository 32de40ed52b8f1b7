/**
 * Waiting on AbortSignals: one listener per signal however many waiters, abortable sleeps, and
 * racing a promise against a signal. Shared by the scheduler and the providers.
 */

/** Longest delay setTimeout takes (about 24.8 days). */
export const longestTimerMs = 2_147_483_647;

/** Callbacks waiting on each signal: one real listener per signal fans out to all of them. */
const abortSubscribers = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Calls `callback` once when `signal` aborts (soon, when it already has); returns the unsubscribe function. Many concurrent
 * calls share one listener per signal, so a run's root signal does not collect thousands of
 * listeners (Node warns past 10) and linking stays cheap (AbortSignal.any costs ~40 µs in Node 20).
 */
export function subscribeAbort(signal: AbortSignal, callback: () => void): () => void {
  if (signal.aborted) {
    queueMicrotask(callback);
    return () => undefined;
  }
  let subscribers = abortSubscribers.get(signal);
  if (subscribers === undefined) {
    const created = new Set<() => void>();
    abortSubscribers.set(signal, created);
    signal.addEventListener(
      'abort',
      () => {
        const waiting = [...created];
        created.clear();
        for (const waiter of waiting) waiter();
      },
      { once: true },
    );
    subscribers = created;
  }
  const set = subscribers;
  set.add(callback);
  return () => {
    set.delete(callback);
  };
}

/** Waits `ms` milliseconds on a timer; rejects with the signal's reason as soon as it aborts. */
export function sleepWithSignal(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const unsubscribe = subscribeAbort(signal, () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
    const timer = setTimeout(() => {
      unsubscribe();
      resolve();
    }, Math.min(ms, longestTimerMs));
  });
}

/**
 * The call's outcome, or the signal's reason as soon as it aborts, so a call that ignores its
 * signal cannot hold up a timeout or a cancellation (its late outcome is dropped).
 */
export function settleOrAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  promise.catch(() => undefined);
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
