/** Accuracy against thinking budget (sequential scaling). */
import type { TopLevelSpec } from 'vega-lite';
import { SIMULATED_SUFFIX } from './cell-labels.ts';
import type { ReportData } from './report-data.ts';
import { assignColors } from './colors.ts';
import { isDrawable, LINE_LEGEND, specFrame, titleOf, unitDomain, type Datum, type SpecOptions } from './spec-parts.ts';

/**
 * Accuracy against thinking budget, for models swept over two or more budgets: coverage@1 (one
 * sample), and coverage and majority at the largest k every budget has. Null without a sweep.
 */
export function thinkingBudgetSpec(data: ReportData, dataset: string, options: SpecOptions = {}): TopLevelSpec | null {
  const cells = data.cells.filter((cell) => cell.dataset === dataset);
  const temperatures = new Set(cells.map((cell) => cell.temperature));
  const groups = new Map<string, typeof cells>();
  for (const cell of cells) {
    const key = JSON.stringify([cell.model, cell.temperature, cell.simulated]);
    groups.set(key, [...(groups.get(key) ?? []), cell]);
  }
  const records: Datum[] = [];
  const budgets = new Set<number>();
  const order: string[] = [];
  const colors: string[] = [];
  const assigned = assignColors(data.cells);
  let anySimulated = false;
  for (const group of groups.values()) {
    if (new Set(group.map((cell) => cell.thinkingBudget)).size < 2) continue;
    const first = group[0];
    if (first === undefined) continue;
    const label = `${first.model}${temperatures.size > 1 ? ` · T=${String(first.temperature)}` : ''}${first.simulated ? SIMULATED_SUFFIX : ''}`;
    order.push(label);
    // The model's colour; temperatures of one model take its shades.
    colors.push(assigned.cells.get(group.find((cell) => cell.thinkingBudget === 0)?.id ?? first.id) ?? '#4c78a8');
    anySimulated ||= first.simulated;
    const rowsOf = new Map(group.map((cell) => [cell.id, data.rows.filter((row) => row.cell.id === cell.id && isDrawable(row.coverage.value))]));
    const largestK = Math.min(...group.map((cell) => Math.max(...(rowsOf.get(cell.id) ?? []).map((row) => row.k))));
    for (const cell of group) {
      const rows = rowsOf.get(cell.id) ?? [];
      const one = rows.find((row) => row.k === 1);
      const largest = rows.find((row) => row.k === largestK);
      const points: Array<[string, number | undefined]> = [['coverage@1', one?.coverage.value]];
      if (Number.isFinite(largestK) && largestK > 1) {
        points.push([`coverage@${String(largestK)}`, largest?.coverage.value], [`majority@${String(largestK)}`, largest?.majority.value]);
      }
      for (const [metric, value] of points) {
        if (!isDrawable(value)) continue;
        budgets.add(cell.thinkingBudget);
        records.push({ series: label, metric, budget: cell.thinkingBudget, value, thinking: one?.meanThinkingTokens ?? 0 });
      }
    }
  }
  if (records.length === 0) return null;
  const metrics = [...new Set(records.map((record) => String(record.metric)))].sort(metricOrder);
  const domain = [...budgets].sort((left, right) => left - right);
  const x = { field: 'budget', type: 'ordinal', title: 'Thinking budget (tokens; 0 = no thinking)', scale: { domain }, axis: { labelAngle: 0 } } as const;
  const y = { field: 'value', type: 'quantitative', title: 'Accuracy (fraction of problems)', scale: { domain: unitDomain() }, axis: { format: '.0%' } } as const;
  const color = {
    field: 'series',
    type: 'nominal',
    title: 'Model',
    scale: { domain: order, range: colors },
    legend: LINE_LEGEND,
  } as const;
  const tooltip = [
    { field: 'series', type: 'nominal', title: 'Model' },
    { field: 'metric', type: 'nominal', title: 'Metric' },
    { field: 'budget', type: 'ordinal', title: 'Thinking budget' },
    { field: 'thinking', type: 'quantitative', title: 'Mean thinking tokens', format: '.1f' },
    { field: 'value', type: 'quantitative', title: 'accuracy', format: '.4f' },
  ] as const;
  return {
    ...specFrame(titleOf('Accuracy against thinking budget', 'Sequential scaling: one line per model and metric.', anySimulated), records, options),
    encoding: { x, y, color },
    layer: [
      {
        mark: { type: 'line', strokeWidth: 2 },
        encoding: {
          strokeDash: {
            field: 'metric',
            type: 'nominal',
            title: 'Metric',
            scale: { domain: metrics, range: metrics.map((_, index) => [[1, 0], [6, 4], [2, 3]][index % 3] ?? [1, 0]) },
          },
          tooltip: [...tooltip],
        },
      },
      { mark: { type: 'point', filled: true, size: 40 }, encoding: { tooltip: [...tooltip] } },
    ],
  };
}

function metricOrder(left: string, right: string): number {
  const rank = (metric: string): number => (metric === 'coverage@1' ? 0 : metric.startsWith('coverage') ? 1 : 2);
  return rank(left) - rank(right);
}
