/** The distribution of per-problem solve rates. */
import type { TopLevelSpec } from 'vega-lite';
import type { ReportData } from './report-data.ts';
import { anySimulatedIn, colorScale, presentLabels, seriesSet, specFrame, titleOf, type Datum, type SpecOptions } from './spec-parts.ts';

/** Histogram of per-problem solve rates, bars grouped by cell. Null without solve-rate data. */
export function solveRateSpec(data: ReportData, dataset: string, options: SpecOptions = {}): TopLevelSpec | null {
  const series = seriesSet(data.cells, dataset);
  const records: Datum[] = [];
  const binLabels = new Map<string, number>();
  for (const entry of data.solveRates) {
    const label = series.labels.get(entry.cellId);
    if (label === undefined) continue;
    entry.bins.forEach((bin) => {
      const bounds = `${shortNumber(bin.low)}–${shortNumber(bin.high)}`;
      binLabels.set(bounds, bin.low);
      records.push({ series: label, bin: bounds, low: bin.low, high: bin.high, count: bin.count });
    });
  }
  if (records.length === 0) return null;
  const present = presentLabels(records);
  const sortedBins = [...binLabels.entries()].sort((left, right) => left[1] - right[1]).map(([label]) => label);
  const color = colorScale(series, present);
  const title = titleOf(
    'Distribution of per-problem solve rates',
    'Solve rate: fraction of a problem\'s samples that are correct. Bins include their lower edge.',
    anySimulatedIn(series, present),
  );
  return {
    ...specFrame(title, records, options, 300),
    mark: { type: 'bar' },
    encoding: {
      x: {
        field: 'bin',
        type: 'ordinal',
        title: 'Solve rate (fraction of samples correct)',
        sort: sortedBins,
        axis: { labelAngle: sortedBins.length > 8 ? -35 : 0 },
      },
      xOffset: { field: 'series', type: 'nominal', sort: color.domain },
      y: { field: 'count', type: 'quantitative', title: 'Problems' },
      color: { field: 'series', type: 'nominal', title: 'Model', scale: color },
      tooltip: [
        { field: 'series', type: 'nominal', title: 'Model' },
        { field: 'bin', type: 'ordinal', title: 'Solve rate' },
        { field: 'count', type: 'quantitative', title: 'Problems' },
      ],
    },
  };
}

/** A bin edge without trailing zeros: 0, 0.1, 0.25, 1. */
function shortNumber(value: number): string {
  return String(Number(value.toFixed(3)));
}
