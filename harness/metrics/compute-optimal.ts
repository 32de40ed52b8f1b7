/**
 * The compute-optimal test-time policy (Snell et al. 2024, "Scaling LLM Test-Time Compute Optimally
 * can be More Effective than Scaling Model Parameters"): per difficulty bin and compute budget, the
 * strategy (cell × answer-picking method × N) with the best accuracy, chosen on some problems and
 * scored on others (cross-validation over problems), so the policy is never judged on the problems it
 * was chosen on.
 */
import { createRandom, hashSeed } from '../core/random.ts';
import { bootstrapInterval } from './bootstrap.ts';
import { MetricsError, requireInteger } from './metrics-error.ts';
import type { Estimate } from './types.ts';

/** One operating point of a strategy: N samples per problem, what they cost, what each problem gets. */
export interface StrategyPoint {
  /** Samples per problem, N. */
  n: number;
  /** Compute per problem at N on the chosen axis (tokens, FLOPs or US dollars), the scorer's included; > 0. */
  compute: number;
  /** Expected accuracy of each problem at N (majority@N, best-of-N, ...), in the input's problem order, in [0, 1]. */
  accuracy: ArrayLike<number>;
}

/** One strategy: a cell (model × thinking budget × temperature) with one way of picking the answer. */
export interface Strategy {
  /** Unique id, e.g. `<cell id> · majority vote`. */
  id: string;
  /** Legend label, e.g. `sim-8b (simulated) · best-of-N (simulated verifier)`. */
  label: string;
  /** Cell id. */
  cellId: string;
  /** Answer-picking method, e.g. `majority vote`, `best-of-N (reward model)`, `weighted vote (reward model)`. */
  method: string;
  /** True when the samples or the scores are simulated. */
  simulated: boolean;
  /** Its operating points, any order. */
  points: StrategyPoint[];
}

/** What the policy is computed over. */
export interface ComputeOptimalInput {
  /** Problem ids (the order every `accuracy` array follows). */
  problems: ReadonlyArray<string>;
  /** Difficulty bin of each problem, 1..bins (see `difficultyBins`). */
  binOf: ReadonlyArray<number>;
  /** Number of bins. */
  bins: number;
  /** The strategies compared (at least one). */
  strategies: ReadonlyArray<Strategy>;
}

/** Options of `computeOptimalPolicy`. */
export interface ComputeOptimalOptions {
  /** Cross-validation folds: choose on folds − 1 of them, score on the one left out. Default 2 (halves). */
  folds?: number;
  /** Repeats of the cross-validation over seeded random splits, averaged. Default 10. */
  repeats?: number;
  /** Seed of the splits and of the bootstrap. */
  seed: number;
  /** Budgets on the log-spaced grid from the cheapest to the dearest operating point. Default 8. */
  budgets?: number;
  /** Bootstrap resamples of problems for the intervals. */
  bootstrapDraws: number;
}

/** A strategy at one N. */
export interface ChosenPoint {
  /** Strategy id. */
  strategy: string;
  /** Samples per problem. */
  n: number;
}

/** The policy in one bin at one budget. */
export interface PolicyChoice {
  /** Bin (1 = easiest). */
  bin: number;
  /** Budget per problem (axis unit). */
  budget: number;
  /** Problems in the bin. */
  problems: number;
  /** The strategy and N chosen most often across splits (null when the bin is empty). */
  chosen: ChosenPoint | null;
  /** Fraction of the splits (repeats × folds) that chose it. */
  chosenShare: number;
  /** Held-out accuracy of the policy in the bin: each problem scored by the choice made without it. */
  heldOutAccuracy: number;
  /** Accuracy of `chosen` on all the bin's problems (in-sample, for comparison with the runner-up). */
  chosenAccuracy: number;
  /** The best other strategy (at its best affordable N) on all the bin's problems; null when there is none. */
  runnerUp: ChosenPoint | null;
  /** Its accuracy on all the bin's problems (in-sample). */
  runnerUpAccuracy: number | null;
}

