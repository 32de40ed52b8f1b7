/** compute-optimal.csv (the policy's curve and compute saving) and compute-optimal-policy.csv (its choice per bin × budget). */
import { stringify } from 'csv-stringify/sync';
import type { ComputeOptimalAnalysis } from '../metrics/index.ts';
import { formatFixed, NOT_AVAILABLE } from './metrics-csv.ts';

/** Columns of compute-optimal.csv: one row per dataset × budget. */
export const COMPUTE_OPTIMAL_CSV_COLUMNS = [
  'dataset',
  'axis',
  'budget',
  'policy_accuracy',
  'policy_accuracy_low',
  'policy_accuracy_high',
  'best_single_strategy',
  'compute_needed',
  'saving',
  'saving_low',
  'saving_high',
  'saving_at_least',
  'difficulty',
  'simulated',
] as const;

/** Columns of compute-optimal-policy.csv: one row per dataset × difficulty bin × budget. */
export const COMPUTE_OPTIMAL_POLICY_CSV_COLUMNS = [
  'dataset',
  'axis',
  'bin',
  'bin_problems',
  'bin_solve_rate_high',
  'bin_solve_rate_low',
  'budget',
  'chosen_strategy',
  'chosen_n',
  'chosen_share',
  'held_out_accuracy',
  'chosen_accuracy',
  'runner_up',
  'runner_up_n',
  'runner_up_accuracy',
  'difficulty',
  'simulated',
] as const;

const number = (value: number | null | undefined, decimals: number): string => (value === null || value === undefined ? NOT_AVAILABLE : formatFixed(value, decimals));
const budgetText = (value: number): string => String(Number(value.toPrecision(6)));
const difficultyText = (analysis: ComputeOptimalAnalysis): string => (analysis.difficulty.source === 'oracle' ? 'oracle' : `predicted:${analysis.difficulty.scorer}`);

/**
 * compute-optimal.csv: per dataset and budget (axis unit, 6 significant digits), the policy's held-out
 * accuracy with its 95% bootstrap interval, the single strategy that matches it with the least
 * compute, that compute, and the saving (compute needed ÷ budget) with its interval; `n/a` where no
 * single strategy reaches the policy (then `saving_at_least` bounds it from below).
 */
export function computeOptimalCsv(analyses: ReadonlyArray<ComputeOptimalAnalysis>): string {
  const records = analyses.flatMap((analysis) =>
    analysis.efficiency.map((point, index) => {
      const accuracy = analysis.curve[index]?.accuracy;
      return [
        analysis.dataset,
        analysis.axis,
        budgetText(point.budget),
        number(accuracy?.value, 6),
        number(accuracy?.low, 6),
        number(accuracy?.high, 6),
        point.baseline ?? NOT_AVAILABLE,
        point.computeNeeded === null ? NOT_AVAILABLE : budgetText(point.computeNeeded),
        number(point.ratio.value, 4),
        number(point.ratio.low, 4),
        number(point.ratio.high, 4),
        number(point.ratioAtLeast, 4),
        difficultyText(analysis),
        analysis.simulated ? 'true' : 'false',
      ];
    }),
  );
  return stringify([[...COMPUTE_OPTIMAL_CSV_COLUMNS], ...records], { record_delimiter: '\n' });
}

/**
 * compute-optimal-policy.csv: per dataset, bin (1 = easiest) and budget, the strategy and N chosen
 * most often across the cross-validation splits and the share of splits that chose it, the
 * policy's held-out accuracy in the bin, and the chosen and runner-up strategies' accuracies on all
 * the bin's problems (in-sample).
 */
export function computeOptimalPolicyCsv(analyses: ReadonlyArray<ComputeOptimalAnalysis>): string {
  const records = analyses.flatMap((analysis) =>
    analysis.choices.map((choice) => {
      const bin = analysis.bins[choice.bin - 1];
      return [
        analysis.dataset,
        analysis.axis,
        String(choice.bin),
        String(choice.problems),
        number(bin?.highest, 6),
        number(bin?.lowest, 6),
        budgetText(choice.budget),
        choice.chosen?.strategy ?? NOT_AVAILABLE,
        choice.chosen === null ? NOT_AVAILABLE : String(choice.chosen.n),
        number(choice.chosenShare, 4),
        choice.problems === 0 ? NOT_AVAILABLE : number(choice.heldOutAccuracy, 6),
        choice.problems === 0 ? NOT_AVAILABLE : number(choice.chosenAccuracy, 6),
        choice.runnerUp?.strategy ?? NOT_AVAILABLE,
        choice.runnerUp === null ? NOT_AVAILABLE : String(choice.runnerUp.n),
        number(choice.runnerUpAccuracy, 6),
        difficultyText(analysis),
        analysis.simulated ? 'true' : 'false',
      ];
    }),
  );
  return stringify([[...COMPUTE_OPTIMAL_POLICY_CSV_COLUMNS], ...records], { record_delimiter: '\n' });
}
