/**
 * The compute-optimal analysis of one dataset, as a plain object the report formats: difficulty
 * bins, the strategies' curves, the policy (cross-validated) and its efficiency.
 */
import { computeOptimalEfficiency, type EfficiencyPoint } from './compute-optimal-efficiency.ts';
import { computeOptimalPolicy, meanAt, type PolicyChoice, type PolicyPoint, type Strategy } from './compute-optimal.ts';
import { difficultyBins, type DifficultyBin } from './difficulty-bins.ts';

/** Settings of the analysis (`report.computeOptimal` in the config). */
export interface ComputeOptimalSettings {
  /** Quantile bins of difficulty. Default 5. */
  bins: number;
  /** `oracle`: pass@1 from verified samples; `predicted`: mean scorer score (needs a scorer). */
  difficulty: 'oracle' | 'predicted';
  /** Cross-validation folds. Default 2. */
  folds: number;
  /** Repeats over seeded splits. Default 10. */
  repeats: number;
  /** Budgets on the log grid. Default 8. */
  budgets: number;
}

/** The default settings. */
export const DEFAULT_COMPUTE_OPTIMAL: ComputeOptimalSettings = { bins: 5, difficulty: 'oracle', folds: 2, repeats: 10, budgets: 8 };

/** A strategy's curve as drawn: mean accuracy over the analysed problems at each N. */
export interface StrategyCurve {
  /** Strategy id. */
  id: string;
  /** Legend label. */
  label: string;
  /** Cell id. */
  cellId: string;
  /** Answer-picking method. */
  method: string;
  /** Simulated samples or scores. */
  simulated: boolean;
  /** Points, ascending compute. */
  points: Array<{ n: number; compute: number; accuracy: number }>;
}

/** Everything the compute-optimal section shows for one dataset. */
export interface ComputeOptimalAnalysis {
  /** Dataset id. */
  dataset: string;
  /** Compute axis of budgets and curves. */
  axis: 'tokens' | 'flops' | 'dollars';
  /** How difficulty was measured; `predicted` names its scorer. */
  difficulty: { source: 'oracle' } | { source: 'predicted'; scorer: string };
  /** Settings used, with the seed and bootstrap draws. */
  settings: ComputeOptimalSettings & { seed: number; bootstrapDraws: number };
  /** Problems analysed (those every cell has). */
  problems: number;
  /** True when any strategy is simulated. */
  simulated: boolean;
  /** The bins, easiest first. */
  bins: DifficultyBin[];
  /** Every single strategy's curve. */
  strategies: StrategyCurve[];
  /** The policy's held-out accuracy per budget. */
  curve: PolicyPoint[];
  /** The policy per bin × budget. */
  choices: PolicyChoice[];
  /** The compute saving per budget. */
  efficiency: EfficiencyPoint[];
}

/**
 * The compute-optimal analysis of one dataset's problems.
 *
 * @param solveRates each problem's solve rate (higher = easier), in `problems` order (see `meanSolveRates`)
 */
export function computeOptimalAnalysis(
  input: {
    dataset: string;
    axis: ComputeOptimalAnalysis['axis'];
    difficulty: ComputeOptimalAnalysis['difficulty'];
    problems: ReadonlyArray<string>;
    solveRates: ReadonlyArray<number>;
    strategies: ReadonlyArray<Strategy>;
  },
  settings: ComputeOptimalSettings & { seed: number; bootstrapDraws: number },
): ComputeOptimalAnalysis {
  const binning = difficultyBins(input.solveRates, settings.bins);
  const policyInput = { problems: input.problems, binOf: binning.binOf, bins: settings.bins, strategies: input.strategies };
  const options = { folds: settings.folds, repeats: settings.repeats, seed: settings.seed, budgets: settings.budgets, bootstrapDraws: settings.bootstrapDraws };
  const policy = computeOptimalPolicy(policyInput, options);
  const all = input.problems.map((_, index) => index);
  return {
    dataset: input.dataset,
    axis: input.axis,
    difficulty: input.difficulty,
    settings,
    problems: input.problems.length,
    simulated: input.strategies.some((strategy) => strategy.simulated),
    bins: binning.bins,
    strategies: input.strategies.map((strategy) => ({
      id: strategy.id,
      label: strategy.label,
      cellId: strategy.cellId,
      method: strategy.method,
      simulated: strategy.simulated,
      points: strategy.points
        .map((point) => ({ n: point.n, compute: point.compute, accuracy: meanAt(point.accuracy, all) }))
        .sort((left, right) => left.compute - right.compute),
    })),
    curve: policy.curve,
    choices: policy.choices,
    efficiency: computeOptimalEfficiency(policyInput, policy.heldOut, policy.budgets, { bootstrapDraws: settings.bootstrapDraws, seed: settings.seed }),
  };
}
