/** Accuracy against sampling temperature, when a run sweeps temperatures. */
import type { TopLevelSpec } from 'vega-lite';
import type { CellInfo } from '../metrics/index.ts';
import { formatBudget, SIMULATED_SUFFIX } from './cell-labels.ts';
import { assignColors } from './colors.ts';
import type { ReportData } from './report-data.ts';
import { isDrawable, LINE_LEGEND, specFrame, titleOf, unitDomain, type Datum, type SpecOptions } from './spec-parts.ts';

/**
 * Accuracy against temperature for each model swept over two or more temperatures (at one
 * thinking budget): coverage@1, and coverage@k and majority@k at the largest k every temperature
 * has. Colour: the model's colour; dash: the metric. Null without a temperature sweep.
 */
export function temperatureSpec(data: ReportData, dataset: string, options: SpecOptions = {}): TopLevelSpec | null {
  const cells = data.cells.filter((cell) => cell.dataset === dataset);
  const budgets = new Set(cells.map((cell) => cell.thinkingBudget));
  const groups = new Map<string, CellInfo[]>();
  for (const cell of cells) {
    const key = JSON.stringify([cell.model, cell.thinkingBudget, cell.simulated]);
    groups.set(key, [...(groups.get(key) ?? []), cell]);
  }
  const assigned = assignColors(data.cells);
  const records: Datum[] = [];
  const order: string[] = [];
  const colors: string[] = [];
  let anySimulated = false;
  for (const group of groups.values()) {
    const first = group[0];
    if (first === undefined || new Set(group.map((cell) => cell.temperature)).size < 2) continue;
    const label = `${first.model}${budgets.size > 1 ? ` · think ${formatBudget(first.thinkingBudget)}` : ''}${first.simulated ? SIMULATED_SUFFIX : ''}`;
    order.push(label);
    colors.push(assigned.models.get(first.model) ?? '#4c78a8');
    anySimulated ||= first.simulated;
    const rowsOf = (cell: CellInfo): ReportData['rows'] => data.rows.filter((row) => row.cell.id === cell.id && isDrawable(row.coverage.value));
    const largestK = Math.min(...group.map((cell) => Math.max(...rowsOf(cell).map((row) => row.k))));
    for (const cell of group) {
      const rows = rowsOf(cell);
      const one = rows.find((row) => row.k === 1);
      const largest = rows.find((row) => row.k === largestK);
      const points: Array<[string, number | undefined]> = [['coverage@1', one?.coverage.value]];
      if (Number.isFinite(largestK) && largestK > 1) {
        points.push([`coverage@${String(largestK)}`, largest?.coverage.value], [`majority@${String(largestK)}`, largest?.majority.value]);
      }
      for (const [metric, value] of points) {
        if (isDrawable(value)) records.push({ series: label, metric, temperature: cell.temperature, value });
      }
    }
  }
  if (records.length === 0) return null;
  const metrics = [...new Set(records.map((record) => String(record.metric)))];
  const x = { field: 'temperature', type: 'quantitative', title: 'Sampling temperature', scale: { zero: false, nice: false } } as const;
  const y = { field: 'value', type: 'quantitative', title: 'Accuracy (fraction of problems)', scale: { domain: unitDomain() }, axis: { format: '.0%' } } as const;
  const color = { field: 'series', type: 'nominal', title: 'Model', scale: { domain: order, range: colors }, legend: LINE_LEGEND } as const;
  const tooltip = [
    { field: 'series', type: 'nominal', title: 'Model' },
    { field: 'metric', type: 'nominal', title: 'Metric' },
    { field: 'temperature', type: 'quantitative', title: 'Temperature' },
    { field: 'value', type: 'quantitative', title: 'accuracy', format: '.4f' },
  ] as const;
  return {
    ...specFrame(titleOf('Accuracy against sampling temperature', 'One line per model and metric. Solid: coverage@1; dashed: coverage at the largest k; dotted: majority there.', anySimulated), records, options),
    encoding: { x, y, color },
    layer: [
      {
        mark: { type: 'line', strokeWidth: 2 },
        encoding: {
          strokeDash: { field: 'metric', type: 'nominal', title: 'Metric', scale: { domain: metrics, range: metrics.map((_, index) => [[1, 0], [6, 4], [2, 3]][index % 3] ?? [1, 0]) } },
          tooltip: [...tooltip],
        },
      },
      { mark: { type: 'point', filled: true, size: 40 }, encoding: { tooltip: [...tooltip] } },
    ],
  };
}
