import { describe, expect, it } from 'vitest';
import { bootstrapInterval, quantile } from '../../harness/metrics/bootstrap.ts';

const values = [0, 0.1, 0.25, 0.3, 0.5, 0.5, 0.7, 0.9, 1, 1, 0.2, 0.05];

describe('bootstrapInterval', () => {
  it('gives the same interval for the same seed and values', () => {
    const first = bootstrapInterval(values, { draws: 1000, seed: 42 });
    const again = bootstrapInterval(values, { draws: 1000, seed: 42 });
    expect(again).toEqual(first);
  });

  it('moves with the seed but keeps the mean as the point estimate', () => {
    const first = bootstrapInterval(values, { draws: 1000, seed: 1 });
    const other = bootstrapInterval(values, { draws: 1000, seed: 2 });
    expect(other.low === first.low && other.high === first.high).toBe(false);
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(first.value).toBeCloseTo(mean, 15);
    expect(other.value).toBeCloseTo(mean, 15);
  });

  it('brackets the mean, with a normal-theory width for a large sample', () => {
    const many = Array.from({ length: 400 }, (_, index) => (index % 4 === 0 ? 1 : 0));
    const interval = bootstrapInterval(many, { draws: 2000, seed: 7 });
    expect(interval.value).toBe(0.25);
    // 1.96 · sqrt(0.25 · 0.75 / 400) = 0.0424
    expect(interval.value - interval.low).toBeGreaterThan(0.035);
    expect(interval.value - interval.low).toBeLessThan(0.05);
    expect(interval.high - interval.value).toBeGreaterThan(0.035);
    expect(interval.high - interval.value).toBeLessThan(0.05);
  });

  it('narrows with a lower confidence', () => {
    const wide = bootstrapInterval(values, { draws: 2000, seed: 3 });
    const narrow = bootstrapInterval(values, { draws: 2000, seed: 3, confidence: 0.5 });
    expect(narrow.high - narrow.low).toBeLessThan(wide.high - wide.low);
  });

  it.each([
    [[0.4], { value: 0.4, low: 0.4, high: 0.4 }],
    [[1, 1, 1], { value: 1, low: 1, high: 1 }],
  ])('has zero width for constant values %j', (input, expected) => {
    expect(bootstrapInterval(input, { draws: 100, seed: 0 })).toEqual(expected);
  });

  it.each([
    [[], { draws: 10, seed: 0 }, 'METRIC_NO_PROBLEMS'],
    [[0.5], { draws: 0, seed: 0 }, 'METRIC_INVALID_ARGUMENT'],
    [[0.5], { draws: 10, seed: 0, confidence: 1 }, 'METRIC_INVALID_ARGUMENT'],
  ])('rejects %j with %j', (input, options, code) => {
    expect(() => bootstrapInterval(input, options)).toThrowError(expect.objectContaining({ code }) as Error);
  });
});

describe('quantile', () => {
  it.each([
    [0, 1],
    [0.25, 1.75],
    [0.5, 2.5],
    [1, 4],
  ])('type-7 quantile at %d of [1, 2, 3, 4] is %d', (probability, expected) => {
    expect(quantile([1, 2, 3, 4], probability)).toBeCloseTo(expected, 15);
  });
});
