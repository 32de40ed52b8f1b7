import { describe, expect, it } from 'vitest';
import { computeCellMetrics, defaultKs, partitionKs, type SkippedK } from '../../harness/metrics/compute-cell-metrics.ts';
import { majorityAtK } from '../../harness/metrics/majority-at-k.ts';
import { passAtK } from '../../harness/metrics/pass-at-k.ts';
import type { CellInfo, ProblemSamples } from '../../harness/metrics/types.ts';

const cell: CellInfo = { id: 'sim-8b|math500|0|0.6', model: 'sim-8b', dataset: 'math500', thinkingBudget: 0, temperature: 0.6, simulated: true };

function problem(id: string, keys: Array<string | null>, gold: string, tokens = 100): ProblemSamples {
  return {
    problem: id,
    correct: keys.map((key) => key === gold),
    answerKeys: keys,
    completionTokens: keys.map(() => tokens),
    thinkingTokens: keys.map(() => 10),
    promptTokens: keys.map(() => 50),
    requestSamples: keys.map(() => 1),
  };
}

const problems: ProblemSamples[] = [
  problem('p1', ['4', '4', '5', '4', null, '6', '4', '5'], '4'),
  problem('p2', ['1/2', '3', '3', null, '1/2', '3', '7', '7'], '1/2', 200),
  problem('p3', ['x', 'y', 'z', 'x', 'y', 'z', 'w', 'w'], 'q'),
];

describe('defaultKs', () => {
  it.each([
    [1, [1]],
    [2, [1, 2]],
    [8, [1, 2, 4, 8]],
    [10, [1, 2, 4, 8, 10]],
    [100, [1, 2, 4, 8, 10, 16, 32, 64, 100]],
    [250, [1, 2, 4, 8, 10, 16, 32, 64, 100, 128, 250]],
    [10_000, [1, 2, 4, 8, 10, 16, 32, 64, 100, 128, 256, 512, 1000, 1024, 2048, 4096, 8192, 10_000]],
  ])('n = %i gives %j', (n, expected) => {
    expect(defaultKs(n)).toEqual(expected);
  });
});

describe('computeCellMetrics', () => {
  it('gives one row per k with the problem means of passAtK and majorityAtK', () => {
    const rows = computeCellMetrics(cell, problems, [4, 1, 8, 2], { bootstrapDraws: 200, seed: 1 });
    expect(rows.map((row) => row.k)).toEqual([1, 2, 4, 8]);
    for (const row of rows) {
      const coverage = problems.map((entry) => passAtK(8, entry.correct.filter(Boolean).length, row.k));
      const majority = problems.map((entry) => majorityAtK(entry.answerKeys, entry.correct, row.k));
      expect(row.coverage.value).toBeCloseTo(coverage.reduce((sum, value) => sum + value, 0) / 3, 12);
      expect(row.majority.value).toBeCloseTo(majority.reduce((sum, value) => sum + value, 0) / 3, 12);
      expect(row.coverage.low).toBeLessThanOrEqual(row.coverage.value);
      expect(row.coverage.high).toBeGreaterThanOrEqual(row.coverage.value);
      expect(row).toMatchObject({ cell, n: 8, problems: 3, meanThinkingTokens: 10, meanPromptTokens: 50 });
      expect(row.meanCompletionTokens).toBeCloseTo(400 / 3, 12);
    }
    expect(rows[3]?.coverage.value).toBeCloseTo(2 / 3, 12);
    // At k = n: p1 votes 4 (right), p2 votes 3 over 1/2 (wrong), p3 has no right answer.
    expect(rows[3]?.majority.value).toBeCloseTo(1 / 3, 12);
  });

  it('passes majority options through and stays deterministic with Monte Carlo', () => {
    const options = { bootstrapDraws: 50, seed: 4, majority: { method: 'monte-carlo' as const, draws: 200 } };
    const first = computeCellMetrics(cell, problems, [2, 4], options);
    expect(computeCellMetrics(cell, problems, [2, 4], options)).toEqual(first);
    const exact = computeCellMetrics(cell, problems, [2, 4], { bootstrapDraws: 50, seed: 4 });
    expect(first[0]?.coverage).toEqual(exact[0]?.coverage);
    expect(Math.abs((first[0]?.majority.value ?? 0) - (exact[0]?.majority.value ?? 0))).toBeLessThan(0.1);
  });

  it('is deterministic for a seed', () => {
    const first = computeCellMetrics(cell, problems, [1, 2, 4], { bootstrapDraws: 300, seed: 9 });
    expect(computeCellMetrics(cell, problems, [1, 2, 4], { bootstrapDraws: 300, seed: 9 })).toEqual(first);
  });

  it('throws K_EXCEEDS_N naming the k and problems when k > n and no handler is given', () => {
    const short = [...problems, problem('p4', ['4', '5'], '4')];
    expect(() => computeCellMetrics(cell, short, [1, 2, 4], { bootstrapDraws: 10, seed: 1 })).toThrowError(
      expect.objectContaining({
        code: 'K_EXCEEDS_N',
        message: 'cell sim-8b|math500|0|0.6: k = 4 > n = 2 (problem p4); valid k are 1..2',
      }) as Error,
    );
  });

  it('reports the skipped k to the handler and computes the others', () => {
    const short = [...problems, problem('p4', ['4', '5', '4'], '4')];
    const skipped: SkippedK[] = [];
    const rows = computeCellMetrics(cell, short, [1, 2, 4, 8], { bootstrapDraws: 10, seed: 1, onSkippedK: (entry) => skipped.push(entry) });
    expect(rows.map((row) => row.k)).toEqual([1, 2]);
    expect(skipped).toEqual([
      { k: 4, n: 3, problems: ['p4'], reason: 'k = 4 > n = 3 (problem p4)' },
      { k: 8, n: 3, problems: ['p4'], reason: 'k = 8 > n = 3 (problem p4)' },
    ]);
  });

  it('throws for a cell without problems', () => {
    expect(() => computeCellMetrics(cell, [], [1], { bootstrapDraws: 10, seed: 1 })).toThrowError(
      expect.objectContaining({ code: 'METRIC_NO_PROBLEMS' }) as Error,
    );
  });
});

describe('partitionKs', () => {
  it('lists at most ten problems and counts the rest', () => {
    const many = Array.from({ length: 12 }, (_, index) => problem(`q${index}`, ['a'], 'a'));
    const { valid, skipped } = partitionKs(many, [1, 2]);
    expect(valid).toEqual([1]);
    expect(skipped[0]?.problems).toHaveLength(10);
    expect(skipped[0]?.reason).toBe('k = 2 > n = 1 (problem q0, q1, q2, q3, q4, q5, q6, q7, q8, q9 and 2 more)');
  });
});
