import { describe, expect, it } from 'vitest';
import { createEtaEstimator, formatEta } from '../../harness/cli/eta-estimator.ts';

describe('createEtaEstimator', () => {
  it('estimates from a steady rate and moves gradually after a burst', () => {
    let time = 0;
    const eta = createEtaEstimator({ now: () => time, smoothingMs: 20_000 });
    expect(eta.update(0, 1000)).toBeUndefined();
    time = 1000;
    expect(eta.update(10, 1000)).toBeCloseTo(99, 6);
    const estimates: number[] = [];
    // A burst of 200 samples in one second (e.g. fast cached answers), then the steady rate again.
    time = 2000;
    estimates.push(eta.update(210, 1000) as number);
    for (let step = 1; step <= 5; step += 1) {
      time = 2000 + step * 1000;
      estimates.push(eta.update(210 + step * 10, 1000) as number);
    }
    // No jump to ~4 s after the burst: the smoothed rate rose by about 5%·190/s.
    expect(estimates[0]).toBeGreaterThan(40);
    for (let i = 1; i < estimates.length; i += 1) expect(Math.abs((estimates[i] as number) - (estimates[i - 1] as number))).toBeLessThan(15);
  });

  it('says 0 when done and formats durations', () => {
    let time = 0;
    const eta = createEtaEstimator({ now: () => time });
    eta.update(0, 10);
    time = 1000;
    expect(eta.update(10, 10)).toBe(0);
    expect([formatEta(undefined), formatEta(42.4), formatEta(185), formatEta(3720)]).toEqual(['?', '42s', '3m 05s', '1h 02m']);
  });
});
