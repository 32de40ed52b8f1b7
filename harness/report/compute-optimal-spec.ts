/** The compute-optimal figures: the policy's curve beside each single strategy, and its compute saving. */
import type { TopLevelSpec } from 'vega-lite';
import type { ComputeOptimalAnalysis } from '../metrics/index.ts';
import type { ReportData } from './report-data.ts';
import { assignMethodColors } from './colors.ts';
import { isDrawable, LINE_LEGEND, specFrame, titleOf, unitDomain, type Datum, type SpecOptions } from './spec-parts.ts';

/** Legend entry of the policy's curve. */
export const POLICY_LABEL = 'compute-optimal policy (held-out)';

const AXIS_TITLES: Record<ComputeOptimalAnalysis['axis'], { title: string; format: string }> = {
  tokens: { title: 'Budget: inference tokens per problem (log scale)', format: '.2~s' },
  flops: { title: 'Budget: inference FLOPs per problem (log scale)', format: '.1~e' },
  dollars: { title: 'Budget: US dollars per problem (log scale)', format: '$.2~g' },
};

/** The analysis of a dataset, if the report has one. */
export function analysisFor(data: ReportData, dataset: string): ComputeOptimalAnalysis | undefined {
  return data.computeOptimal?.find((analysis) => analysis.dataset === dataset);
}

/**
 * Accuracy against compute: each single strategy (cell × method, its points at each N) as a thin
 * line, and the compute-optimal policy (held-out accuracy, chosen per difficulty bin) as a thick
 * black line with its 95% bootstrap band. Null without an analysis.
 */
export function computeOptimalSpec(data: ReportData, dataset: string, options: SpecOptions = {}): TopLevelSpec | null {
  const analysis = analysisFor(data, dataset);
  if (analysis === undefined || analysis.curve.length === 0) return null;
  const records: Datum[] = [];
  for (const strategy of analysis.strategies) {
    for (const point of strategy.points) {
      if (isDrawable(point.accuracy) && point.compute > 0) records.push({ series: strategy.label, compute: point.compute, value: point.accuracy, n: point.n });
    }
  }
  for (const point of analysis.curve) {
    records.push({ series: POLICY_LABEL, compute: point.budget, value: point.accuracy.value, low: point.accuracy.low, high: point.accuracy.high });
  }
  const domain = [POLICY_LABEL, ...analysis.strategies.map((strategy) => strategy.label)];
  const strategyColors = assignMethodColors(domain.slice(1));
  const look = AXIS_TITLES[analysis.axis];
  const x = { field: 'compute', type: 'quantitative', title: look.title, scale: { type: 'log', nice: false }, axis: { format: look.format } } as const;
  const y = { field: 'value', type: 'quantitative', title: 'Accuracy (fraction of problems)', scale: { domain: unitDomain() }, axis: { format: '.0%' } } as const;
  const color = {
    field: 'series',
    type: 'nominal',
    title: 'Strategy',
    scale: { domain, range: domain.map((label, index) => (index === 0 ? '#111111' : (strategyColors.get(label) ?? '#4c78a8'))) },
    // Strategy names are long (model · method (scorer)); the legend sits under the plot, so never cut them.
    legend: { ...LINE_LEGEND, labelLimit: 0 },
  } as const;
  const difficulty = analysis.difficulty.source === 'oracle' ? 'oracle pass@1' : `predicted by ${analysis.difficulty.scorer}`;
  const note = `Black: best strategy per difficulty bin (${String(analysis.settings.bins)} bins, ${difficulty}) and budget, scored on held-out problems; band 95% bootstrap.`;
  return {
    ...specFrame(titleOf('Compute-optimal test-time scaling', note, analysis.simulated), records, options),
    layer: [
      {
        transform: [{ filter: { field: 'series', equal: POLICY_LABEL } }],
        mark: { type: 'area', opacity: 0.15, color: '#111111' },
        encoding: { x, y: { field: 'low', type: 'quantitative', title: y.title, scale: { domain: [0, 1] }, axis: { format: '.0%' } }, y2: { field: 'high' } },
      },
      {
        // The policy holds its accuracy until the next budget on the grid lets it buy more: a step.
        transform: [{ filter: { field: 'series', equal: POLICY_LABEL } }],
        mark: { type: 'line', interpolate: 'step-after', strokeWidth: 3.5, point: { filled: true, size: 28 } },
        encoding: { x, y, color },
      },
      {
        transform: [{ filter: { field: 'series', oneOf: domain.slice(1) } }],
        mark: { type: 'line', strokeWidth: 1.5, point: { filled: true, size: 18 } },
        encoding: {
          x,
          y,
          color,
          tooltip: [
            { field: 'series', type: 'nominal', title: 'Strategy' },
            { field: 'n', type: 'quantitative', title: 'N' },
            { field: 'compute', type: 'quantitative', title: analysis.axis, format: look.format },
            { field: 'value', type: 'quantitative', title: 'accuracy', format: '.4f' },
          ],
        },
      },
    ],
  };
}

/**
 * The compute saving: at each budget, the compute the best single strategy needs to reach the
 * policy's accuracy, as a multiple of the budget, with its 95% bootstrap interval; a rule at 1×.
 * Budgets no single strategy reaches are left out (the table states them). Null without points.
 */
export function computeOptimalEfficiencySpec(data: ReportData, dataset: string, options: SpecOptions = {}): TopLevelSpec | null {
  const analysis = analysisFor(data, dataset);
  if (analysis === undefined) return null;
  const labels = new Map(analysis.strategies.map((strategy) => [strategy.id, strategy.label]));
  const records: Datum[] = [];
  for (const point of analysis.efficiency) {
    if (!isDrawable(point.ratio.value)) continue;
    records.push({
      budget: point.budget,
      ratio: point.ratio.value,
      low: point.ratio.low ?? point.ratio.value,
      high: point.ratio.high ?? point.ratio.value,
      baseline: labels.get(point.baseline ?? '') ?? '',
    });
  }
  if (records.length === 0) return null;
  const look = AXIS_TITLES[analysis.axis];
  const x = { field: 'budget', type: 'quantitative', title: look.title, scale: { type: 'log', nice: false }, axis: { format: look.format } } as const;
  const yTitle = 'Compute the best single strategy needs ÷ budget';
  return {
    ...specFrame(
      titleOf('Compute saved by the compute-optimal policy', 'Above 1×: the best single strategy needs that many times the compute to match the policy. Band: 95% bootstrap over problems.', analysis.simulated),
      records,
      options,
      280,
    ),
    layer: [
      { mark: { type: 'area', opacity: 0.18, color: '#4c78a8' }, encoding: { x, y: { field: 'low', type: 'quantitative', title: yTitle, scale: { type: 'log' } }, y2: { field: 'high' } } },
      {
        mark: { type: 'line', color: '#4c78a8', strokeWidth: 2, point: { filled: true, size: 24 } },
        encoding: {
          x,
          y: { field: 'ratio', type: 'quantitative', title: yTitle, scale: { type: 'log' } },
          tooltip: [
            { field: 'budget', type: 'quantitative', title: 'budget', format: look.format },
            { field: 'ratio', type: 'quantitative', title: 'saving (×)', format: '.2f' },
            { field: 'baseline', type: 'nominal', title: 'best single strategy' },
          ],
        },
      },
      { data: { values: [{ one: 1 }] }, mark: { type: 'rule', strokeDash: [4, 4], color: '#666666' }, encoding: { y: { field: 'one', type: 'quantitative' } } },
    ],
  };
}
