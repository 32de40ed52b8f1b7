import { describe, expect, it } from 'vitest';
import { createRandom } from '../../harness/core/random.ts';
import { sampleHypergeometric } from '../../harness/metrics/majority-at-k.ts';

/** Exact hypergeometric pmf with BigInt binomials. */
function pmf(population: number, successes: number, draws: number, x: number): number {
  const choose = (n: number, k: number): bigint => {
    if (k < 0 || k > n) return 0n;
    let result = 1n;
    for (let i = 1; i <= k; i += 1) result = (result * BigInt(n - k + i)) / BigInt(i);
    return result;
  };
  return Number((choose(successes, x) * choose(population - successes, draws - x) * 1_000_000_000n) / choose(population, draws)) / 1e9;
}

describe('sampleHypergeometric', () => {
  it.each([
    [20, 7, 5],
    [50, 25, 30],
    [12, 1, 6],
    [30, 29, 10],
  ])('matches the exact pmf of (N=%i, K=%i, n=%i) over 40,000 seeded draws', (population, successes, draws) => {
    const random = createRandom(99);
    const counts = new Map<number, number>();
    const trials = 40_000;
    for (let trial = 0; trial < trials; trial += 1) {
      const x = sampleHypergeometric(random, population, successes, draws);
      counts.set(x, (counts.get(x) ?? 0) + 1);
    }
    for (let x = 0; x <= Math.min(successes, draws); x += 1) {
      const expected = pmf(population, successes, draws, x);
      const observed = (counts.get(x) ?? 0) / trials;
      expect(Math.abs(observed - expected)).toBeLessThan(4 * Math.sqrt((expected * (1 - expected)) / trials) + 1e-4);
    }
  });

  it('has the right mean on large parameters (N = 10,000, k = 5,000)', () => {
    const random = createRandom(7);
    let sum = 0;
    for (let trial = 0; trial < 5000; trial += 1) sum += sampleHypergeometric(random, 10_000, 1234, 5000);
    expect(Math.abs(sum / 5000 - 617)).toBeLessThan(1);
  });

  it.each([
    [10, 0, 5, 0],
    [10, 10, 5, 5],
    [10, 8, 10, 8],
  ])('degenerate (N=%i, K=%i, n=%i) always gives %i', (population, successes, draws, only) => {
    expect(sampleHypergeometric(createRandom(1), population, successes, draws)).toBe(only);
  });
});
