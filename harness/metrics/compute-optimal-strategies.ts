/**
 * The strategies the compute-optimal policy chooses among, from per-problem inputs any report can
 * supply: per cell, its problems, the compute of one sample, and per answer-picking method the
 * expected accuracy of each problem at each N.
 */
import { hashSeed } from '../core/random.ts';
import type { AnswerClasses } from './answer-classes.ts';
import type { Strategy, StrategyPoint } from './compute-optimal.ts';
import { majorityOfClasses, type MajorityOptions } from './majority-at-k.ts';

/** One answer-picking method of a cell, with each problem's expected accuracy at each N. */
export interface MethodAccuracy {
  /** Method as shown, e.g. `majority vote`, `best-of-N (simulated verifier)`. */
  method: string;
  /** True when its scores are simulated. */
  simulated: boolean;
  /** Compute per sample the method adds on top of sampling (a scorer's tokens, FLOPs or dollars), axis unit. */
  extraComputePerSample: number;
  /** Per N: expected accuracy per problem, in the cell's `problems` order. */
  points: Array<{ n: number; accuracy: ArrayLike<number> }>;
}

/** One cell as the strategy builder takes it. */
export interface StrategyCell {
  /** Cell id. */
  cellId: string;
  /** Legend label of the cell (model, thinking budget, temperature; "(simulated)" when simulated). */
  label: string;
  /** True when the cell's model is simulated. */
  simulated: boolean;
  /** Problem ids, the order of every accuracy array. */
  problems: ReadonlyArray<string>;
  /** Mean compute of one sample (axis unit): N samples cost N times this. */
  computePerSample: number;
  /** Its methods. */
  methods: MethodAccuracy[];
}

/**
 * Strategies (cell × method) over the problems every cell has: accuracy arrays are re-ordered to
 * the first cell's problem order, problems missing from some cell are left out (their count is
 * returned, for a note), and a strategy at N costs N × (compute per sample + the method's extra).
 */
export function buildStrategies(cells: ReadonlyArray<StrategyCell>): { problems: string[]; strategies: Strategy[]; leftOut: number } {
  const everyCell = cells.reduce<Set<string> | undefined>((shared, cell) => {
    const ids = new Set(cell.problems);
    return shared === undefined ? ids : new Set([...shared].filter((id) => ids.has(id)));
  }, undefined);
  const problems = (cells[0]?.problems ?? []).filter((id) => everyCell?.has(id) === true);
  const allProblems = new Set(cells.flatMap((cell) => [...cell.problems]));
  const strategies: Strategy[] = [];
  for (const cell of cells) {
    const position = new Map(cell.problems.map((id, index) => [id, index]));
    const order = problems.map((id) => position.get(id) ?? -1);
    for (const method of cell.methods) {
      const points: StrategyPoint[] = method.points.map((point) => ({
        n: point.n,
        compute: point.n * (cell.computePerSample + method.extraComputePerSample),
        accuracy: Float64Array.from(order, (index) => point.accuracy[index] ?? 0),
      }));
      strategies.push({
        id: `${cell.cellId} · ${method.method}`,
        label: `${cell.label} · ${method.method}`,
        cellId: cell.cellId,
        method: method.method,
        simulated: cell.simulated || method.simulated,
        points,
      });
    }
  }
  return { problems, strategies, leftOut: allProblems.size - problems.length };
}

/**
 * The majority-vote method of a cell: majority@N of each problem (see `majorityOfClasses`), seeded
 * per problem and N as the cell metrics seed it (`hashSeed(seed, problem, N)`), so the values match
 * the majority@k of metrics.csv.
 */
export function majorityMethod(
  problems: ReadonlyArray<{ problem: string; classes: AnswerClasses }>,
  ns: ReadonlyArray<number>,
  options: { seed: number; majority?: Omit<MajorityOptions, 'seed'> },
): MethodAccuracy {
  return {
    method: 'majority vote',
    simulated: false,
    extraComputePerSample: 0,
    points: ns.map((n) => ({
      n,
      accuracy: Float64Array.from(problems, (entry) => majorityOfClasses(entry.classes, n, { ...options.majority, seed: hashSeed(options.seed, entry.problem, n) })),
    })),
  };
}

/**
 * Each problem's solve rate averaged over cells (a problem absent from a cell is averaged over the
 * cells that have it): oracle difficulty from each cell's pass@1 (correct ÷ samples), or predicted
 * difficulty from each cell's mean scorer score.
 *
 * @param perCell per cell, the solve rate of each of its problems
 * @param problems the problems wanted, in order
 */
export function meanSolveRates(perCell: ReadonlyArray<ReadonlyMap<string, number>>, problems: ReadonlyArray<string>): number[] {
  return problems.map((problem) => {
    let sum = 0;
    let count = 0;
    for (const rates of perCell) {
      const rate = rates.get(problem);
      if (rate === undefined || !Number.isFinite(rate)) continue;
      sum += rate;
      count += 1;
    }
    return count === 0 ? Number.NaN : sum / count;
  });
}
