/**
 * The compute-optimal section of a report: builds, per dataset, the strategies (cell × majority vote,
 * best-of-N and weighted vote per scorer) from what the report already holds, and runs the analysis.
 */
import { computeOptimalAnalysis, type ComputeOptimalAnalysis, type ComputeOptimalSettings } from '../metrics/compute-optimal-analysis.ts';
import { buildStrategies, majorityMethod, meanSolveRates, type MethodAccuracy, type StrategyCell } from '../metrics/compute-optimal-strategies.ts';
import type { ComputePoint } from '../metrics/compute-curves.ts';
import type { AnswerClasses } from '../metrics/answer-classes.ts';
import type { CellInfo } from '../metrics/types.ts';
import { cellLabels } from '../report/cell-labels.ts';
import type { SelectionResult } from '../selection/selection-curves.ts';

/** What the analysis needs of one problem in one cell: its counts and answer classes. */
export interface OptimalProblem {
  problem: string;
  /** Checked samples. */
  samples: number;
  /** Correct samples. */
  correct: number;
  /** The samples' answer classes (majority vote). */
  classes: AnswerClasses;
}

/** What the section is built from. */
export interface ComputeOptimalSources {
  /** Cells in run order. */
  cells: ReadonlyArray<CellInfo>;
  /** Checked samples per cell id. */
  problems: ReadonlyMap<string, ReadonlyArray<OptimalProblem>>;
  /** Compute points per cell × k (their compute ÷ k is the cell's compute per sample). */
  computePoints: ReadonlyArray<ComputePoint>;
  /** Selection values per problem, when the run was scored. */
  selection: SelectionResult | undefined;
  /** Axis the config asks for. */
  axis: 'tokens' | 'flops' | 'dollars';
  /** Settings, seed, bootstrap and majority draws. */
  settings: ComputeOptimalSettings & { seed: number; bootstrapDraws: number; majorityDraws: number };
  /**
   * majority@k per cell id and k, one value per problem in the order of `problems`, as the metrics
   * computed them with the same seed and draws (cellRowsFromStats' `majorityOut`); a k missing here
   * is computed.
   */
  majorityByCell?: ReadonlyMap<string, ReadonlyMap<number, Float64Array>>;
}

/** The compute-optimal analysis of each dataset with at least one strategy, and notes worth printing. */
export function computeOptimalSections(sources: ComputeOptimalSources): { analyses: ComputeOptimalAnalysis[]; notes: string[] } {
  const analyses: ComputeOptimalAnalysis[] = [];
  const notes: string[] = [];
  for (const dataset of [...new Set(sources.cells.map((cell) => cell.dataset))]) {
    const cells = sources.cells.filter((cell) => cell.dataset === dataset && (sources.problems.get(cell.id)?.length ?? 0) > 0);
    const scored = (sources.selection?.perProblem ?? []).filter((entry) => cells.some((cell) => cell.id === entry.cellId));
    const axis = axisFor(sources, cells, scored.length > 0, dataset, notes);
    const labels = cellLabels(sources.cells.filter((cell) => cell.dataset === dataset));
    const strategyCells: StrategyCell[] = cells.map((cell) => strategyCell(cell, sources, axis, labels.get(cell.id) ?? cell.id));
    const { problems, strategies, leftOut } = buildStrategies(strategyCells);
    if (leftOut > 0) notes.push(`compute-optimal (${dataset}): ${leftOut} problems left out (not sampled in every cell)`);
    if (problems.length < sources.settings.folds) {
      notes.push(`compute-optimal (${dataset}): skipped, ${problems.length} shared problems for ${sources.settings.folds} folds`);
      continue;
    }
    let difficulty: ComputeOptimalAnalysis['difficulty'] = { source: 'oracle' };
    let perCell = cells.map((cell) => new Map((sources.problems.get(cell.id) ?? []).map((entry) => [entry.problem, entry.correct / entry.samples])));
    const scorer = scored[0]?.scorer;
    if (sources.settings.difficulty === 'predicted') {
      if (scorer === undefined) notes.push(`compute-optimal (${dataset}): predicted difficulty needs a selection scorer; using oracle pass@1`);
      else {
        difficulty = { source: 'predicted', scorer };
        perCell = scored.filter((entry) => entry.scorer === scorer).map((entry) => new Map(entry.problems.map((problem, index) => [problem, entry.meanWeight[index] ?? 0])));
      }
    }
    // Imported samples may carry no token counts: then no strategy has a cost to compare on.
    if (!strategies.some((strategy) => strategy.points.some((point) => Number.isFinite(point.compute) && point.compute > 0))) {
      notes.push(`compute-optimal (${dataset}): skipped, the samples carry no ${axis} (no token counts were recorded)`);
      continue;
    }
    const solveRates = meanSolveRates(perCell, problems).map((rate) => (Number.isFinite(rate) ? rate : 0));
    analyses.push(computeOptimalAnalysis({ dataset, axis, difficulty, problems, solveRates, strategies }, sources.settings));
  }
  return { analyses, notes };
}

