import { describe, expect, it } from 'vitest';
import { defaultKs } from '../../harness/metrics/compute-cell-metrics.ts';
import { fitScalingLaw, scalingLawCurve } from '../../harness/metrics/scaling-law-fit.ts';

describe('fitScalingLaw', () => {
  it.each([
    [-1.33, -0.43],
    [-0.75, -0.46],
    [-2.5, -0.2],
    [-0.1, -0.9],
  ])('recovers a = %d, b = %d from exact exp(a·k^b) on log-spaced k', (a, b) => {
    const points = defaultKs(10_000).map((k) => ({ k, coverage: Math.exp(a * k ** b) }));
    const fit = fitScalingLaw(points);
    expect(fit.a).toBeCloseTo(a, 6);
    expect(fit.b).toBeCloseTo(b, 6);
    expect(fit.rmse).toBeLessThan(1e-7);
    expect(fit.points).toBe(18);
  });

  it('recovers (a, b) within 0.05 from noisy coverage', () => {
    const noise = [0.01, -0.008, 0.004, -0.012, 0.006, 0.009, -0.003, 0.002, -0.005];
    const points = defaultKs(250).map((k, index) => ({ k, coverage: Math.exp(-1.33 * k ** -0.43) * (1 + (noise[index] ?? 0)) }));
    const fit = fitScalingLaw(points);
    expect(Math.abs(fit.a + 1.33)).toBeLessThan(0.05);
    expect(Math.abs(fit.b + 0.43)).toBeLessThan(0.05);
    expect(fit.rmse).toBeGreaterThan(0);
    expect(fit.rmseCoverage).toBeLessThan(0.01);
  });

  it('leaves out coverage 0 and keeps coverage 1', () => {
    const points = [{ k: 1, coverage: 0 }, ...[2, 4, 8, 16].map((k) => ({ k, coverage: Math.exp(-1 * k ** -0.5) })), { k: 1e12, coverage: 1 }];
    const fit = fitScalingLaw(points);
    expect(fit.excluded).toBe(1);
    expect(fit.points).toBe(5);
    expect(fit.a).toBeCloseTo(-1, 4);
    expect(fit.b).toBeCloseTo(-0.5, 4);
  });

  it.each([[[]], [[{ k: 1, coverage: 0.5 }]], [[{ k: 2, coverage: 0.5 }, { k: 2, coverage: 0.6 }]], [[{ k: 1, coverage: 0 }, { k: 2, coverage: 0 }]]])(
    'throws FIT_TOO_FEW_POINTS for %j',
    (points) => {
      expect(() => fitScalingLaw(points)).toThrowError(expect.objectContaining({ code: 'FIT_TOO_FEW_POINTS' }) as Error);
    },
  );
});

describe('scalingLawCurve', () => {
  it('evaluates exp(a·k^b)', () => {
    expect(scalingLawCurve({ a: -1.33, b: -0.43 }, [1, 100])).toEqual([
      { k: 1, coverage: Math.exp(-1.33) },
      { k: 100, coverage: Math.exp(-1.33 * 100 ** -0.43) },
    ]);
  });
});
