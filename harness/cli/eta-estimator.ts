/**
 * A smoothed estimate of the time left: the sampling rate is an exponential moving average over
 * time (time constant `smoothingMs`), so a burst of fast (resumed, cached) or slow (retried)
 * samples moves the estimate gradually instead of making it jump.
 */

/** Estimates the time left from the count of finished items. */
export interface EtaEstimator {
  /** Records that `done` of `total` items are finished now; returns the estimate (see `secondsLeft`). */
  update(done: number, total: number): number | undefined;
  /** Seconds left at the smoothed rate; undefined until a rate has been seen (or when nothing moves). */
  secondsLeft(): number | undefined;
}

/** Options of createEtaEstimator. */
export interface EtaOptions {
  /** Clock in milliseconds (default `performance.now`); tests inject one. */
  now?: () => number;
  /** Time constant of the moving average, milliseconds (default 20 000): older rates weigh e^(−age/smoothingMs). */
  smoothingMs?: number;
  /** Updates closer than this to the previous sample of the rate are folded into the next one, milliseconds (default 250). */
  minIntervalMs?: number;
}

/** Creates an ETA estimator. */
export function createEtaEstimator(options: EtaOptions = {}): EtaEstimator {
  const now = options.now ?? ((): number => performance.now());
  const smoothingMs = options.smoothingMs ?? 20_000;
  const minIntervalMs = options.minIntervalMs ?? 250;
  let lastTime: number | undefined;
  let lastDone = 0;
  let rate: number | undefined;
  let left = 0;
  const estimate = (): number | undefined => (rate === undefined || rate <= 0 ? (left === 0 ? 0 : undefined) : left / rate / 1000);
  return {
    update(done, total) {
      const time = now();
      left = Math.max(0, total - done);
      if (lastTime === undefined) {
        lastTime = time;
        lastDone = done;
        return estimate();
      }
      const elapsed = time - lastTime;
      if (elapsed < minIntervalMs) return estimate();
      const instant = Math.max(0, done - lastDone) / elapsed;
      // The first rate is taken as is; later ones are blended by how much time they cover.
      const weight = rate === undefined ? 1 : 1 - Math.exp(-elapsed / smoothingMs);
      rate = rate === undefined ? instant : rate + weight * (instant - rate);
      lastTime = time;
      lastDone = done;
      return estimate();
    },
    secondsLeft: estimate,
  };
}

/** Formats seconds as `1h 02m`, `3m 05s` or `42s`; `?` when unknown. */
export function formatEta(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '?';
  const whole = Math.round(seconds);
  if (whole >= 3600) return `${Math.floor(whole / 3600)}h ${String(Math.floor((whole % 3600) / 60)).padStart(2, '0')}m`;
  if (whole >= 60) return `${Math.floor(whole / 60)}m ${String(whole % 60).padStart(2, '0')}s`;
  return `${whole}s`;
}