/** The config's axis, unless some cell lacks it or a scorer's compute is known only in tokens (then tokens, noted). */
function axisFor(sources: ComputeOptimalSources, cells: ReadonlyArray<CellInfo>, withScorer: boolean, dataset: string, notes: string[]): ComputeOptimalSources['axis'] {
  if (sources.axis === 'tokens') return 'tokens';
  const points = sources.computePoints.filter((point) => cells.some((cell) => cell.id === point.cell.id));
  if (withScorer) {
    notes.push(`compute-optimal (${dataset}): compared on tokens, not ${sources.axis}: a scorer's ${sources.axis} are unknown (its tokens are counted)`);
    return 'tokens';
  }
  if (points.some((point) => point[sources.axis] === null)) {
    notes.push(`compute-optimal (${dataset}): ${sources.axis} unknown for some model; compared on tokens`);
    return 'tokens';
  }
  return sources.axis;
}

/** The majority-vote method of a cell: the metrics' values where they were computed, else computed the same way. */
function majorityOf(cellId: string, problems: ReadonlyArray<OptimalProblem>, ns: ReadonlyArray<number>, sources: ComputeOptimalSources): MethodAccuracy {
  const computed = sources.majorityByCell?.get(cellId);
  const missing = ns.filter((n) => computed?.get(n)?.length !== problems.length);
  const fresh = majorityMethod(
    problems.map((entry) => ({ problem: entry.problem, classes: entry.classes })),
    missing,
    { seed: sources.settings.seed, majority: { draws: sources.settings.majorityDraws } },
  );
  const points = ns.map((n) => fresh.points.find((point) => point.n === n) ?? { n, accuracy: computed?.get(n) as Float64Array });
  return { ...fresh, points };
}

function strategyCell(cell: CellInfo, sources: ComputeOptimalSources, axis: ComputeOptimalSources['axis'], label: string): StrategyCell {
  const problems = sources.problems.get(cell.id) ?? [];
  const points = sources.computePoints.filter((point) => point.cell.id === cell.id && point.k > 0);
  const first = points[0];
  const computePerSample = first === undefined ? 0 : (first[axis] ?? 0) / first.k;
  const ns = points.map((point) => point.k).sort((left, right) => left - right);
  const methods: MethodAccuracy[] = [majorityOf(cell.id, problems, ns, sources)];
  for (const scored of sources.selection?.perProblem.filter((entry) => entry.cellId === cell.id) ?? []) {
    const spent = sources.selection?.compute.find((entry) => entry.cellId === cell.id && entry.scorer === scored.scorer);
    const extra = (spent?.promptTokensPerSample ?? 0) + (spent?.completionTokensPerSample ?? 0);
    // Selection arrays follow the scorer's problem order; re-order them to the cell's.
    const order = problems.map((entry) => scored.problems.indexOf(entry.problem));
    const pick = (values: number[][]): Array<{ n: number; accuracy: Float64Array }> =>
      scored.ks.map((k, position) => ({ n: k, accuracy: Float64Array.from(order, (index) => (index < 0 ? 0 : (values[position]?.[index] ?? 0))) }));
    methods.push(
      { method: `best-of-N (${scored.label})`, simulated: scored.simulated, extraComputePerSample: extra, points: pick(scored.bestOfK) },
      { method: `weighted vote (${scored.label})`, simulated: scored.simulated, extraComputePerSample: extra, points: pick(scored.weightedVote) },
    );
  }
  return { cellId: cell.id, label, simulated: cell.simulated, problems: problems.map((entry) => entry.problem), computePerSample, methods };
}
