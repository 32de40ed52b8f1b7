import { describe, expect, it } from 'vitest';
import { createRandom, randomBeta } from '../../harness/core/random.ts';
import { fitBetaForecast } from '../../harness/metrics/beta-forecast.ts';
import { passAtK } from '../../harness/metrics/pass-at-k.ts';

function synthetic(alpha: number, beta: number, problems: number, n: number, seed: number): Array<{ n: number; c: number }> {
  const random = createRandom(seed);
  return Array.from({ length: problems }, () => {
    const rate = randomBeta(random, alpha, beta);
    let c = 0;
    for (let sample = 0; sample < n; sample += 1) if (random.next() < rate) c += 1;
    return { n, c };
  });
}

describe('fitBetaForecast', () => {
  it.each([
    [0.4, 1.5, 0.15],
    [2, 3, 0.15],
    [0.15, 0.6, 0.15],
  ])('recovers alpha = %d, beta = %d (within %d relative) from 3000 seeded problems', (alpha, beta, tolerance) => {
    const fit = fitBetaForecast(synthetic(alpha, beta, 3000, 50, 17));
    expect(Math.abs(fit.alpha / alpha - 1)).toBeLessThan(tolerance);
    expect(Math.abs(fit.beta / beta - 1)).toBeLessThan(tolerance);
    expect(fit.fittedAtN).toBe(50);
  });

  it('predicts 1 − B(alpha, beta + k)/B(alpha, beta)', () => {
    const fit = fitBetaForecast(synthetic(0.5, 2, 500, 20, 3));
    // E[(1 − p)^k] under Beta(alpha, beta) = ∏_{i<k} (beta + i)/(alpha + beta + i).
    for (const k of [1, 10, 1000]) {
      let product = 1;
      for (let i = 0; i < k; i += 1) product *= (fit.beta + i) / (fit.alpha + fit.beta + i);
      expect(fit.predict(k)).toBeCloseTo(1 - product, 10);
    }
    expect(fit.predict(1)).toBeCloseTo(fit.alpha / (fit.alpha + fit.beta), 12);
  });

  it('forecasts coverage at large k from few samples', () => {
    // 400 problems, rates ~ Beta(0.3, 3): fit on 10 samples each, check against 1000 samples each.
    const random = createRandom(8);
    const rates = Array.from({ length: 400 }, () => randomBeta(random, 0.3, 3));
    const draw = (n: number): Array<{ n: number; c: number }> =>
      rates.map((rate) => {
        let c = 0;
        for (let sample = 0; sample < n; sample += 1) if (random.next() < rate) c += 1;
        return { n, c };
      });
    const forecast = fitBetaForecast(draw(10));
    const large = draw(1000);
    const observed = large.reduce((sum, entry) => sum + passAtK(entry.n, entry.c, 500), 0) / large.length;
    expect(forecast.fittedAtN).toBe(10);
    expect(Math.abs(forecast.predict(500) - observed)).toBeLessThan(0.06);
  });

  it('throws without problems that have samples', () => {
    expect(() => fitBetaForecast([{ n: 0, c: 0 }])).toThrowError(expect.objectContaining({ code: 'FIT_TOO_FEW_POINTS' }) as Error);
  });
});
