import type { ComputePoint } from './compute-curves.ts';
import { requireInteger } from './metrics-error.ts';

/** One budget of the equal-compute table. */
export interface EqualComputeRow {
  /** Compute budget per problem, in the axis' unit (tokens, FLOPs or US dollars). */
  budget: number;
  /** Each curve's interpolated value at the budget; null outside the curve's measured range. */
  values: Array<{ cellId: string; value: number | null }>;
  /** Cell id with the highest value at this budget. */
  best: string;
  /** Its value. */
  bestValue: number;
  /** Cell id with the second highest value, null when only one curve is defined here. */
  runnerUp: string | null;
  /** bestValue − runner-up value (same unit as the metric), null without a runner-up. */
  margin: number | null;
}

/** Options of `equalComputeTable`. */
export interface EqualComputeOptions {
  /** Metric compared. Default `coverage`. */
  metric?: 'coverage' | 'majority';
  /** Budgets on the log grid. Default 25. */
  gridPoints?: number;
}

interface Curve {
  cellId: string;
  logCompute: number[];
  values: number[];
}

/**
 * Which cell is best at equal compute. Points are grouped into curves by cell id and sorted by
 * compute; points with unknown or non-positive compute are left out. Each curve is interpolated
 * linearly in log(compute) on a shared grid of `gridPoints` budgets, log-spaced over the range
 * where at least two curves are measured; a curve is null outside its own range (no
 * extrapolation), and budgets where fewer than two curves are defined are left out. Ties go to the
 * curve listed first. Returns [] when no two curves overlap.
 */
export function equalComputeTable(
  points: ReadonlyArray<ComputePoint>,
  axis: 'tokens' | 'flops' | 'dollars',
  options: EqualComputeOptions = {},
): EqualComputeRow[] {
  const metric = options.metric ?? 'coverage';
  const gridPoints = options.gridPoints ?? 25;
  requireInteger('gridPoints', gridPoints, 2);
  const curves = buildCurves(points, axis, metric);
  const [low, high] = overlapRange(curves);
  if (!(low < high)) return [];
  const rows: EqualComputeRow[] = [];
  for (let step = 0; step < gridPoints; step += 1) {
    const logBudget = step === gridPoints - 1 ? high : low + ((high - low) * step) / (gridPoints - 1);
    const values = curves.map((curve) => ({ cellId: curve.cellId, value: interpolate(curve, logBudget) }));
    const ranked = values
      .filter((entry): entry is { cellId: string; value: number } => entry.value !== null)
      .sort((left, right) => right.value - left.value);
    const best = ranked[0];
    const second = ranked[1];
    if (best === undefined || second === undefined) continue;
    rows.push({
      budget: Math.exp(logBudget),
      values,
      best: best.cellId,
      bestValue: best.value,
      runnerUp: second.cellId,
      margin: best.value - second.value,
    });
  }
  return rows;
}

function buildCurves(points: ReadonlyArray<ComputePoint>, axis: 'tokens' | 'flops' | 'dollars', metric: 'coverage' | 'majority'): Curve[] {
  const byCell = new Map<string, Array<{ compute: number; value: number }>>();
  for (const point of points) {
    const compute = point[axis];
    if (compute === null || !(compute > 0) || !Number.isFinite(compute)) continue;
    const list = byCell.get(point.cell.id) ?? [];
    list.push({ compute, value: point[metric] });
    byCell.set(point.cell.id, list);
  }
  return [...byCell.entries()].map(([cellId, list]) => {
    list.sort((left, right) => left.compute - right.compute);
    return { cellId, logCompute: list.map((entry) => Math.log(entry.compute)), values: list.map((entry) => entry.value) };
  });
}

/** Smallest and largest log-compute at which at least two curves are defined. */
function overlapRange(curves: ReadonlyArray<Curve>): [number, number] {
  const events: Array<{ at: number; change: number }> = [];
  for (const curve of curves) {
    const first = curve.logCompute[0];
    const last = curve.logCompute[curve.logCompute.length - 1];
    if (first === undefined || last === undefined) continue;
    events.push({ at: first, change: 1 }, { at: last, change: -1 });
  }
  // At equal positions starts come first, so touching ranges count as overlapping at that point.
  events.sort((left, right) => left.at - right.at || right.change - left.change);
  let open = 0;
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (const event of events) {
    open += event.change;
    if (event.change > 0 && open >= 2) low = Math.min(low, event.at);
    if (event.change < 0 && open >= 1) high = Math.max(high, event.at);
  }
  return [low, high];
}

function interpolate(curve: Curve, logBudget: number): number | null {
  const xs = curve.logCompute;
  const first = xs[0];
  const last = xs[xs.length - 1];
  const tolerance = 1e-12;
  if (first === undefined || last === undefined || logBudget < first - tolerance || logBudget > last + tolerance) return null;
  if (xs.length === 1) return curve.values[0] ?? null;
  let index = 0;
  while (index < xs.length - 2 && (xs[index + 1] ?? 0) < logBudget) index += 1;
  const x0 = xs[index] ?? 0;
  const x1 = xs[index + 1] ?? 0;
  const y0 = curve.values[index] ?? 0;
  const y1 = curve.values[index + 1] ?? 0;
  if (x1 === x0) return Math.max(y0, y1);
  const fraction = Math.min(1, Math.max(0, (logBudget - x0) / (x1 - x0)));
  return y0 + (y1 - y0) * fraction;
}
