import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../harness/core/errors.ts';
import { difficultyBins } from '../../harness/metrics/difficulty-bins.ts';

describe('difficultyBins', () => {
  it('cuts distinct solve rates into equal quantile bins, easiest first', () => {
    const rates = [0.1, 0.9, 0.5, 0.3, 0.7, 0.2, 0.8, 0.4, 0.6, 1.0];
    const { binOf, bins } = difficultyBins(rates, 5);
    expect(binOf).toEqual([5, 1, 3, 4, 2, 5, 2, 4, 3, 1]);
    expect(bins.map((bin) => bin.problems)).toEqual([2, 2, 2, 2, 2]);
    expect(bins[0]).toEqual({ bin: 1, problems: 2, highest: 1, lowest: 0.9 });
    expect(bins[4]).toEqual({ bin: 5, problems: 2, highest: 0.2, lowest: 0.1 });
  });

  it.each([
    [7, 3, [2, 3, 2]],
    [11, 5, [2, 2, 3, 2, 2]],
    [3, 5, [1, 0, 1, 0, 1]],
  ])('%i distinct values in %i bins give sizes %j', (count, binCount, sizes) => {
    const rates = Array.from({ length: count }, (_, index) => 1 - index / count);
    expect(difficultyBins(rates, binCount).bins.map((bin) => bin.problems)).toEqual(sizes);
  });

  it('keeps ties in one bin (the bin of their mean rank), whatever the input order', () => {
    const rates = [0, 0, 0, 0, 0, 0.5, 0.75, 1, 1, 0.25];
    const first = difficultyBins(rates, 5);
    // Five unsolved problems share ranks 5..9 (mean 7): bin ⌊7.5·5/10⌋ + 1 = 4; bin 5 stays empty.
    expect(first.binOf).toEqual([4, 4, 4, 4, 4, 2, 2, 1, 1, 3]);
    expect(first.bins.map((bin) => bin.problems)).toEqual([2, 2, 1, 5, 0]);
    expect(Number.isNaN(first.bins[4]?.highest)).toBe(true);
    const reversed = difficultyBins([...rates].reverse(), 5);
    expect(reversed.binOf).toEqual([...first.binOf].reverse());
  });

  it('puts everything in bin 1 when there is one bin, and handles no problems', () => {
    expect(difficultyBins([0.3, 0.1], 1).binOf).toEqual([1, 1]);
    expect(difficultyBins([], 3).bins.map((bin) => bin.problems)).toEqual([0, 0, 0]);
  });

  it.each([
    [[0.1, Number.NaN], 5],
    [[0.1], 0],
  ])('rejects %j with %i bins', (rates, binCount) => {
    expect(() => difficultyBins(rates, binCount)).toThrow(HarnessError);
  });
});
