/** coverage@k and majority@k against k: the report's first figures. */
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
  type Layer,
  type SpecOptions,
} from './spec-parts.ts';

const MEASURED = 'measured';
const FIT = 'power-law fit exp(a·k^b)';
const FORECAST = 'Beta forecast';
const FORECAST_ANCHOR = 'Beta fitted at n';

/**
 * coverage@k or majority@k against k on a log axis: one line per cell, its 95% bootstrap band
 * as an area; for coverage, the fitted power law (dashed) and the Beta forecast (dotted) with
 * the n it was fitted at marked. Null when there are no rows for the dataset.
 */
export function curveSpec(
  data: ReportData,
  dataset: string,
  metric: 'coverage' | 'majority',
  options: SpecOptions = {},
): TopLevelSpec | null {
  const series = seriesSet(data.cells, dataset);
  const records: Datum[] = [];
  for (const row of data.rows) {
    const label = series.labels.get(row.cell.id);
    const estimate = row[metric];
    if (label === undefined || !isDrawable(estimate.value) || !(row.k > 0)) continue;
    records.push({
      series: label,
      curve: MEASURED,
      k: row.k,
      value: estimate.value,
      low: isDrawable(estimate.low) ? estimate.low : estimate.value,
      high: isDrawable(estimate.high) ? estimate.high : estimate.value,
    });
  }
  if (records.length === 0) return null;
  const curves = [MEASURED];
  if (metric === 'coverage') {
    for (const fit of data.fits) {
      const label = series.labels.get(fit.cellId);
      if (label === undefined) continue;
      for (const point of fit.curve) {
        if (point.k > 0 && isDrawable(point.coverage)) records.push({ series: label, curve: FIT, k: point.k, value: point.coverage });
      }
    }
    for (const forecast of data.forecasts) {
      const label = series.labels.get(forecast.cellId);
      if (label === undefined) continue;
      const points = forecast.curve.filter((point) => point.k > 0 && isDrawable(point.coverage));
      for (const point of points) records.push({ series: label, curve: FORECAST, k: point.k, value: point.coverage });
      const anchor = nearestByLogK(points, forecast.fittedAtN);
      if (anchor !== undefined) {
        records.push({
          series: label,
          curve: FORECAST_ANCHOR,
          marker: FORECAST_ANCHOR,
          k: forecast.fittedAtN,
          value: anchor.coverage,
          note: `fitted at n=${String(forecast.fittedAtN)}`,
        });
      }
    }
    for (const curve of [FIT, FORECAST]) if (records.some((record) => record.curve === curve)) curves.push(curve);
  }
  const present = presentLabels(records);
  const color = { field: 'series', type: 'nominal', title: 'Model', scale: colorScale(series, present), legend: LINE_LEGEND } as const;
  const yTitle = metric === 'coverage' ? 'coverage@k (fraction of problems solved)' : 'majority@k (accuracy of the vote)';
  const x = { field: 'k', type: 'quantitative', title: K_AXIS_TITLE, scale: { type: 'log', nice: false } } as const;
  const y = { field: 'value', type: 'quantitative', title: yTitle, scale: { domain: unitDomain() }, axis: { format: '.0%' } } as const;
  const tooltip = [
    { field: 'series', type: 'nominal', title: 'Model' },
    { field: 'curve', type: 'nominal', title: 'Curve' },
    { field: 'k', type: 'quantitative', title: 'k' },
    { field: 'value', type: 'quantitative', title: metric, format: '.4f' },
  ] as const;
  const text =
    metric === 'coverage' ? 'Coverage (pass@k) against samples per problem' : 'Majority-vote accuracy against samples per problem';
  const note =
    metric === 'coverage'
      ? 'Shaded: 95% bootstrap interval over problems. Dashed: fitted power law. Dotted: Beta forecast.'
      : 'Majority vote over answer classes of k random samples. Shaded: 95% bootstrap interval over problems.';
  const hasAnchor = records.some((record) => record.curve === FORECAST_ANCHOR);
  const anchorLayers: Layer[] = hasAnchor
    ? [
        {
          transform: [{ filter: { field: 'curve', equal: FORECAST_ANCHOR } }],
          mark: { type: 'point', filled: true, size: 110 },
          encoding: {
            x,
            y,
            color,
            shape: { field: 'marker', type: 'nominal', title: null, scale: { domain: [FORECAST_ANCHOR], range: ['diamond'] } },
            tooltip: [...tooltip, { field: 'note', type: 'nominal', title: 'Forecast' }],
          },
        },
        {
          transform: [{ filter: { field: 'curve', equal: FORECAST_ANCHOR } }],
          mark: { type: 'text', align: 'left', dx: 8, dy: 14, fontSize: 11 },
          encoding: { x, y, text: { field: 'note', type: 'nominal' }, color },
        },
      ]
    : [];
  return {
    ...specFrame(titleOf(text, note, anySimulatedIn(series, present)), records, options),
    layer: [
      {
        transform: [{ filter: { field: 'curve', equal: MEASURED } }],
        mark: { type: 'area', opacity: 0.18 },
        encoding: {
          x,
          y: { field: 'low', type: 'quantitative', title: yTitle, scale: { domain: [0, 1] }, axis: { format: '.0%' } },
          y2: { field: 'high' },
          color,
        },
      },
      {
        transform: [{ filter: { field: 'curve', oneOf: curves } }],
        mark: { type: 'line', strokeWidth: 2 },
        encoding: {
          x,
          y,
          color,
          strokeDash: {
            field: 'curve',
            type: 'nominal',
            title: 'Curve',
            scale: { domain: curves, range: curves.map(dashOf) },
            // A legend with the single entry "measured" says nothing.
            ...(curves.length === 1 ? { legend: null } : {}),
          },
          tooltip: [...tooltip],
        },
      },
      {
        transform: [{ filter: { field: 'curve', equal: MEASURED } }],
        mark: { type: 'point', filled: true, size: 22 },
        encoding: { x, y, color, tooltip: [...tooltip] },
      },
      ...anchorLayers,
    ],
  };
}

function dashOf(curve: string): number[] {
  if (curve === FIT) return [6, 4];
  if (curve === FORECAST) return [2, 3];
  return [1, 0];
}

function nearestByLogK<T extends { k: number }>(points: readonly T[], k: number): T | undefined {
  let best: T | undefined;
  let bestDistance = Infinity;
  for (const point of points) {
    const distance = Math.abs(Math.log(point.k) - Math.log(k));
    if (distance < bestDistance) {
      best = point;
      bestDistance = distance;
    }
  }
  return best;
}
