import { describe, expect, it } from 'vitest';
import { solveRateHistogram } from '../../harness/metrics/solve-rates.ts';
import type { ProblemSamples } from '../../harness/metrics/types.ts';

function problem(correct: boolean[]): ProblemSamples {
  return {
    problem: 'p',
    correct,
    answerKeys: correct.map(() => null),
    completionTokens: correct.map(() => 0),
    thinkingTokens: correct.map(() => 0),
    promptTokens: correct.map(() => 0),
    requestSamples: correct.map(() => 1),
  };
}

const rate = (c: number, n: number): ProblemSamples => problem(Array.from({ length: n }, (_, index) => index < c));

describe('solveRateHistogram', () => {
  it('bins c/n into equal bins, the last one closed at 1', () => {
    const histogram = solveRateHistogram([rate(0, 10), rate(1, 10), rate(5, 10), rate(10, 10), rate(3, 4), rate(0, 0)], 4);
    expect(histogram).toEqual([
      { low: 0, high: 0.25, count: 2 },
      { low: 0.25, high: 0.5, count: 0 },
      { low: 0.5, high: 0.75, count: 1 },
      { low: 0.75, high: 1, count: 2 },
    ]);
  });

  it('defaults to ten bins and puts an edge value in the bin it starts', () => {
    const histogram = solveRateHistogram([rate(3, 10), rate(7, 10)]);
    expect(histogram).toHaveLength(10);
    expect(histogram[3]?.count).toBe(1);
    expect(histogram[7]?.count).toBe(1);
  });
});
