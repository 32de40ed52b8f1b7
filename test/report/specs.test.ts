/** Structure of the Vega-Lite specs: titles, axis titles, log scales, legends, simulation labels (no snapshots). */
import { compile, type TopLevelSpec } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import type { CellInfo } from '../../harness/metrics/types.ts';
import { cellLabels, formatBudget } from '../../harness/report/cell-labels.ts';
import { buildFigureSpecs, computeSpec, curveSpec, selectionSpec, solveRateSpec, specTitle, thinkingBudgetSpec } from '../../harness/report/specs.ts';
import { FORECAST_RANGE_FACTOR } from '../../harness/report/curve-spec.ts';
import { FIXTURE_CELLS, reportFixture } from './fixture.ts';

type Json = Record<string, unknown>;

function asJson(spec: TopLevelSpec): Json {
  return JSON.parse(JSON.stringify(spec)) as Json;
}

/** Every encoding object anywhere in the spec (top level, layers, facet inner spec). */
function encodings(spec: Json): Json[] {
  const found: Json[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === 'object') {
      const object = node as Json;
      if (object.encoding !== undefined) found.push(object.encoding as Json);
      for (const [key, value] of Object.entries(object)) if (key !== 'data') visit(value);
    }
  };
  visit(spec);
  return found;
}

function channel(spec: Json, name: string): Json[] {
  return encodings(spec)
    .map((encoding) => encoding[name])
    .filter((value): value is Json => value !== undefined && value !== null && typeof value === 'object');
}

function values(spec: Json): Json[] {
  return ((spec.data as { values: Json[] } | undefined)?.values ?? []);
}

const data = reportFixture();

describe('buildFigureSpecs', () => {
  it('builds every figure the fixture supports, in a fixed order', () => {
    expect(buildFigureSpecs(data).map((figure) => figure.name)).toEqual([
      'coverage',
      'majority',
      'compute-tokens',
      'compute-flops',
      'compute-dollars',
      'thinking-budget',
      'solve-rates',
      'selection',
    ]);
  });

  it('suffixes figure names and titles with the dataset when there are several datasets', () => {
    const gsm8k: CellInfo = { ...FIXTURE_CELLS[0]!, id: 'llama-8b/gsm8k', dataset: 'gsm8k' };
    const rows = [...data.rows, ...data.rows.filter((row) => row.cell.id === FIXTURE_CELLS[0]!.id).map((row) => ({ ...row, cell: gsm8k }))];
    const figures = buildFigureSpecs({ ...data, cells: [...data.cells, gsm8k], rows }).filter((figure) => figure.name.startsWith('coverage'));
    expect(figures.map((figure) => [figure.name, figure.title, specTitle(figure.spec)])).toEqual([
      ['coverage-math500', 'Coverage (pass@k) against samples per problem — math500', 'Coverage (pass@k) against samples per problem — math500'],
      ['coverage-gsm8k', 'Coverage (pass@k) against samples per problem — gsm8k', 'Coverage (pass@k) against samples per problem — gsm8k'],
    ]);
  });

  it('leaves out figures without data', () => {
    const names = buildFigureSpecs({ ...data, computePoints: [], solveRates: [], selection: [] }).map((figure) => figure.name);
    expect(names).toEqual(['coverage', 'majority', 'thinking-budget']);
    expect(buildFigureSpecs({ ...data, cells: [], rows: [] })).toEqual([]);
  });

  it.each(buildFigureSpecs(data).map((figure) => [figure.name, figure] as const))('%s has a title, axis titles and a legend title, and compiles', (_name, figure) => {
    const spec = asJson(figure.spec);
    expect(specTitle(figure.spec)).not.toBe('');
    expect(figure.title).toBe(specTitle(figure.spec));
    for (const axis of ['x', 'y']) {
      const titles = channel(spec, axis).map((definition) => definition.title).filter((title) => title !== undefined);
      expect(titles.length, `${axis} title`).toBeGreaterThan(0);
      for (const title of titles) expect(typeof title).toBe('string');
    }
    const colors = channel(spec, 'color');
    expect(colors.length).toBeGreaterThan(0);
    for (const color of colors) expect(['Model', 'Method']).toContain(color.title);
    expect(() => compile(figure.spec)).not.toThrow();
  });
});

