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
const FORECAST = 'Beta forecast (measured range)';
const EXTENSION = 'Beta forecast, extrapolated';
const FORECAST_ANCHOR = 'Beta fitted at n';

/**
 * How far past the largest measured k a forecast is drawn: at most this factor times that k.
 * Declared in each coverage spec's `usermeta.xRange` so readers (and tests) can check it.
 */
export const FORECAST_RANGE_FACTOR = 4;

/** What a curve figure declares about its x axis in `usermeta.xRange`. */
export interface XRangeNote {
  /** Largest k measured in the figure. */
  measuredMaxK: number;
  /** Largest k drawn (the x domain's end): measuredMaxK, or up to FORECAST_RANGE_FACTOR times it with a forecast. */
  drawnMaxK: number;
  /** The declared cap factor of the forecast extension. */
  forecastFactor: number;
}

/**
 * coverage@k or majority@k against k on a log axis: one line per cell, its 95% bootstrap band
 * as an area; for coverage, the fitted power law (dashed) and the Beta forecast (dotted) with
 * the n it was fitted at marked by a diamond (named in the legend and tooltip, not written on
 * the plot). The x axis ends at the largest measured k; a forecast past it is drawn as a
 * separate, shaded extension capped at FORECAST_RANGE_FACTOR times that k. Null when there are
 * no rows for the dataset.
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
  const measuredMaxK = Math.max(...records.map((record) => Number(record.k)));
  const measuredMinK = Math.min(...records.map((record) => Number(record.k)));
  const curves = [MEASURED];
  if (metric === 'coverage') {
    records.push(...fitRecords(data, series.labels, measuredMaxK));
    records.push(...forecastRecords(data, series.labels, measuredMaxK));
    for (const curve of [FIT, FORECAST, EXTENSION]) if (records.some((record) => record.curve === curve)) curves.push(curve);
  }
  const drawnMaxK = Math.max(measuredMaxK, ...records.map((record) => Number(record.k)));
  const xDomain: number[] = [measuredMinK, drawnMaxK];
  const xRange: XRangeNote = { measuredMaxK, drawnMaxK, forecastFactor: FORECAST_RANGE_FACTOR };
  const present = presentLabels(records);
  const color = { field: 'series', type: 'nominal', title: 'Model', scale: colorScale(series, present), legend: LINE_LEGEND } as const;
  const yTitle = metric === 'coverage' ? 'coverage@k (fraction of problems solved)' : 'majority@k (accuracy of the vote)';
  const x = { field: 'k', type: 'quantitative', title: K_AXIS_TITLE, scale: { type: 'log', nice: false, domain: xDomain } } as const;
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
      ? drawnMaxK > measuredMaxK
        ? ['Shaded: 95% bootstrap interval over problems. Dashed: fitted power law. Dotted: Beta forecast.', `Grey area: the forecast extrapolated past the largest measured k (${String(measuredMaxK)}).`]
        : 'Shaded: 95% bootstrap interval over problems. Dashed: fitted power law. Dotted: Beta forecast.'
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
      ]
    : [];
  const extensionLayers: Layer[] =
    drawnMaxK > measuredMaxK
      ? [
          {
            data: { values: [{ from: measuredMaxK, to: drawnMaxK, label: 'forecast' }] },
            mark: { type: 'rect', color: '#f2f2f2' },
            encoding: { x: { field: 'from', type: 'quantitative', scale: x.scale }, x2: { field: 'to' } },
          },
          {
            data: { values: [{ at: Math.sqrt(measuredMaxK * drawnMaxK), label: 'forecast' }] },
            mark: { type: 'text', baseline: 'top', dy: 4, fontSize: 11, color: '#777777' },
            encoding: { x: { field: 'at', type: 'quantitative', scale: x.scale }, y: { value: 0 }, text: { field: 'label' } },
          },
        ]
      : [];
  return {
    ...specFrame(titleOf(text, note, anySimulatedIn(series, present)), records, options),
    usermeta: { xRange },
    layer: [
      ...extensionLayers,
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
  if (curve === EXTENSION) return [1, 4];
  return [1, 0];
}

/** The fitted power laws, drawn over the measured ks only. */
function fitRecords(data: ReportData, labels: ReadonlyMap<string, string>, measuredMaxK: number): Datum[] {
  const records: Datum[] = [];
  for (const fit of data.fits) {
    const label = labels.get(fit.cellId);
    if (label === undefined) continue;
    for (const point of fit.curve) {
      if (point.k > 0 && point.k <= measuredMaxK && isDrawable(point.coverage)) records.push({ series: label, curve: FIT, k: point.k, value: point.coverage });
    }
  }
  return records;
}

/**
 * The Beta forecasts: dotted over the measured ks, a separate extrapolated curve past them up to
 * FORECAST_RANGE_FACTOR × the largest measured k, and a diamond at the n each was fitted at.
 */
function forecastRecords(data: ReportData, labels: ReadonlyMap<string, string>, measuredMaxK: number): Datum[] {
  const records: Datum[] = [];
  const cap = measuredMaxK * FORECAST_RANGE_FACTOR;
  for (const forecast of data.forecasts) {
    const label = labels.get(forecast.cellId);
    if (label === undefined) continue;
    const points = forecast.curve.filter((point) => point.k > 0 && point.k <= cap && isDrawable(point.coverage));
    for (const point of points) {
      // The point at the largest measured k belongs to both pieces, so they join.
      if (point.k <= measuredMaxK) records.push({ series: label, curve: FORECAST, k: point.k, value: point.coverage });
      if (point.k >= lastAtOrBelow(points, measuredMaxK)) records.push({ series: label, curve: EXTENSION, k: point.k, value: point.coverage });
    }
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
  // An extension of one point (the join) draws nothing.
  const extended = new Set(records.filter((record) => record.curve === EXTENSION && Number(record.k) > measuredMaxK).map((record) => record.series));
  return records.filter((record) => record.curve !== EXTENSION || extended.has(record.series));
}

function lastAtOrBelow(points: ReadonlyArray<{ k: number }>, k: number): number {
  let last = 0;
  for (const point of points) if (point.k <= k) last = Math.max(last, point.k);
  return last;
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
