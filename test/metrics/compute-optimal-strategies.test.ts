import { describe, expect, it } from 'vitest';
import { answerClasses } from '../../harness/metrics/answer-classes.ts';
import { computeOptimalAnalysis } from '../../harness/metrics/compute-optimal-analysis.ts';
import { buildStrategies, majorityMethod, meanSolveRates } from '../../harness/metrics/compute-optimal-strategies.ts';
import { majorityAtK } from '../../harness/metrics/majority-at-k.ts';

describe('buildStrategies', () => {
  it('aligns problems across cells, leaves out those a cell lacks, and costs N × (sample + scorer)', () => {
    const { problems, strategies, leftOut } = buildStrategies([
      {
        cellId: 'a',
        label: 'A',
        simulated: false,
        problems: ['p1', 'p2', 'p3'],
        computePerSample: 100,
        methods: [
          { method: 'majority vote', simulated: false, extraComputePerSample: 0, points: [{ n: 2, accuracy: [0.1, 0.2, 0.3] }] },
          { method: 'best-of-N (rm)', simulated: true, extraComputePerSample: 50, points: [{ n: 2, accuracy: [0.4, 0.5, 0.6] }] },
        ],
      },
      {
        cellId: 'b',
        label: 'B',
        simulated: false,
        problems: ['p2', 'p1'],
        computePerSample: 10,
        methods: [{ method: 'majority vote', simulated: false, extraComputePerSample: 0, points: [{ n: 4, accuracy: [0.9, 0.8] }] }],
      },
    ]);
    expect(problems).toEqual(['p1', 'p2']);
    expect(leftOut).toBe(1);
    expect(strategies.map((strategy) => [strategy.id, strategy.label, strategy.simulated, strategy.points[0]?.compute])).toEqual([
      ['a · majority vote', 'A · majority vote', false, 200],
      ['a · best-of-N (rm)', 'A · best-of-N (rm)', true, 300],
      ['b · majority vote', 'B · majority vote', false, 40],
    ]);
    expect([...(strategies[2]?.points[0]?.accuracy as Float64Array)]).toEqual([0.8, 0.9]);
  });

  it('gives majority vote the per-problem majority@N', () => {
    const keys = ['1', '1', '2', null, '1', '2'];
    const correct = [true, true, false, false, true, false];
    const method = majorityMethod([{ problem: 'p', classes: answerClasses(keys, correct) }], [1, 3, 6], { seed: 1, majority: { method: 'exact' } });
    expect(method.points.map((point) => point.accuracy[0] ?? 0).map((value) => value.toFixed(12))).toEqual(
      [1, 3, 6].map((k) => majorityAtK(keys, correct, k, { method: 'exact' }).toFixed(12)),
    );
  });

  it('averages solve rates over the cells that have the problem', () => {
    expect(meanSolveRates([new Map([['p', 0.2], ['q', 1]]), new Map([['p', 0.6]])], ['p', 'q', 'r']).map((value) => (Number.isNaN(value) ? 'NaN' : value.toFixed(6)))).toEqual(['0.400000', '1.000000', 'NaN']);
  });
});

describe('computeOptimalAnalysis', () => {
  it('bins, chooses, and reports the strategies’ mean curves', () => {
    const problems = Array.from({ length: 8 }, (_, index) => `p${index}`);
    const accuracy = (value: number): Float64Array => new Float64Array(8).fill(value);
    const analysis = computeOptimalAnalysis(
      {
        dataset: 'd',
        axis: 'tokens',
        difficulty: { source: 'oracle' },
        problems,
        solveRates: problems.map((_, index) => index / 8),
        strategies: [{ id: 's', label: 'S', cellId: 'c', method: 'majority vote', simulated: true, points: [{ n: 4, compute: 40, accuracy: accuracy(0.5) }, { n: 1, compute: 10, accuracy: accuracy(0.25) }] }],
      },
      { bins: 2, difficulty: 'oracle', folds: 2, repeats: 2, budgets: 2, seed: 1, bootstrapDraws: 20 },
    );
    expect(analysis.bins.map((bin) => bin.problems)).toEqual([4, 4]);
    expect(analysis.strategies[0]?.points).toEqual([
      { n: 1, compute: 10, accuracy: 0.25 },
      { n: 4, compute: 40, accuracy: 0.5 },
    ]);
    expect(analysis.curve.map((point) => point.accuracy.value)).toEqual([0.25, 0.5]);
    expect(analysis.efficiency.map((point) => point.ratio.value)).toEqual([1, 1]);
    expect(analysis.simulated).toBe(true);
  });
});
