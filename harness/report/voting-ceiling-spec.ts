/** majority@k approaching its plateau majority@∞, and pass^k (all k samples right): the reliability views. */
import type { TopLevelSpec } from 'vega-lite';
import type { ReportData } from './report-data.ts';
import {
  anySimulatedIn,
  colorScale,
  isDrawable,
  K_AXIS_TITLE,
  LINE_LEGEND,
  presentLabels,
  seriesSet,
  specFrame,
  titleOf,
  unitDomain,
  type Datum,
  type SpecOptions,
} from './spec-parts.ts';

/**
 * majority@k against k per cell with its voting ceiling majority@∞ as a dashed horizontal rule in
 * the cell's colour: where the curve meets the rule, more votes will not help. Null without ceilings.
 */
export function votingCeilingSpec(data: ReportData, dataset: string, options: SpecOptions = {}): TopLevelSpec | null {
  const series = seriesSet(data.cells, dataset);
  const records: Datum[] = [];
  for (const row of data.rows) {
    const label = series.labels.get(row.cell.id);
    if (label !== undefined && row.k > 0 && isDrawable(row.majority.value)) records.push({ series: label, curve: 'majority@k', k: row.k, value: row.majority.value });
  }
  const ceilings: Datum[] = [];
  for (const ceiling of data.majorityCeilings ?? []) {
    const label = series.labels.get(ceiling.cellId);
    if (label !== undefined && isDrawable(ceiling.value.value)) ceilings.push({ series: label, value: ceiling.value.value });
  }
  if (records.length === 0 || ceilings.length === 0) return null;
  const present = presentLabels(records);
  const color = { field: 'series', type: 'nominal', title: 'Model', scale: colorScale(series, present), legend: LINE_LEGEND } as const;
  const x = { field: 'k', type: 'quantitative', title: K_AXIS_TITLE, scale: { type: 'log', nice: false } } as const;
  const y = { field: 'value', type: 'quantitative', title: 'majority@k (accuracy of the vote)', scale: { domain: unitDomain() }, axis: { format: '.0%' } } as const;
  return {
    ...specFrame(
      titleOf(
        'The voting ceiling: majority@k and majority@∞',
        'Dashed: majority@∞, the share of problems whose gold answer is strictly the most frequent (ties count 1/t): the plateau majority@k levels off at.',
        anySimulatedIn(series, present),
      ),
      records,
      options,
    ),
    layer: [
      { mark: { type: 'line', strokeWidth: 2, point: { filled: true, size: 18 } }, encoding: { x, y, color } },
      {
        data: { values: ceilings },
        mark: { type: 'rule', strokeDash: [6, 4], strokeWidth: 1.5 },
        encoding: { y: { field: 'value', type: 'quantitative' }, color, tooltip: [{ field: 'series', type: 'nominal', title: 'Model' }, { field: 'value', type: 'quantitative', title: 'majority@∞', format: '.4f' }] },
      },
    ],
  };
}

/** pass^k against k per cell (all k samples correct): falls where coverage rises. Null without pass^k. */
export function passHatKSpec(data: ReportData, dataset: string, options: SpecOptions = {}): TopLevelSpec | null {
  const series = seriesSet(data.cells, dataset);
  const records: Datum[] = [];
  for (const row of data.rows) {
    const label = series.labels.get(row.cell.id);
    const estimate = row.passHatK;
    if (label === undefined || estimate === undefined || !isDrawable(estimate.value) || !(row.k > 0)) continue;
    records.push({ series: label, k: row.k, value: estimate.value, low: estimate.low, high: estimate.high });
  }
  if (records.length === 0) return null;
  const present = presentLabels(records);
  const color = { field: 'series', type: 'nominal', title: 'Model', scale: colorScale(series, present), legend: LINE_LEGEND } as const;
  const x = { field: 'k', type: 'quantitative', title: K_AXIS_TITLE, scale: { type: 'log', nice: false } } as const;
  const yTitle = 'pass^k (all k samples correct)';
  return {
    ...specFrame(titleOf('Reliability: pass^k against samples per problem', 'Unbiased C(c,k)/C(n,k), mean over problems. Shaded: 95% bootstrap interval over problems.', anySimulatedIn(series, present)), records, options),
    layer: [
      { mark: { type: 'area', opacity: 0.18 }, encoding: { x, y: { field: 'low', type: 'quantitative', title: yTitle, scale: { domain: [0, 1] }, axis: { format: '.0%' } }, y2: { field: 'high' }, color } },
      { mark: { type: 'line', strokeWidth: 2, point: { filled: true, size: 18 } }, encoding: { x, y: { field: 'value', type: 'quantitative', title: yTitle, scale: { domain: unitDomain() }, axis: { format: '.0%' } }, color } },
    ],
  };
}
