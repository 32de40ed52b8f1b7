/**
 * Spreads requests over a model's endpoints: a concurrency limit per endpoint, the least busy
 * healthy endpoint first, and a cooldown for an endpoint that keeps failing (a circuit breaker:
 * closed → open for `cooldownMs` → half-open, one probe request → closed again on success).
 */
import { subscribeAbort } from '../core/abort.ts';

/** Pool settings. */
export interface EndpointPoolOptions {
  /** Requests in flight per endpoint at most. */
  concurrencyPerEndpoint: number;
  /** How long an endpoint rests after `failureThreshold` consecutive failures, milliseconds (default 30 000). */
  cooldownMs?: number;
  /** Consecutive failures that put an endpoint in cooldown (default 3). */
  failureThreshold?: number;
  /** Clock, milliseconds (default Date.now). */
  now?: () => number;
}

/** A slot on one endpoint; release it exactly once (later calls are ignored). */
export interface EndpointLease {
  /** The endpoint (base URL) to call. */
  endpoint: string;
  /** Frees the slot. `failure` counts towards the endpoint's cooldown; `ok` resets the count. */
  release(outcome: 'ok' | 'failure'): void;
}

/** How an endpoint stands, for progress displays and reports. */
export interface EndpointStatus {
  /** The endpoint. */
  endpoint: string;
  /** Requests in flight. */
  active: number;
  /** Consecutive failures. */
  consecutiveFailures: number;
  /** `healthy`, `cooling` (no new requests until the cooldown ends) or `probing` (one trial request). */
  state: 'healthy' | 'cooling' | 'probing';
}

/** A pool of endpoints. */
export interface EndpointPool {
  /** Waits for a free slot on the best endpoint; rejects with the signal's reason when it aborts. */
  acquire(signal: AbortSignal): Promise<EndpointLease>;
  /** Current state of every endpoint. */
  status(): EndpointStatus[];
}

interface EndpointState {
  endpoint: string;
  active: number;
  consecutiveFailures: number;
  /** Time the cooldown ends, milliseconds; undefined when not tripped. */
  cooldownUntil: number | undefined;
}

interface Waiter {
  resolve(lease: EndpointLease): void;
  /** Stops listening to the waiter's signal. */
  unsubscribe(): void;
}

/**
 * A pool over `endpoints`. When every endpoint is cooling and none has a request in flight, the one
 * whose cooldown ends first takes a probe at once instead of stalling the run: the retry backoff
 * already spaces those attempts.
 */
export function createEndpointPool(endpoints: ReadonlyArray<string>, options: EndpointPoolOptions): EndpointPool {
  if (endpoints.length === 0) throw new RangeError('an endpoint pool needs at least one endpoint');
  const limit = Math.max(1, options.concurrencyPerEndpoint);
  const cooldownMs = options.cooldownMs ?? 30_000;
  const failureThreshold = Math.max(1, options.failureThreshold ?? 3);
  const now = options.now ?? Date.now;
  const states: EndpointState[] = [...new Set(endpoints)].map((endpoint) => ({ endpoint, active: 0, consecutiveFailures: 0, cooldownUntil: undefined }));
  const waiters: Waiter[] = [];
  let turn = 0;

  function capacity(state: EndpointState, time: number): number {
    if (state.cooldownUntil === undefined) return limit;
    if (time < state.cooldownUntil) return 0;
    return 1; // half-open: one probe at a time
  }

  function pick(): EndpointState | undefined {
    const time = now();
    let best: EndpointState | undefined;
    // Rotate the start so equally busy endpoints take turns.
    for (let offset = 0; offset < states.length; offset += 1) {
      const state = states[(turn + offset) % states.length];
      if (state === undefined || state.active >= capacity(state, time)) continue;
      if (best === undefined || state.active < best.active) best = state;
    }
    if (best === undefined && states.every((state) => state.active === 0)) {
      best = [...states].sort((a, b) => (a.cooldownUntil ?? 0) - (b.cooldownUntil ?? 0))[0];
    }
    if (best !== undefined) turn = (states.indexOf(best) + 1) % states.length;
    return best;
  }

  function lease(state: EndpointState): EndpointLease {
    state.active += 1;
    let released = false;
    return {
      endpoint: state.endpoint,
      release(outcome: 'ok' | 'failure'): void {
        if (released) return;
        released = true;
        state.active -= 1;
        if (outcome === 'ok') {
          state.consecutiveFailures = 0;
          state.cooldownUntil = undefined;
        } else {
          state.consecutiveFailures += 1;
          if (state.consecutiveFailures >= failureThreshold) state.cooldownUntil = now() + cooldownMs;
        }
        dispatch();
      },
    };
  }

  function dispatch(): void {
    while (waiters.length > 0) {
      const state = pick();
      if (state === undefined) return;
      const waiter = waiters.shift();
      if (waiter === undefined) return;
      waiter.unsubscribe();
      waiter.resolve(lease(state));
    }
  }

  return {
    acquire(signal: AbortSignal): Promise<EndpointLease> {
      if (signal.aborted) return Promise.reject(signal.reason);
      if (waiters.length === 0) {
        const state = pick();
        if (state !== undefined) return Promise.resolve(lease(state));
      }
      return new Promise<EndpointLease>((resolve, reject) => {
        const waiter: Waiter = { resolve, unsubscribe: () => undefined };
        waiter.unsubscribe = subscribeAbort(signal, () => {
          const index = waiters.indexOf(waiter);
          if (index >= 0) waiters.splice(index, 1);
          reject(signal.reason);
        });
        waiters.push(waiter);
      });
    },
    status(): EndpointStatus[] {
      const time = now();
      return states.map((state) => ({
        endpoint: state.endpoint,
        active: state.active,
        consecutiveFailures: state.consecutiveFailures,
        state: state.cooldownUntil === undefined ? 'healthy' : time < state.cooldownUntil ? 'cooling' : 'probing',
      }));
    },
  };
}