/** The policy's accuracy at one budget over all problems. */
export interface PolicyPoint {
  /** Budget per problem (axis unit). */
  budget: number;
  /** Held-out accuracy, mean over problems, with its bootstrap interval over problems. */
  accuracy: Estimate;
}

/** The compute-optimal policy of a set of problems. */
export interface ComputeOptimalPolicy {
  /** The budget grid, ascending. */
  budgets: number[];
  /** Policy accuracy per budget. */
  curve: PolicyPoint[];
  /** Choice per bin × budget (bins outer, budgets inner). */
  choices: PolicyChoice[];
  /** Held-out accuracy per budget (outer) and problem (inner): the input to the efficiency. */
  heldOut: Float64Array[];
  /** Splits (repeats × folds) behind each choice. */
  splits: number;
}

interface Candidate {
  strategy: number;
  point: number;
  compute: number;
}

/**
 * The compute-optimal policy: for every bin and budget, the operating point (strategy at N, compute
 * within the budget) with the best mean accuracy on the selection folds, scored on the held-out
 * fold. Splits are stratified by bin (each bin's problems shuffled with a seed from `seed`, repeat
 * and bin, then dealt round-robin to folds); a bin with no selection problems in a split falls back
 * to all the split's selection problems. Equal accuracies go to the cheaper point, then to the
 * strategy listed first. Each problem's held-out value is the mean over repeats; the curve's
 * intervals bootstrap those values over problems (the choices are not redone per resample).
 *
 * @throws MetricsError `METRIC_TOO_FEW_PROBLEMS` with fewer problems than folds; `METRIC_INVALID_ARGUMENT`
 *   for bad options, bins or a strategy without points
 */
export function computeOptimalPolicy(input: ComputeOptimalInput, options: ComputeOptimalOptions): ComputeOptimalPolicy {
  const folds = options.folds ?? 2;
  const repeats = options.repeats ?? 10;
  requireInteger('folds', folds, 2);
  requireInteger('repeats', repeats, 1);
  const count = input.problems.length;
  if (count < folds) {
    throw new MetricsError('METRIC_TOO_FEW_PROBLEMS', `the compute-optimal policy needs at least ${folds} problems (one per fold), got ${count}`, {
      hint: 'Use more problems, or fewer folds (report.computeOptimal.folds).',
    });
  }
  const candidatesAll = candidatesOf(input);
  const budgets = budgetGrid(candidatesAll, options.budgets ?? 8);
  const members = binMembers(input.binOf, input.bins);
  const heldOut = budgets.map(() => new Float64Array(count));
  const tallies = budgets.map(() => members.map(() => new Map<string, number>()));
  for (let repeat = 0; repeat < repeats; repeat += 1) {
    const foldOf = splitFolds(members, count, folds, splitSeed(options.seed, repeat));
    for (let fold = 0; fold < folds; fold += 1) {
      const selectionAll = indicesWhere(count, (problem) => foldOf[problem] !== fold);
      budgets.forEach((budget, budgetIndex) => {
        const candidates = candidatesAll.filter((candidate) => candidate.compute <= budget * (1 + 1e-9));
        members.forEach((problems, binIndex) => {
          const evaluation = problems.filter((problem) => foldOf[problem] === fold);
          if (evaluation.length === 0) return;
          const inBin = problems.filter((problem) => foldOf[problem] !== fold);
          const best = bestCandidate(input, candidates, inBin.length > 0 ? inBin : selectionAll);
          if (best === undefined) return;
          const accuracy = pointAccuracy(input, best);
          const values = heldOut[budgetIndex] ?? new Float64Array(count);
          for (const problem of evaluation) values[problem] = (values[problem] ?? 0) + (accuracy[problem] ?? 0) / repeats;
          const tally = tallies[budgetIndex]?.[binIndex];
          tally?.set(candidateKey(best), (tally.get(candidateKey(best)) ?? 0) + 1);
        });
      });
    }
  }
  const curve = budgets.map((budget, budgetIndex) => ({
    budget,
    accuracy: bootstrapInterval(Array.from(heldOut[budgetIndex] ?? []), { draws: options.bootstrapDraws, seed: options.seed }),
  }));
  const choices: PolicyChoice[] = [];
  members.forEach((problems, binIndex) => {
    budgets.forEach((budget, budgetIndex) => {
      const affordable = candidatesAll.filter((candidate) => candidate.compute <= budget * (1 + 1e-9));
      const tally = tallies[budgetIndex]?.[binIndex] ?? new Map<string, number>();
      choices.push(describeChoice(input, binIndex + 1, budget, problems, affordable, tally, heldOut[budgetIndex] ?? new Float64Array(count), repeats * folds));
    });
  });
  return { budgets, curve, choices, heldOut, splits: repeats * folds };
}

