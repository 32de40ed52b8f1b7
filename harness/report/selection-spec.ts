/** Answer-selection methods against coverage: the gap to coverage. */
import type { TopLevelSpec } from 'vega-lite';
import { SIMULATED_SUFFIX } from './cell-labels.ts';
import { assignMethodColors, CEILING_COLOR, MAJORITY_COLOR } from './colors.ts';
import type { ReportData, SelectionSeries } from './report-data.ts';
import {
  anySimulatedIn,
  chartConfig,
  isDrawable,
  K_AXIS_TITLE,
  LINE_LEGEND,
  presentLabels,
  seriesSet,
  titleOf,
  VEGA_LITE_SCHEMA,
  unitDomain,
  type Datum,
  type SpecOptions,
} from './spec-parts.ts';

const CEILING = 'coverage@k (oracle ceiling)';
const MAJORITY = 'majority@k';

/**
 * Selection methods against coverage ("gap to coverage"): per cell, one panel with coverage@k
 * (the ceiling, dashed), majority@k and each selection method's accuracy@k. Null without selection data.
 */
export function selectionSpec(data: ReportData, dataset: string, options: SpecOptions = {}): TopLevelSpec | null {
  const series = seriesSet(data.cells, dataset);
  const records: Datum[] = [];
  const methods: string[] = [];
  const withSelection = new Set<string>();
  for (const entry of data.selection) {
    const label = series.labels.get(entry.cellId);
    if (label === undefined) continue;
    const method = methodLabel(entry);
    if (!methods.includes(method)) methods.push(method);
    for (const point of entry.points) {
      if (point.k > 0 && isDrawable(point.value)) {
        records.push({ series: label, method, k: point.k, value: point.value });
        withSelection.add(entry.cellId);
      }
    }
  }
  if (records.length === 0) return null;
  for (const row of data.rows) {
    const label = series.labels.get(row.cell.id);
    if (label === undefined || !withSelection.has(row.cell.id) || !(row.k > 0)) continue;
    if (isDrawable(row.coverage.value)) records.push({ series: label, method: CEILING, k: row.k, value: row.coverage.value });
    if (isDrawable(row.majority.value)) records.push({ series: label, method: MAJORITY, k: row.k, value: row.majority.value });
  }
  const domain = [CEILING, MAJORITY, ...methods];
  // Method colours are assigned over the whole report, so a method keeps its colour in every dataset's figure.
  const methodColors = assignMethodColors(data.selection.map(methodLabel));
  const colorOf = (name: string): string => (name === CEILING ? CEILING_COLOR : name === MAJORITY ? MAJORITY_COLOR : (methodColors.get(name) ?? CEILING_COLOR));
  const present = presentLabels(records);
  const panels = [...series.labels.values()].filter((label) => present.has(label));
  const x = { field: 'k', type: 'quantitative', title: K_AXIS_TITLE, scale: { type: 'log', nice: false } } as const;
  const y = { field: 'value', type: 'quantitative', title: 'Accuracy (fraction of problems)', scale: { domain: unitDomain() }, axis: { format: '.0%' } } as const;
  const method = {
    field: 'method',
    type: 'nominal',
    title: 'Method',
    scale: { domain, range: domain.map(colorOf) },
    legend: LINE_LEGEND,
  } as const;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: titleOf(
      'Answer selection against coverage (gap to coverage)',
      'Coverage is the ceiling a perfect selector reaches; the gap is what selection leaves behind.',
      anySimulatedIn(series, present) || data.selection.some((entry) => entry.simulated),
    ),
    background: 'white',
    config: chartConfig(options),
    data: { values: records },
    facet: { field: 'series', type: 'nominal', title: null, sort: panels },
    columns: Math.min(2, panels.length),
    spec: {
      width: panels.length > 1 ? 300 : (options.width ?? 640),
      height: panels.length > 1 ? 220 : (options.height ?? 340),
      encoding: { x, y, color: method },
      layer: [
        {
          mark: { type: 'line', strokeWidth: 2 },
          encoding: {
            strokeDash: { field: 'method', type: 'nominal', title: 'Method', scale: { domain, range: domain.map((name) => (name === CEILING ? [6, 4] : [1, 0])) } },
            tooltip: [
              { field: 'method', type: 'nominal', title: 'Method' },
              { field: 'k', type: 'quantitative', title: 'k' },
              { field: 'value', type: 'quantitative', title: 'accuracy', format: '.4f' },
            ],
          },
        },
        { mark: { type: 'point', filled: true, size: 18 } },
      ],
    },
  };
}

/** A selection method as its legend names it: "(simulated)" appended for simulated scores. */
export function methodLabel(entry: Pick<SelectionSeries, 'method' | 'simulated'>): string {
  return `${entry.method}${entry.simulated && !entry.method.endsWith(SIMULATED_SUFFIX) ? SIMULATED_SUFFIX : ''}`;
}
