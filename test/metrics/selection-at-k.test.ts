import { describe, expect, it } from 'vitest';
import { bestOfKAtK, weightedMajorityAtK } from '../../harness/metrics/selection-at-k.ts';
import { majorityAtK } from '../../harness/metrics/majority-at-k.ts';
import { bruteBestOfK, bruteWeightedMajority } from './reference.ts';

const scored: Array<[name: string, scores: number[], correct: boolean[]]> = [
  ['distinct scores', [0.9, 0.1, 0.5, 0.7, 0.3, 0.2], [false, true, true, false, true, false]],
  ['tied scores', [0.5, 0.5, 0.5, 0.2, 0.9, 0.9, 0.1], [true, false, false, true, true, false, false]],
  ['all tied', [1, 1, 1, 1], [true, false, false, false]],
  ['infinite scores', [Number.NEGATIVE_INFINITY, 3, Number.POSITIVE_INFINITY, 3, 0], [true, true, false, false, true]],
];

describe('bestOfKAtK against brute force', () => {
  const table = scored.flatMap(([name, scores, correct]) => scores.map((_, index) => ({ name, scores, correct, k: index + 1 })));
  it.each(table)('$name, k=$k', ({ scores, correct, k }) => {
    expect(bestOfKAtK(scores, correct, k)).toBeCloseTo(bruteBestOfK(scores, correct, k), 12);
  });

  it('is the mean accuracy at k = 1 and the top group at k = n', () => {
    expect(bestOfKAtK([0.3, 0.8, 0.8], [true, true, false], 1)).toBeCloseTo(2 / 3, 14);
    expect(bestOfKAtK([0.3, 0.8, 0.8], [true, true, false], 3)).toBe(0.5);
  });

  it('throws K_EXCEEDS_N and rejects NaN scores', () => {
    expect(() => bestOfKAtK([1, 2], [true, false], 3)).toThrowError(expect.objectContaining({ code: 'K_EXCEEDS_N' }) as Error);
    expect(() => bestOfKAtK([1, Number.NaN], [true, false], 1)).toThrowError(
      expect.objectContaining({ code: 'METRIC_INVALID_ARGUMENT' }) as Error,
    );
  });
});

describe('weightedMajorityAtK', () => {
  const keys = ['a', 'b', 'b', 'c', null, 'a', 'b', 'a'];
  const scores = [0.9, 0.2, 0.3, 0.95, 0.5, 0.1, 0.4, 0.6];
  const correct = [true, false, false, false, false, true, false, true];

  it.each(keys.map((_, index) => ({ k: index + 1 })))('enumerates exactly when cheap, k=$k', ({ k }) => {
    expect(weightedMajorityAtK(keys, scores, correct, k, { draws: 1000, seed: 0 })).toBeCloseTo(bruteWeightedMajority(keys, scores, correct, k), 12);
  });

  it('equals majority@k when every score is 1', () => {
    const ones = keys.map(() => 1);
    for (const k of [1, 3, 5, 8]) {
      expect(weightedMajorityAtK(keys, ones, correct, k, { draws: 1000, seed: 0 })).toBeCloseTo(majorityAtK(keys, correct, k), 12);
    }
  });

  it('treats sums equal up to rounding as a tie', () => {
    // 0.1 + 0.2 !== 0.3 in floating point; the two classes still tie and each wins half the time.
    expect(weightedMajorityAtK(['a', 'a', 'b'], [0.1, 0.2, 0.3], [true, true, false], 3, { draws: 10, seed: 0 })).toBe(0.5);
  });

  it('Monte Carlo is seeded and close to the exact value', () => {
    const exact = bruteWeightedMajority(keys, scores, correct, 4);
    const first = weightedMajorityAtK(keys, scores, correct, 4, { draws: 20, seed: 3 });
    expect(weightedMajorityAtK(keys, scores, correct, 4, { draws: 20, seed: 3 })).toBe(first);
    const many = weightedMajorityAtK(keys, scores, correct, 4, { draws: 50, seed: 3 });
    expect(many).not.toBe(exact);
    const large = weightedMajorityAtK(
      [...keys, ...keys, ...keys],
      [...scores, ...scores, ...scores],
      [...correct, ...correct, ...correct],
      12,
      { draws: 20_000, seed: 4 },
    );
    expect(large).toBeGreaterThan(0);
    expect(large).toBeLessThanOrEqual(1);
    expect(Math.abs(weightedMajorityAtK(keys, scores, correct, 4, { draws: 20_000, seed: 5 }) - exact)).toBeLessThan(0.02);
  });
});