/** Every operating point with a usable compute, cheapest first (then in strategy order). */
function candidatesOf(input: ComputeOptimalInput): Candidate[] {
  if (input.strategies.length === 0) {
    throw new MetricsError('METRIC_INVALID_ARGUMENT', 'the compute-optimal policy needs at least one strategy', { hint: 'Pass the strategies of at least one cell.' });
  }
  const candidates: Candidate[] = [];
  input.strategies.forEach((strategy, strategyIndex) => {
    strategy.points.forEach((point, pointIndex) => {
      if (point.accuracy.length !== input.problems.length) {
        throw new MetricsError('METRIC_LENGTH_MISMATCH', `strategy ${strategy.id} at N = ${point.n} has ${point.accuracy.length} accuracies for ${input.problems.length} problems`, {
          hint: 'Give one accuracy per problem, in the order of `problems`.',
        });
      }
      if (Number.isFinite(point.compute) && point.compute > 0) candidates.push({ strategy: strategyIndex, point: pointIndex, compute: point.compute });
    });
  });
  if (candidates.length === 0) {
    throw new MetricsError('METRIC_INVALID_ARGUMENT', 'no strategy point has a positive, finite compute', { hint: 'Cost every point on the compute axis (tokens are always known).' });
  }
  input.binOf.forEach((bin) => requireInteger('bin', bin, 1, input.bins));
  return candidates.sort((left, right) => left.compute - right.compute || left.strategy - right.strategy || left.point - right.point);
}

/** `points` budgets log-spaced from the cheapest to the dearest candidate (one when they coincide). */
export function budgetGrid(candidates: ReadonlyArray<{ compute: number }>, points: number): number[] {
  requireInteger('budgets', points, 1);
  const cheapest = candidates.reduce((smallest, candidate) => Math.min(smallest, candidate.compute), Number.POSITIVE_INFINITY);
  const dearest = candidates.reduce((largest, candidate) => Math.max(largest, candidate.compute), 0);
  if (points === 1 || !(dearest > cheapest)) return [dearest];
  const low = Math.log(cheapest);
  const high = Math.log(dearest);
  // The ends are the measured computes themselves, so the dearest point is affordable at the last budget.
  return Array.from({ length: points }, (_, step) => (step === 0 ? cheapest : step === points - 1 ? dearest : Math.exp(low + ((high - low) * step) / (points - 1))));
}

/**
 * The fold of each problem in one repeat of the policy's cross-validation (the same split
 * `computeOptimalPolicy` uses for that seed and repeat): for inspection and tests.
 */
export function crossValidationFolds(binOf: ReadonlyArray<number>, bins: number, folds: number, seed: number, repeat: number): Int32Array {
  return splitFolds(binMembers(binOf, bins), binOf.length, folds, splitSeed(seed, repeat));
}

function splitSeed(seed: number, repeat: number): number {
  return hashSeed(seed, 'compute-optimal', repeat);
}

/** Problem indices per bin (bin 1 first). */
function binMembers(binOf: ReadonlyArray<number>, bins: number): number[][] {
  const members: number[][] = Array.from({ length: bins }, () => []);
  binOf.forEach((bin, problem) => members[bin - 1]?.push(problem));
  return members;
}