describe('curveSpec', () => {
  it('plots coverage against k on a log axis with bands, fit, forecast and the fitted n', () => {
    const spec = asJson(curveSpec(data, 'math500', 'coverage') as TopLevelSpec);
    const measuredX = channel(spec, 'x').filter((x) => x.field === 'k');
    expect(measuredX.length).toBeGreaterThan(0);
    for (const x of measuredX) {
      // Ends at the largest measured k (250), extended only by the capped forecast (4 × 250).
      expect(x.scale).toEqual({ type: 'log', nice: false, domain: [1, 1000] });
      expect(x.title).toBe('Samples per problem, k (log scale)');
    }
    expect(spec.usermeta).toEqual({ xRange: { measuredMaxK: 250, drawnMaxK: 1000, forecastFactor: FORECAST_RANGE_FACTOR } });
    // The shaded forecast area and its one label, then band, lines, points and the fitted-n diamond (no text on the curves).
    expect((spec.layer as Json[]).map((layer) => (layer.mark as Json).type)).toEqual(['rect', 'text', 'area', 'line', 'point', 'point']);
    const records = values(spec);
    const curves = [...new Set(records.map((record) => record.curve))];
    expect(curves).toEqual(['measured', 'power-law fit exp(a·k^b)', 'Beta forecast (measured range)', 'Beta forecast, extrapolated', 'Beta fitted at n']);
    expect(Math.max(...records.filter((record) => record.curve === 'power-law fit exp(a·k^b)').map((record) => Number(record.k)))).toBe(200);
    expect(records.filter((record) => record.curve === 'Beta forecast, extrapolated').map((record) => record.k)).toEqual([250, 1000]);
    expect(records.filter((record) => record.curve === 'Beta fitted at n')).toEqual([
      {
        series: 'llama-8b · think off',
        curve: 'Beta fitted at n',
        marker: 'Beta fitted at n',
        k: 10,
        value: expect.any(Number),
        note: 'fitted at n=10',
      },
    ]);
    const strokeDash = channel(spec, 'strokeDash')[0] as { scale: { domain: string[]; range: number[][] } };
    expect(strokeDash.scale.range).toEqual([[1, 0], [6, 4], [2, 3], [1, 4]]);
    const first = records.find((record) => record.curve === 'measured');
    expect(first).toEqual({ series: 'llama-8b · think off', curve: 'measured', k: 1, value: 0.264477, low: 0.224477, high: 0.304477 });
  });

  it('ends the x axis at the largest measured k when nothing is forecast', () => {
    const spec = asJson(curveSpec({ ...data, forecasts: [] }, 'math500', 'coverage') as TopLevelSpec);
    for (const x of channel(spec, 'x').filter((entry) => entry.field === 'k')) expect(x.scale).toEqual({ type: 'log', nice: false, domain: [1, 250] });
    expect((spec.layer as Json[]).map((layer) => (layer.mark as Json).type)).toEqual(['area', 'line', 'point']);
  });

  it('labels simulated models in the legend and the subtitle', () => {
    const spec = asJson(curveSpec(data, 'math500', 'majority') as TopLevelSpec);
    const color = channel(spec, 'color')[0] as { scale: { domain: string[] } };
    expect(color.scale.domain).toEqual(['llama-8b · think off', 'sim-70b · think off (simulated)', 'sim-70b · think 1k (simulated)']);
    const title = spec.title as { text: string; subtitle: string[] };
    expect(title.text).toBe('Majority-vote accuracy against samples per problem');
    expect(title.subtitle[1]).toBe('Includes simulated models, marked "(simulated)": their samples do not come from a language model.');
    expect([...new Set(values(spec).map((record) => record.curve))]).toEqual(['measured']);
  });

  it('has no simulation note when no plotted model is simulated', () => {
    const real = { ...data, cells: data.cells.filter((cell) => !cell.simulated), rows: data.rows.filter((row) => !row.cell.simulated) };
    const title = (curveSpec(real, 'math500', 'coverage') as { title: { subtitle: string[] } }).title;
    expect(title.subtitle).toEqual([
      'Shaded: 95% bootstrap interval over problems. Dashed: fitted power law. Dotted: Beta forecast.',
      'Grey area: the forecast extrapolated past the largest measured k (250).',
    ]);
  });

  it('skips values that are n/a instead of drawing them', () => {
    const rows = data.rows.map((row, index) => (index === 0 ? { ...row, coverage: { value: Number.NaN, low: Number.NaN, high: Number.NaN } } : row));
    const spec = asJson(curveSpec({ ...data, rows, fits: [], forecasts: [] }, 'math500', 'coverage') as TopLevelSpec);
    expect(values(spec)).toHaveLength(data.rows.length - 1);
  });
});

