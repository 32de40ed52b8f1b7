import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../harness/core/errors.ts';
import { passAtK } from '../../harness/metrics/pass-at-k.ts';
import { referencePassAtK } from './reference.ts';

describe('passAtK', () => {
  it.each([
    [1, 0, 1],
    [1, 1, 1],
    [5, 2, 1],
    [5, 2, 3],
    [5, 2, 4],
    [10, 1, 5],
    [100, 3, 10],
    [250, 1, 1],
    [250, 1, 128],
    [250, 37, 16],
    [250, 249, 2],
    [1000, 5, 250],
    [10_000, 1, 1],
    [10_000, 1, 100],
    [10_000, 1, 9_999],
    [10_000, 3, 1_000],
    [10_000, 50, 64],
    [10_000, 2_000, 3],
    [10_000, 9_000, 1_000],
    [10_000, 0, 10_000],
    [10_000, 10_000, 1],
  ])('n=%i c=%i k=%i equals the big-integer value', (n, c, k) => {
    const expected = referencePassAtK(n, c, k);
    expect(Math.abs(passAtK(n, c, k) - expected)).toBeLessThan(1e-12);
  });

  it.each([
    [10, 0, 3, 0],
    [10, 8, 3, 1],
    [10, 10, 10, 1],
    [4, 1, 1, 0.25],
    [4, 2, 2, 5 / 6],
  ])('n=%i c=%i k=%i is exactly %d', (n, c, k, expected) => {
    expect(passAtK(n, c, k)).toBeCloseTo(expected, 15);
  });

  it('throws K_EXCEEDS_N with a hint when k > n', () => {
    let caught: unknown;
    try {
      passAtK(100, 3, 101);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(HarnessError);
    const error = caught as HarnessError;
    expect(error.code).toBe('K_EXCEEDS_N');
    expect(error.message).toBe('k = 101 exceeds the 100 samples available; valid k are 1..100');
    expect(error.hint).toBe('Lower k to at most 100, or draw more samples per problem (sampling.samples) so that n >= k.');
  });

  it.each([
    [0, 0, 1],
    [10, 11, 1],
    [10, -1, 1],
    [10, 2, 0],
    [10, 2, 1.5],
    [10.5, 2, 1],
  ])('rejects n=%d c=%d k=%d', (n, c, k) => {
    expect(() => passAtK(n, c, k)).toThrowError(expect.objectContaining({ code: 'METRIC_INVALID_ARGUMENT' }) as Error);
  });
});
