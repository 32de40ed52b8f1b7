/** Accuracy against inference compute: tokens, FLOPs or dollars per problem. */
import type { TopLevelSpec } from 'vega-lite';
import type { ComputeAxis, ReportData } from './report-data.ts';
import {
  anySimulatedIn,
  colorScale,
  isDrawable,
  LINE_LEGEND,
  presentLabels,
  seriesSet,
  specFrame,
  titleOf,
  unitDomain,
  type Datum,
  type SpecOptions,
} from './spec-parts.ts';

/** An SI-prefixed amount with a unit, e.g. `10 TFLOP`, `1.5 k` tokens: the prefix split from the number (Vega expression). */
function siLabel(unit: string): string {
  const text = "format(datum.value, '.2~s')";
  // d3's "s" format ends in a prefix letter (k, M, G, T, P, E) for values of 1,000 and more.
  return `test(/[a-zA-Z]$/, ${text}) ? slice(${text}, 0, -1) + ' ' + slice(${text}, -1) + '${unit}' : ${text} + ' ${unit}'`;
}

/** Each compute axis: title, tooltip number format, and tick labels (`10 TFLOP`, `100 k`, `$0.01`; never `1e+13`). */
export const COMPUTE_AXES: Record<ComputeAxis, { text: string; axisTitle: string; format: string; labelExpr: string }> = {
  tokens: { text: 'Accuracy against inference tokens', axisTitle: 'Inference tokens per problem (log scale)', format: '.3~s', labelExpr: "format(datum.value, '.2~s')" },
  flops: { text: 'Accuracy against inference FLOPs', axisTitle: 'Inference FLOPs per problem (log scale)', format: '.3~s', labelExpr: siLabel('FLOP') },
  dollars: { text: 'Accuracy against inference cost', axisTitle: 'Inference cost per problem, US dollars (log scale)', format: '$.3~g', labelExpr: "format(datum.value, '$.2~g')" },
};

/**
 * coverage@k (solid) and majority@k (dashed) against tokens, FLOPs or dollars on a log axis,
 * one line per cell through its ks. Null when no point of the dataset has that axis.
 */
export function computeSpec(
  data: ReportData,
  dataset: string,
  axis: ComputeAxis,
  options: SpecOptions = {},
): TopLevelSpec | null {
  const series = seriesSet(data.cells, dataset);
  const records: Datum[] = [];
  for (const point of data.computePoints) {
    const label = series.labels.get(point.cell.id);
    const compute = point[axis];
    if (label === undefined || !isDrawable(compute) || compute <= 0) continue;
    for (const [metric, value] of [
      ['coverage@k', point.coverage],
      ['majority@k', point.majority],
    ] as const) {
      if (isDrawable(value)) records.push({ series: label, metric, compute, value, k: point.k });
    }
  }
  if (records.length === 0) return null;
  const present = presentLabels(records);
  const look = COMPUTE_AXES[axis];
  // nice: false keeps the axis to the measured range instead of widening it to whole decades.
  const x = { field: 'compute', type: 'quantitative', title: look.axisTitle, scale: { type: 'log', nice: false }, axis: { labelExpr: look.labelExpr, labelOverlap: 'greedy' } } as const;
  const y = { field: 'value', type: 'quantitative', title: 'Accuracy (fraction of problems)', scale: { domain: unitDomain() }, axis: { format: '.0%' } } as const;
  const color = { field: 'series', type: 'nominal', title: 'Model', scale: colorScale(series, present), legend: LINE_LEGEND } as const;
  const tooltip = [
    { field: 'series', type: 'nominal', title: 'Model' },
    { field: 'metric', type: 'nominal', title: 'Metric' },
    { field: 'k', type: 'quantitative', title: 'k' },
    { field: 'compute', type: 'quantitative', title: axis, format: look.format },
    { field: 'value', type: 'quantitative', title: 'accuracy', format: '.4f' },
  ] as const;
  return {
    ...specFrame(titleOf(look.text, 'One point per k. Solid: coverage@k. Dashed: majority@k.', anySimulatedIn(series, present)), records, options),
    encoding: { x, y, color },
    layer: [
      {
        mark: { type: 'line', strokeWidth: 2 },
        encoding: {
          strokeDash: {
            field: 'metric',
            type: 'nominal',
            title: 'Metric',
            scale: { domain: ['coverage@k', 'majority@k'], range: [[1, 0], [6, 4]] },
          },
          tooltip: [...tooltip],
        },
      },
      { mark: { type: 'point', filled: true, size: 22 }, encoding: { tooltip: [...tooltip] } },
    ],
  };
}
