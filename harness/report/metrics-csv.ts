/** metrics.csv: one row per cell × k, with fixed number formatting so identical runs give identical bytes. */
import { stringify } from 'csv-stringify/sync';
import type { ComputePoint, MetricRow } from '../metrics/index.ts';
import type { SelectionSeries } from './report-data.ts';

/** Columns of metrics.csv, in order. */
export const METRICS_CSV_COLUMNS = [
  'model',
  'dataset',
  'thinking_budget',
  'temperature',
  'k',
  'coverage',
  'coverage_low',
  'coverage_high',
  'majority',
  'majority_low',
  'majority_high',
  'pass_hat_k',
  'pass_hat_k_low',
  'pass_hat_k_high',
  'n',
  'problems',
  'mean_completion_tokens',
  'mean_thinking_tokens',
  'mean_prompt_tokens',
  'simulated',
  'cell',
  'tokens_per_problem',
  'flops_per_problem',
  'dollars_per_problem',
] as const;

/** What metrics.csv joins onto the metric rows: compute at each k, and the selection methods' accuracy. */
export interface MetricsCsvExtras {
  /** Compute per problem per cell × k (the compute figures' points). */
  computePoints?: readonly ComputePoint[];
  /** Selection curves; each distinct method becomes a column `selection_<method>` (see selectionColumn). */
  selection?: readonly SelectionSeries[];
}

/** The metrics.csv column of a selection method: `selection_` and the method in snake case (`selection_best_of_k_reward_model`). */
export function selectionColumn(method: string): string {
  const snake = method.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  return `selection_${snake === '' ? 'method' : snake}`;
}

/** What a cell of metrics.csv holds for a value that does not exist (k above n, no problems): `n/a`. */
export const NOT_AVAILABLE = 'n/a';

/**
 * Formats a number with a fixed count of decimals, without trailing zeros and without `-0`;
 * non-finite values become `n/a`. Example: `formatFixed(0.5, 6)` → `0.5`, `formatFixed(1/3, 6)` → `0.333333`.
 */
export function formatFixed(value: number, decimals: number): string {
  if (!Number.isFinite(value)) return NOT_AVAILABLE;
  const fixed = value.toFixed(decimals);
  const trimmed = fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
  return trimmed === '-0' ? '0' : trimmed;
}

/**
 * metrics.csv as text: a header, then one row per cell × k, cells in order of first appearance
 * in `rows` and k ascending within a cell. Fractions (coverage, majority, pass^k — all k samples
 * correct, `n/a` when not computed — and their 95% interval bounds) have 6 decimals, mean token
 * counts 3, trailing zeros dropped; `simulated` is `true`/`false`; `cell` is the cell id of
 * samples.jsonl. Then compute per problem at k (tokens 3 decimals; FLOPs in exponent form with 6
 * significant digits; dollars 8 decimals; `n/a` where unknown), then one column per selection
 * method (accuracy@k, 6 decimals; `n/a` for cells or ks the method was not run on).
 */
export function metricsCsv(rows: readonly MetricRow[], extras: MetricsCsvExtras = {}): string {
  const cellOrder = new Map<string, number>();
  for (const row of rows) if (!cellOrder.has(row.cell.id)) cellOrder.set(row.cell.id, cellOrder.size);
  const sorted = [...rows].sort(
    (left, right) => (cellOrder.get(left.cell.id) ?? 0) - (cellOrder.get(right.cell.id) ?? 0) || left.k - right.k,
  );
  const compute = new Map((extras.computePoints ?? []).map((point) => [`${point.cell.id}\u0000${String(point.k)}`, point]));
  const columns = new Map<string, Map<string, number>>();
  for (const curve of extras.selection ?? []) {
    const column = selectionColumn(curve.method);
    const values = columns.get(column) ?? new Map<string, number>();
    for (const point of curve.points) values.set(`${curve.cellId}\u0000${String(point.k)}`, point.value);
    columns.set(column, values);
  }
  const records = sorted.map((row) => [
    row.cell.model,
    row.cell.dataset,
    formatFixed(row.cell.thinkingBudget, 0),
    formatFixed(row.cell.temperature, 6),
    formatFixed(row.k, 0),
    formatFixed(row.coverage.value, 6),
    formatFixed(row.coverage.low, 6),
    formatFixed(row.coverage.high, 6),
    formatFixed(row.majority.value, 6),
    formatFixed(row.majority.low, 6),
    formatFixed(row.majority.high, 6),
    row.passHatK === undefined ? NOT_AVAILABLE : formatFixed(row.passHatK.value, 6),
    row.passHatK === undefined ? NOT_AVAILABLE : formatFixed(row.passHatK.low, 6),
    row.passHatK === undefined ? NOT_AVAILABLE : formatFixed(row.passHatK.high, 6),
    formatFixed(row.n, 0),
    formatFixed(row.problems, 0),
    formatFixed(row.meanCompletionTokens, 3),
    formatFixed(row.meanThinkingTokens, 3),
    formatFixed(row.meanPromptTokens, 3),
    row.cell.simulated ? 'true' : 'false',
    row.cell.id,
    ...computeFields(compute.get(`${row.cell.id}\u0000${String(row.k)}`)),
    ...[...columns.values()].map((values) => formatFixed(values.get(`${row.cell.id}\u0000${String(row.k)}`) ?? Number.NaN, 6)),
  ]);
  return stringify([[...METRICS_CSV_COLUMNS, ...columns.keys()], ...records], { record_delimiter: '\n' });
}

function computeFields(point: ComputePoint | undefined): string[] {
  if (point === undefined) return [NOT_AVAILABLE, NOT_AVAILABLE, NOT_AVAILABLE];
  return [formatFixed(point.tokens, 3), formatScientific(point.flops), point.dollars === null ? NOT_AVAILABLE : formatFixed(point.dollars, 8)];
}

/** A number in exponent form with 6 significant digits (`1.23457e+13`); `n/a` for null or non-finite. */
export function formatScientific(value: number | null): string {
  return value === null || !Number.isFinite(value) ? NOT_AVAILABLE : value.toExponential(5).replace(/\.?0+e/, 'e');
}
