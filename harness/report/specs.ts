/**
 * The report's figures as Vega-Lite specs, built in code from ReportData. Each builder returns
 * null when it has nothing to draw; `buildFigureSpecs` collects the ones that exist, per dataset.
 */
import type { TopLevelSpec } from 'vega-lite';
import { computeSpec } from './compute-spec.ts';
import { computeOptimalEfficiencySpec, computeOptimalSpec } from './compute-optimal-spec.ts';
import { passHatKSpec, votingCeilingSpec } from './voting-ceiling-spec.ts';
import { curveSpec } from './curve-spec.ts';
import type { ReportData } from './report-data.ts';
import { selectionSpec } from './selection-spec.ts';
import { solveRateSpec } from './solve-rate-spec.ts';
import { slug, type SpecOptions } from './spec-parts.ts';
import { temperatureSpec } from './temperature-spec.ts';
import { thinkingBudgetSpec } from './thinking-budget-spec.ts';

export type { SpecOptions } from './spec-parts.ts';
export { computeSpec, curveSpec, selectionSpec, solveRateSpec, temperatureSpec, thinkingBudgetSpec };

/** One figure of the report. */
export interface FigureSpec {
  /** File-name stem (`coverage`, `compute-flops`, `coverage-math500` when there are several datasets). */
  name: string;
  /** Figure title (also the spec's title text). */
  title: string;
  /** The Vega-Lite spec, data inlined. */
  spec: TopLevelSpec;
}

/** Every figure the data supports: per dataset, in a fixed order. */
export function buildFigureSpecs(data: ReportData, options: SpecOptions = {}): FigureSpec[] {
  const datasets = [...new Set(data.cells.map((cell) => cell.dataset))];
  const figures: FigureSpec[] = [];
  for (const dataset of datasets) {
    const suffix = datasets.length > 1 ? `-${slug(dataset)}` : '';
    const candidates: Array<[string, TopLevelSpec | null]> = [
      ['coverage', curveSpec(data, dataset, 'coverage', options)],
      ['majority', curveSpec(data, dataset, 'majority', options)],
      ['compute-tokens', computeSpec(data, dataset, 'tokens', options)],
      ['compute-flops', computeSpec(data, dataset, 'flops', options)],
      ['compute-dollars', computeSpec(data, dataset, 'dollars', options)],
      ['thinking-budget', thinkingBudgetSpec(data, dataset, options)],
      ['temperature', temperatureSpec(data, dataset, options)],
      ['solve-rates', solveRateSpec(data, dataset, options)],
      ['selection', selectionSpec(data, dataset, options)],
      ['voting-ceiling', votingCeilingSpec(data, dataset, options)],
      ['pass-hat-k', passHatKSpec(data, dataset, options)],
      ['compute-optimal', computeOptimalSpec(data, dataset, options)],
      ['compute-optimal-efficiency', computeOptimalEfficiencySpec(data, dataset, options)],
    ];
    for (const [name, spec] of candidates) {
      if (spec === null) continue;
      const titled = datasets.length > 1 ? withTitleSuffix(spec, ` — ${dataset}`) : spec;
      figures.push({ name: `${name}${suffix}`, title: specTitle(titled), spec: titled });
    }
  }
  return figures;
}

/** The title text of a spec built here. */
export function specTitle(spec: TopLevelSpec): string {
  const title = spec.title;
  if (typeof title === 'string') return title;
  if (title !== undefined && typeof title === 'object' && !Array.isArray(title) && typeof title.text === 'string') {
    return title.text;
  }
  return '';
}

/** The spec with text appended to its title (the dataset, when a run has several). */
function withTitleSuffix(spec: TopLevelSpec, suffix: string): TopLevelSpec {
  const title = spec.title;
  if (title !== undefined && typeof title === 'object' && !Array.isArray(title) && typeof title.text === 'string') {
    return { ...spec, title: { ...title, text: `${title.text}${suffix}` } };
  }
  return spec;
}
