/**
 * How much compute the compute-optimal policy saves: at each budget, the compute the best single
 * strategy needs to reach the policy's accuracy, as a multiple of the budget ("matches best-of-N
 * with 3.8× less compute"), with a bootstrap interval over problems.
 */
import { createRandom } from '../core/random.ts';
import { quantile } from './bootstrap.ts';
import type { ComputeOptimalInput } from './compute-optimal.ts';
import { requireInteger } from './metrics-error.ts';

/** The policy's compute saving at one budget. */
export interface EfficiencyPoint {
  /** Budget per problem (axis unit). */
  budget: number;
  /** The policy's held-out accuracy at the budget (mean over problems). */
  policyAccuracy: number;
  /** Id of the single strategy that reaches that accuracy with the least compute; null when none reaches it. */
  baseline: string | null;
  /** Compute per problem that strategy needs (axis unit); null when none reaches it. */
  computeNeeded: number | null;
  /**
   * computeNeeded ÷ budget (above 1: the policy saves compute), with its percentile-bootstrap
   * interval over problems. `value` is null when no strategy reaches the accuracy within its measured
   * points; a bound is null when, in that share of resamples, none does (the ratio is unbounded).
   */
  ratio: { value: number | null; low: number | null; high: number | null };
  /** When no strategy reaches the accuracy: the largest compute any strategy was measured at ÷ budget (the ratio exceeds it); else null. */
  ratioAtLeast: number | null;
}

/** Options of `computeOptimalEfficiency`. */
export interface EfficiencyOptions {
  /** Bootstrap resamples of problems. */
  bootstrapDraws: number;
  /** Seed of the resampling. */
  seed: number;
  /** Interval coverage. Default 0.95. */
  confidence?: number;
}

interface Envelope {
  compute: number[];
  /** Running maximum of the mean accuracy, by compute: the best the strategy does within that compute. */
  best: number[];
}

/**
 * The compute each single strategy needs to match the policy, at each budget. A single strategy's
 * accuracy at a compute is the best of its points within that compute (its in-sample envelope,
 * which favours the single strategies); the compute it needs for an accuracy is interpolated
 * linearly in log(compute) between the envelope's points, never extrapolated. The interval
 * resamples problems (the same resample for the policy's held-out values and every strategy);
 * the policy's choices are not redone per resample.
 *
 * @param heldOut the policy's held-out accuracy per budget and problem (`computeOptimalPolicy`)
 * @param budgets the budgets of `heldOut`
 */
export function computeOptimalEfficiency(
  input: ComputeOptimalInput,
  heldOut: ReadonlyArray<ArrayLike<number>>,
  budgets: ReadonlyArray<number>,
  options: EfficiencyOptions,
): EfficiencyPoint[] {
  requireInteger('bootstrapDraws', options.bootstrapDraws, 1);
  const count = input.problems.length;
  const weights = new Float64Array(count).fill(1);
  const point = evaluate(input, heldOut, budgets, weights);
  const random = createRandom(options.seed);
  const ratiosByBudget = budgets.map(() => new Float64Array(options.bootstrapDraws));
  for (let draw = 0; draw < options.bootstrapDraws; draw += 1) {
    weights.fill(0);
    for (let pick = 0; pick < count; pick += 1) {
      const index = Math.floor(random.next() * count);
      weights[index] = (weights[index] ?? 0) + 1;
    }
    const resampled = evaluate(input, heldOut, budgets, weights);
    resampled.forEach((entry, budgetIndex) => {
      const ratios = ratiosByBudget[budgetIndex];
      if (ratios) ratios[draw] = entry.needed === null ? Number.POSITIVE_INFINITY : entry.needed / (budgets[budgetIndex] ?? 1);
    });
  }
  const confidence = options.confidence ?? 0.95;
  const maxCompute = Math.max(...input.strategies.flatMap((strategy) => strategy.points.map((entry) => entry.compute)));
  return point.map((entry, budgetIndex) => {
    const budget = budgets[budgetIndex] ?? 1;
    const ratios = (ratiosByBudget[budgetIndex] ?? new Float64Array(0)).sort();
    const bound = (probability: number): number | null => {
      const value = quantile(ratios, probability);
      return Number.isFinite(value) ? value : null;
    };
    return {
      budget,
      policyAccuracy: entry.accuracy,
      baseline: entry.baseline,
      computeNeeded: entry.needed,
      ratio: { value: entry.needed === null ? null : entry.needed / budget, low: bound((1 - confidence) / 2), high: bound((1 + confidence) / 2) },
      ratioAtLeast: entry.needed === null ? maxCompute / budget : null,
    };
  });
}

/** Policy accuracy and the least compute a single strategy needs for it, per budget, under problem weights. */
function evaluate(
  input: ComputeOptimalInput,
  heldOut: ReadonlyArray<ArrayLike<number>>,
  budgets: ReadonlyArray<number>,
  weights: Float64Array,
): Array<{ accuracy: number; needed: number | null; baseline: string | null }> {
  const envelopes = input.strategies.map((strategy) => envelopeOf(strategy.points, weights));
  return budgets.map((_, budgetIndex) => {
    const accuracy = weightedMean(heldOut[budgetIndex] ?? [], weights);
    let needed: number | null = null;
    let baseline: string | null = null;
    envelopes.forEach((envelope, strategyIndex) => {
      const compute = computeToReach(envelope, accuracy);
      if (compute !== null && (needed === null || compute < needed)) {
        needed = compute;
        baseline = input.strategies[strategyIndex]?.id ?? null;
      }
    });
    return { accuracy, needed, baseline };
  });
}

function weightedMean(values: ArrayLike<number>, weights: Float64Array): number {
  let sum = 0;
  let total = 0;
  weights.forEach((weight, index) => {
    sum += weight * (values[index] ?? 0);
    total += weight;
  });
  return total === 0 ? 0 : sum / total;
}

function envelopeOf(points: ReadonlyArray<{ compute: number; accuracy: ArrayLike<number> }>, weights: Float64Array): Envelope {
  const sorted = points.filter((entry) => Number.isFinite(entry.compute) && entry.compute > 0).sort((left, right) => left.compute - right.compute);
  const compute: number[] = [];
  const best: number[] = [];
  let running = Number.NEGATIVE_INFINITY;
  for (const entry of sorted) {
    running = Math.max(running, weightedMean(entry.accuracy, weights));
    compute.push(entry.compute);
    best.push(running);
  }
  return { compute, best };
}

/** The least compute at which the envelope reaches `target` (log-linear between its points), or null. */
export function computeToReach(envelope: Envelope, target: number): number | null {
  const reach = envelope.best.findIndex((value) => value >= target - 1e-12);
  if (reach < 0) return null;
  const after = envelope.compute[reach] ?? 0;
  if (reach === 0) return after;
  const before = envelope.compute[reach - 1] ?? after;
  const low = envelope.best[reach - 1] ?? 0;
  const high = envelope.best[reach] ?? 0;
  if (!(high > low)) return after;
  const fraction = (target - low) / (high - low);
  return Math.exp(Math.log(before) + fraction * (Math.log(after) - Math.log(before)));
}
