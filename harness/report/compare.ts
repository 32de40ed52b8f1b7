/**
 * Several runs in one report (`scaling-bench compare`): each run's cells are renamed
 * `<run>/<cell id>` with the model label `<run>: <model>`, so equal model names from different
 * runs stay apart, and everything else is concatenated.
 */
import { ConfigError } from '../core/errors.ts';
import { equalComputeTable, type CellInfo } from '../metrics/index.ts';
import { equalComputeTables, type EqualComputeTable, type ReportData } from './report-data.ts';

/** One run to compare: its name (shown as the prefix) and its report data. */
export interface NamedReport {
  /** Run name, e.g. the run directory's base name. Must be unique among the compared runs. */
  name: string;
  /** The run's report data. */
  data: ReportData;
}

/** Options of mergeReportData. */
export interface MergeOptions {
  /** Title of the merged report. Default `Comparison: <run>, <run>, ...`. */
  title?: string;
  /** Build time to show. Default: the latest generatedAt of the runs (no clock is read). */
  generatedAt?: string;
  /**
   * Equal-compute tables over the merged cells (ids prefixed). Default: recomputed per dataset
   * over all runs' compute points, on the first run's axis and metric, when any run has a table; else null.
   */
  equalCompute?: EqualComputeTable | EqualComputeTable[] | null;
}

/** The id a cell of run `runName` has in a merged report: `<run>/<cell id>`. */
export function prefixedCellId(runName: string, cellId: string): string {
  return `${runName}/${cellId}`;
}

/** A cell as it appears in a merged report: id `<run>/<id>`, model label `<run>: <model>`. */
export function prefixCell(runName: string, cell: CellInfo): CellInfo {
  return { ...cell, id: prefixedCellId(runName, cell.id), model: `${runName}: ${cell.model}` };
}

/**
 * Merges several runs' report data into one. Throws COMPARE_NO_RUNS for an empty list and
 * COMPARE_DUPLICATE_RUN when two runs share a name (both exit code 2).
 */
export function mergeReportData(runs: readonly NamedReport[], options: MergeOptions = {}): ReportData {
  if (runs.length === 0) {
    throw new ConfigError('COMPARE_NO_RUNS', 'No runs were given to compare.', {
      hint: 'Pass two or more run directories: scaling-bench compare reports/a reports/b',
    });
  }
  const seen = new Set<string>();
  for (const run of runs) {
    if (run.name.trim() === '' || seen.has(run.name)) {
      throw new ConfigError(
        'COMPARE_DUPLICATE_RUN',
        `Run name "${run.name}" is ${run.name.trim() === '' ? 'empty' : 'given twice'}; the compared runs are named ${runs.map((entry) => `"${entry.name}"`).join(', ')}.`,
        { hint: 'Compare runs with distinct, non-empty names (each run directory once).' },
      );
    }
    seen.add(run.name);
  }

  const merged: ReportData = {
    title: options.title ?? `Comparison: ${runs.map((run) => run.name).join(', ')}`,
    generatedAt: options.generatedAt ?? runs.map((run) => run.data.generatedAt).sort().at(-1) ?? '',
    manifest: { runs: Object.fromEntries(runs.map((run) => [run.name, run.data.manifest])) },
    cells: [],
    rows: [],
    computePoints: [],
    equalCompute: null,
    fits: [],
    forecasts: [],
    solveRates: [],
    selection: [],
    thinking: [],
    errors: { total: 0, byCode: {} },
    duplicates: { count: 0, groups: [] },
    samplesBrowser: [],
  };
  for (const { name, data } of runs) {
    const id = (cellId: string): string => prefixedCellId(name, cellId);
    merged.cells.push(...data.cells.map((cell) => prefixCell(name, cell)));
    merged.rows.push(...data.rows.map((row) => ({ ...row, cell: prefixCell(name, row.cell) })));
    merged.computePoints.push(...data.computePoints.map((point) => ({ ...point, cell: prefixCell(name, point.cell) })));
    merged.fits.push(...data.fits.map((fit) => ({ ...fit, cellId: id(fit.cellId) })));
    merged.forecasts.push(...data.forecasts.map((forecast) => ({ ...forecast, cellId: id(forecast.cellId) })));
    merged.solveRates.push(...data.solveRates.map((entry) => ({ ...entry, cellId: id(entry.cellId) })));
    merged.selection.push(...data.selection.map((entry) => ({ ...entry, cellId: id(entry.cellId) })));
    merged.thinking.push(...data.thinking.map((entry) => ({ ...entry, cellId: id(entry.cellId) })));
    merged.errors.total += data.errors.total;
    for (const [code, count] of Object.entries(data.errors.byCode)) {
      merged.errors.byCode[code] = (merged.errors.byCode[code] ?? 0) + count;
    }
    merged.duplicates.count += data.duplicates.count;
    merged.duplicates.groups.push(...data.duplicates.groups.map((group) => ({ ...group, cellId: id(group.cellId) })));
    merged.samplesBrowser.push(...data.samplesBrowser.map((entry) => ({ ...entry, cellId: id(entry.cellId) })));
  }
  merged.equalCompute = options.equalCompute === undefined ? recomputedEqualCompute(runs, merged) : options.equalCompute;
  return merged;
}

function recomputedEqualCompute(runs: readonly NamedReport[], merged: ReportData): EqualComputeTable[] | null {
  const template = runs.flatMap((run) => equalComputeTables(run.data))[0];
  if (template === undefined) return null;
  const datasets = [...new Set(merged.cells.map((cell) => cell.dataset))];
  const tables: EqualComputeTable[] = [];
  for (const dataset of datasets) {
    const points = merged.computePoints.filter((point) => point.cell.dataset === dataset);
    const rows = equalComputeTable(points, template.axis, { metric: template.metric });
    if (rows.length > 0) tables.push({ dataset, axis: template.axis, metric: template.metric, rows });
  }
  return tables.length === 0 ? null : tables;
}
