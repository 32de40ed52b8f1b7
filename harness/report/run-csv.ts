/**
 * The CSV files beside metrics.csv, so every number index.html shows is also in a file a notebook
 * reads: problems.csv (cell × problem), equal-compute.csv (budget × series), fits.csv (per cell).
 * Fixed number formatting: identical data gives identical bytes.
 */
import { stringify } from 'csv-stringify/sync';
import type { CellInfo } from '../metrics/index.ts';
import { FORECAST_RANGE_FACTOR } from './curve-spec.ts';
import { formatFixed, formatScientific, NOT_AVAILABLE } from './metrics-csv.ts';
import { equalComputeTables, type ReportData } from './report-data.ts';

/** Columns of problems.csv, in order. */
export const PROBLEMS_CSV_COLUMNS = [
  'model',
  'dataset',
  'thinking_budget',
  'temperature',
  'problem',
  'samples',
  'correct',
  'solve_rate',
  'distinct_answers',
  'no_answer',
  'majority_correct',
  'simulated',
  'cell',
] as const;

/** Columns of equal-compute.csv, in order. */
export const EQUAL_COMPUTE_CSV_COLUMNS = ['table', 'axis', 'metric', 'budget', 'series', 'label', 'value', 'best', 'margin'] as const;

/** Columns of fits.csv, in order. */
export const FITS_CSV_COLUMNS = [
  'model',
  'dataset',
  'thinking_budget',
  'temperature',
  'kind',
  'a',
  'b',
  'rmse',
  'fitted_at_n',
  'alpha',
  'beta',
  'forecast_k',
  'forecast_coverage',
  'simulated',
  'cell',
] as const;

function csv(header: readonly string[], records: string[][]): string {
  return stringify([[...header], ...records], { record_delimiter: '\n' });
}

function cellFields(cell: CellInfo | undefined, cellId: string): { head: string[]; tail: string[] } {
  if (cell === undefined) return { head: [NOT_AVAILABLE, NOT_AVAILABLE, NOT_AVAILABLE, NOT_AVAILABLE], tail: [NOT_AVAILABLE, cellId] };
  return {
    head: [cell.model, cell.dataset, formatFixed(cell.thinkingBudget, 0), formatFixed(cell.temperature, 6)],
    tail: [cell.simulated ? 'true' : 'false', cell.id],
  };
}

/** problems.csv: one row per cell × problem, cells in report order, problems as the data lists them. */
export function problemsCsv(data: Pick<ReportData, 'cells' | 'problemStats'>): string {
  const cells = new Map(data.cells.map((cell) => [cell.id, cell]));
  const order = new Map(data.cells.map((cell, index) => [cell.id, index]));
  const stats = [...(data.problemStats ?? [])].sort((left, right) => (order.get(left.cellId) ?? 0) - (order.get(right.cellId) ?? 0));
  return csv(
    PROBLEMS_CSV_COLUMNS,
    stats.map((stat) => {
      const fields = cellFields(cells.get(stat.cellId), stat.cellId);
      return [
        ...fields.head,
        stat.problem,
        formatFixed(stat.samples, 0),
        formatFixed(stat.correct, 0),
        formatFixed(stat.samples === 0 ? Number.NaN : stat.correct / stat.samples, 6),
        formatFixed(stat.distinctAnswers, 0),
        formatFixed(stat.noAnswer, 0),
        stat.majorityCorrect === null ? NOT_AVAILABLE : formatFixed(stat.majorityCorrect, 6),
        ...fields.tail,
      ];
    }),
  );
}

/** A budget in its axis' unit: tokens 3 decimals, FLOPs in exponent form, dollars 8 decimals. */
function formatBudgetValue(axis: string, value: number): string {
  if (axis === 'flops') return formatScientific(value);
  return formatFixed(value, axis === 'dollars' ? 8 : 3);
}

/**
 * equal-compute.csv: one row per table × budget × series (long form), with the series' interpolated
 * value (`n/a` outside its measured range), whether it is the best at that budget, and the best's
 * margin over the runner-up (on the best's row only).
 */
export function equalComputeCsv(data: Pick<ReportData, 'equalCompute' | 'cells'>, labels: ReadonlyMap<string, string>): string {
  const records: string[][] = [];
  for (const table of equalComputeTables(data)) {
    const name = table.dataset ?? '';
    const seriesLabels = new Map(Object.entries(table.seriesLabels ?? {}));
    for (const row of table.rows) {
      for (const entry of row.values) {
        const best = entry.cellId === row.best;
        records.push([
          name,
          table.axis,
          table.metric,
          formatBudgetValue(table.axis, row.budget),
          entry.cellId,
          seriesLabels.get(entry.cellId) ?? labels.get(entry.cellId) ?? entry.cellId,
          entry.value === null ? NOT_AVAILABLE : formatFixed(entry.value, 6),
          best ? 'true' : 'false',
          best && row.margin !== null ? formatFixed(row.margin, 6) : NOT_AVAILABLE,
        ]);
      }
    }
  }
  return csv(EQUAL_COMPUTE_CSV_COLUMNS, records);
}

/**
 * fits.csv: per cell, the power-law fit (`kind` power-law: a, b, rmse) and the Beta forecast
 * (`kind` beta-forecast: fitted_at_n, alpha, beta, and the forecast coverage at forecast_k, the
 * largest k the report draws it to: FORECAST_RANGE_FACTOR times the largest measured k).
 */
export function fitsCsv(data: Pick<ReportData, 'cells' | 'fits' | 'forecasts' | 'rows'>): string {
  const cells = new Map(data.cells.map((cell) => [cell.id, cell]));
  const records: string[][] = [];
  for (const fit of data.fits) {
    const fields = cellFields(cells.get(fit.cellId), fit.cellId);
    records.push([...fields.head, 'power-law', formatFixed(fit.a, 6), formatFixed(fit.b, 6), formatFixed(fit.rmse, 6), NOT_AVAILABLE, NOT_AVAILABLE, NOT_AVAILABLE, NOT_AVAILABLE, NOT_AVAILABLE, ...fields.tail]);
  }
  for (const forecast of data.forecasts) {
    const fields = cellFields(cells.get(forecast.cellId), forecast.cellId);
    const measured = Math.max(0, ...data.rows.filter((row) => row.cell.id === forecast.cellId).map((row) => row.k));
    const cap = measured * FORECAST_RANGE_FACTOR;
    const last = forecast.curve.filter((point) => point.k <= cap).at(-1);
    records.push([
      ...fields.head,
      'beta-forecast',
      NOT_AVAILABLE,
      NOT_AVAILABLE,
      NOT_AVAILABLE,
      formatFixed(forecast.fittedAtN, 0),
      formatFixed(forecast.alpha ?? Number.NaN, 6),
      formatFixed(forecast.beta ?? Number.NaN, 6),
      last === undefined ? NOT_AVAILABLE : formatFixed(last.k, 0),
      last === undefined ? NOT_AVAILABLE : formatFixed(last.coverage, 6),
      ...fields.tail,
    ]);
  }
  return csv(FITS_CSV_COLUMNS, records);
}