describe('computeSpec', () => {
  it.each([
    ['tokens', 'Inference tokens per problem (log scale)', 24],
    ['flops', 'Inference FLOPs per problem (log scale)', 24],
    ['dollars', 'Inference cost per problem, US dollars (log scale)', 8],
  ] as const)('%s: log x axis titled %s, coverage and majority for %i points', (axis, title, points) => {
    const spec = asJson(computeSpec(data, 'math500', axis) as TopLevelSpec);
    const x = channel(spec, 'x')[0] as Json;
    expect(x.title).toBe(title);
    expect(x.scale).toEqual({ type: 'log', nice: false });
    expect(String((x.axis as Json).labelExpr)).not.toContain('e+');
    expect(values(spec)).toHaveLength(points * 2);
  });

  it('is null when no point has the axis', () => {
    expect(computeSpec({ ...data, computePoints: data.computePoints.map((point) => ({ ...point, dollars: null })) }, 'math500', 'dollars')).toBe(null);
  });
});

describe('thinkingBudgetSpec', () => {
  it('plots accuracy against the budgets of a swept model', () => {
    const spec = asJson(thinkingBudgetSpec(data, 'math500') as TopLevelSpec);
    const x = channel(spec, 'x')[0] as Json;
    expect(x.title).toBe('Thinking budget (tokens; 0 = no thinking)');
    expect(x.scale).toEqual({ domain: [0, 1024] });
    expect(values(spec).map((record) => [record.series, record.metric, record.budget])).toEqual([
      ['sim-70b (simulated)', 'coverage@1', 0],
      ['sim-70b (simulated)', 'coverage@250', 0],
      ['sim-70b (simulated)', 'majority@250', 0],
      ['sim-70b (simulated)', 'coverage@1', 1024],
      ['sim-70b (simulated)', 'coverage@250', 1024],
      ['sim-70b (simulated)', 'majority@250', 1024],
    ]);
  });

  it('is null when no model has two budgets', () => {
    expect(thinkingBudgetSpec({ ...data, cells: data.cells.slice(0, 2) }, 'math500')).toBe(null);
  });
});

describe('solveRateSpec and selectionSpec', () => {
  it('bins solve rates in order with short labels', () => {
    const spec = asJson(solveRateSpec(data, 'math500') as TopLevelSpec);
    const x = channel(spec, 'x')[0] as { sort: string[]; title: string };
    expect(x.title).toBe('Solve rate (fraction of samples correct)');
    expect(x.sort).toEqual(['0–0.1', '0.1–0.2', '0.2–0.3', '0.3–0.4', '0.4–0.5', '0.5–0.6', '0.6–0.7', '0.7–0.8', '0.8–0.9', '0.9–1']);
    expect(channel(spec, 'y')[0]?.title).toBe('Problems');
  });

  it('shows selection beside coverage and majority, a panel per model, simulated methods labelled', () => {
    const spec = asJson(selectionSpec(data, 'math500') as TopLevelSpec);
    expect(spec.facet).toEqual({ field: 'series', type: 'nominal', title: null, sort: ['sim-70b · think off (simulated)'] });
    const color = channel(spec, 'color')[0] as { scale: { domain: string[] } };
    expect(color.scale.domain).toEqual(['coverage@k (oracle ceiling)', 'majority@k', 'best-of-k (verifier) (simulated)']);
    expect(channel(spec, 'x')[0]?.scale).toEqual({ type: 'log', nice: false });
    expect(values(spec)).toHaveLength(24);
  });
});

describe('cellLabels', () => {
  it('names only what varies, marks simulation and keeps labels unique', () => {
    const base: CellInfo = { id: 'a', model: 'm', dataset: 'd', thinkingBudget: 0, temperature: 0.6, simulated: false };
    expect([...cellLabels([base, { ...base, id: 'b', model: 'n', simulated: true }]).values()]).toEqual(['m', 'n (simulated)']);
    expect([...cellLabels([base, { ...base, id: 'b', temperature: 1 }]).values()]).toEqual(['m · T=0.6', 'm · T=1']);
    expect([...cellLabels([base, { ...base, id: 'b' }]).values()]).toEqual(['m [a]', 'm [b]']);
  });

  it.each([
    [0, 'off'],
    [256, '256'],
    [1024, '1k'],
    [16384, '16k'],
    [1000, '1000'],
  ])('formatBudget(%i) = %s', (budget, expected) => {
    expect(formatBudget(budget)).toBe(expected);
  });
});
