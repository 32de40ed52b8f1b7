import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../harness/core/errors.ts';
import { computeOptimalEfficiency, computeToReach } from '../../harness/metrics/compute-optimal-efficiency.ts';
import { computeOptimalPolicy, crossValidationFolds, type Strategy, type StrategyPoint } from '../../harness/metrics/compute-optimal.ts';

/** A strategy whose points give each problem the accuracy `perProblem(n, problem)`. */
function strategy(id: string, points: Array<{ n: number; compute: number }>, perProblem: (n: number, problem: number) => number, problems: number): Strategy {
  return {
    id,
    label: id,
    cellId: 'cell',
    method: id,
    simulated: false,
    points: points.map(({ n, compute }): StrategyPoint => ({ n, compute, accuracy: Float64Array.from({ length: problems }, (_, problem) => perProblem(n, problem)) })),
  };
}

const options = { seed: 7, bootstrapDraws: 200 };

describe('computeOptimalPolicy', () => {
  it('chooses per bin: voting on the easy half, best-of-N on the hard half, scored held-out', () => {
    const problems = 40;
    const easy = (problem: number): boolean => problem < 20;
    const ns = [1, 4, 16].map((n) => ({ n, compute: n * 100 }));
    const vote = strategy('vote', ns, (n, problem) => (easy(problem) ? Math.min(1, 0.6 + 0.1 * Math.log2(n)) : 0.1), problems);
    const bestOf = strategy('best-of', ns, (n, problem) => (easy(problem) ? 0.6 : Math.min(1, 0.1 + 0.1 * Math.log2(n))), problems);
    const input = { problems: Array.from({ length: problems }, (_, index) => `p${index}`), binOf: Array.from({ length: problems }, (_, index) => (easy(index) ? 1 : 2)), bins: 2, strategies: [vote, bestOf] };
    const policy = computeOptimalPolicy(input, { ...options, budgets: 3, repeats: 4 });
    expect(policy.budgets.map((budget) => Math.round(budget))).toEqual([100, 400, 1600]);
    const atTop = policy.choices.filter((choice) => choice.budget === policy.budgets[2]);
    expect(atTop.map((choice) => [choice.bin, choice.chosen?.strategy, choice.chosen?.n, choice.chosenShare])).toEqual([
      [1, 'vote', 16, 1],
      [2, 'best-of', 16, 1],
    ]);
    expect(atTop[0]?.heldOutAccuracy).toBeCloseTo(1, 12);
    expect(atTop[1]?.heldOutAccuracy).toBeCloseTo(0.5, 12);
    expect(atTop[0]?.runnerUp).toEqual({ strategy: 'best-of', n: 1 });
    expect(atTop[0]?.runnerUpAccuracy).toBeCloseTo(0.6, 12);
    // Both bins pick their own winner, so the policy beats either strategy alone: 0.75 against 0.55.
    expect(policy.curve[2]?.accuracy.value).toBeCloseTo(0.75, 12);
    // At the smallest budget only N = 1 is affordable; equal accuracies go to the strategy listed first.
    const atBottom = policy.choices.filter((choice) => choice.budget === policy.budgets[0]);
    expect(atBottom.map((choice) => choice.chosen)).toEqual([
      { strategy: 'vote', n: 1 },
      { strategy: 'vote', n: 1 },
    ]);

    const efficiency = computeOptimalEfficiency(input, policy.heldOut, policy.budgets, options);
    // No single strategy reaches 0.75 (each tops out at 0.55): the saving is unbounded, above 1×.
    expect(efficiency[2]?.baseline).toBeNull();
    expect(efficiency[2]?.ratio.value).toBeNull();
    expect(efficiency[2]?.ratioAtLeast).toBeCloseTo(1, 12);
    expect(efficiency[0]?.ratio.value).toBeCloseTo(1, 12);
  });

  it('does not credit a strategy with its wins on the selection half', () => {
    const problems = 30;
    const binOf = new Array<number>(problems).fill(1);
    const folds = crossValidationFolds(binOf, 1, 2, options.seed, 0);
    expect([...folds].filter((fold) => fold === 0).length).toBe(15);
    // "lucky" is perfect on the problems of fold 0 and useless on fold 1; "steady" gets 0.6 everywhere.
    const lucky = strategy('lucky', [{ n: 1, compute: 1 }], (_, problem) => (folds[problem] === 0 ? 1 : 0), problems);
    const steady = strategy('steady', [{ n: 1, compute: 1 }], () => 0.6, problems);
    const input = { problems: binOf.map((_, index) => `p${index}`), binOf, bins: 1, strategies: [lucky, steady] };
    const policy = computeOptimalPolicy(input, { ...options, repeats: 1, budgets: 1 });
    // Scoring fold 1, "lucky" is chosen on fold 0 (mean 1 > 0.6) and earns 0 there; scoring fold 0,
    // "steady" is chosen on fold 1 and earns 0.6. Chosen and judged on the same half would give 0.8.
    expect(policy.curve[0]?.accuracy.value).toBeCloseTo(0.3, 12);
    const heldOut = [...(policy.heldOut[0] ?? [])];
    expect(heldOut.filter((_, problem) => folds[problem] === 1).every((value) => value === 0)).toBe(true);
    expect(heldOut.filter((_, problem) => folds[problem] === 0).every((value) => Math.abs(value - 0.6) < 1e-12)).toBe(true);
  });

  it('never chooses a point dearer than the budget, and is deterministic in its seed', () => {
    const problems = 12;
    const cheap = strategy('cheap', [{ n: 1, compute: 10 }], () => 0.2, problems);
    const dear = strategy('dear', [{ n: 1, compute: 1000 }], () => 0.9, problems);
    const input = { problems: Array.from({ length: problems }, (_, index) => `p${index}`), binOf: Array.from({ length: problems }, (_, index) => 1 + (index % 3)), bins: 3, strategies: [cheap, dear] };
    const first = computeOptimalPolicy(input, { ...options, budgets: 3 });
    expect(first.choices.filter((choice) => choice.budget < 1000).every((choice) => choice.chosen?.strategy === 'cheap')).toBe(true);
    expect(first.choices.filter((choice) => choice.budget === 1000).every((choice) => choice.chosen?.strategy === 'dear')).toBe(true);
    expect(computeOptimalPolicy(input, { ...options, budgets: 3 })).toEqual(first);
  });

  it.each([
    [{ folds: 1 }, 'METRIC_INVALID_ARGUMENT'],
    [{ repeats: 0 }, 'METRIC_INVALID_ARGUMENT'],
    [{ folds: 5 }, 'METRIC_TOO_FEW_PROBLEMS'],
  ])('rejects %j with %s', (bad, code) => {
    const input = { problems: ['a', 'b', 'c'], binOf: [1, 1, 1], bins: 1, strategies: [strategy('s', [{ n: 1, compute: 1 }], () => 1, 3)] };
    let caught: unknown;
    try {
      computeOptimalPolicy(input, { ...options, ...bad });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(HarnessError);
    expect((caught as HarnessError).code).toBe(code);
  });
});

describe('computeOptimalEfficiency', () => {
  it('finds the compute a single strategy needs for the policy accuracy, log-linear between its points', () => {
    const envelope = { compute: [1, 2, 4, 8], best: [0.2, 0.4, 0.6, 0.8] };
    expect(computeToReach(envelope, 0.6)).toBe(4);
    expect(computeToReach(envelope, 0.5)).toBeCloseTo(2 * Math.SQRT2, 12);
    expect(computeToReach(envelope, 0.1)).toBe(1);
    expect(computeToReach(envelope, 0.9)).toBeNull();
  });

  it('states the saving as a multiple of the budget with a bootstrap interval', () => {
    const problems = 20;
    const single = strategy('single', [1, 2, 4, 8].map((n) => ({ n, compute: n })), (n) => 0.2 * Math.log2(2 * n), problems);
    const input = { problems: Array.from({ length: problems }, (_, index) => `p${index}`), binOf: new Array<number>(problems).fill(1), bins: 1, strategies: [single] };
    // A policy that gets 0.6 at budget 2 saves half the compute of a strategy that needs 4 for it.
    const heldOut = [new Float64Array(problems).fill(0.6)];
    const [point] = computeOptimalEfficiency(input, heldOut, [2], options);
    expect(point?.baseline).toBe('single');
    expect(point?.computeNeeded).toBeCloseTo(4, 12);
    for (const bound of [point?.ratio.value, point?.ratio.low, point?.ratio.high]) expect(bound).toBeCloseTo(2, 12);
  });
});