/** Fold per problem: each bin's problems shuffled (seeded) and dealt round-robin, so every fold holds a share of every bin. */
function splitFolds(members: ReadonlyArray<ReadonlyArray<number>>, count: number, folds: number, seed: number): Int32Array {
  const foldOf = new Int32Array(count);
  let offset = 0;
  members.forEach((problems, binIndex) => {
    const random = createRandom(hashSeed(seed, binIndex));
    const shuffled = [...problems];
    for (let position = shuffled.length - 1; position > 0; position -= 1) {
      const swap = Math.floor(random.next() * (position + 1));
      [shuffled[position], shuffled[swap]] = [shuffled[swap] as number, shuffled[position] as number];
    }
    // Dealing continues where the previous bin stopped, so small bins do not all favour fold 0.
    shuffled.forEach((problem, position) => (foldOf[problem] = (offset + position) % folds));
    offset = (offset + shuffled.length) % folds;
  });
  return foldOf;
}

function indicesWhere(count: number, keep: (index: number) => boolean): number[] {
  const indices: number[] = [];
  for (let index = 0; index < count; index += 1) if (keep(index)) indices.push(index);
  return indices;
}

function pointAccuracy(input: ComputeOptimalInput, candidate: Candidate): ArrayLike<number> {
  return input.strategies[candidate.strategy]?.points[candidate.point]?.accuracy ?? [];
}

/** Mean of `values` over `indices` (0 when empty). */
export function meanAt(values: ArrayLike<number>, indices: ReadonlyArray<number>): number {
  if (indices.length === 0) return 0;
  let sum = 0;
  for (const index of indices) sum += values[index] ?? 0;
  return sum / indices.length;
}

/** The candidate with the highest mean accuracy over `problems`; the first (cheapest) wins ties. */
function bestCandidate(input: ComputeOptimalInput, candidates: ReadonlyArray<Candidate>, problems: ReadonlyArray<number>): Candidate | undefined {
  let best: Candidate | undefined;
  let bestValue = Number.NEGATIVE_INFINITY;
  for (const candidate of candidates) {
    const value = meanAt(pointAccuracy(input, candidate), problems);
    if (value > bestValue + 1e-12) {
      best = candidate;
      bestValue = value;
    }
  }
  return best;
}

function candidateKey(candidate: Candidate): string {
  return `${candidate.strategy}:${candidate.point}`;
}

function describeChoice(
  input: ComputeOptimalInput,
  bin: number,
  budget: number,
  problems: ReadonlyArray<number>,
  affordable: ReadonlyArray<Candidate>,
  tally: ReadonlyMap<string, number>,
  heldOut: Float64Array,
  splits: number,
): PolicyChoice {
  let modal: Candidate | undefined;
  let modalCount = 0;
  for (const candidate of affordable) {
    const times = tally.get(candidateKey(candidate)) ?? 0;
    if (times > modalCount) {
      modal = candidate;
      modalCount = times;
    }
  }
  const toPoint = (candidate: Candidate): ChosenPoint => ({
    strategy: input.strategies[candidate.strategy]?.id ?? '',
    n: input.strategies[candidate.strategy]?.points[candidate.point]?.n ?? 0,
  });
  const others = affordable.filter((candidate) => candidate.strategy !== modal?.strategy);
  const runnerUp = problems.length === 0 ? undefined : bestCandidate(input, others, problems);
  return {
    bin,
    budget,
    problems: problems.length,
    chosen: modal === undefined ? null : toPoint(modal),
    chosenShare: modalCount / splits,
    heldOutAccuracy: meanAt(heldOut, problems),
    chosenAccuracy: modal === undefined ? 0 : meanAt(pointAccuracy(input, modal), problems),
    runnerUp: runnerUp === undefined ? null : toPoint(runnerUp),
    runnerUpAccuracy: runnerUp === undefined ? null : meanAt(pointAccuracy(input, runnerUp), problems),
  };
}
