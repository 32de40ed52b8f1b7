import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../harness/core/errors.ts';
import { mergeReportData, prefixCell } from '../../harness/report/compare.ts';
import { equalComputeTables } from '../../harness/report/report-data.ts';
import { buildFigureSpecs } from '../../harness/report/specs.ts';
import { FIXTURE_CELLS, reportFixture } from './fixture.ts';

describe('mergeReportData', () => {
  const first = reportFixture();
  const second = reportFixture({ title: 'other', generatedAt: '2026-02-01T00:00:00.000Z' });
  const merged = mergeReportData([
    { name: 'run-a', data: first },
    { name: 'run-b', data: second },
  ]);

  it('prefixes cell ids and model labels with the run name', () => {
    expect(merged.cells.map((cell) => [cell.id, cell.model])).toEqual([
      ['run-a/llama-8b/math500/t0/temp0.6', 'run-a: llama-8b'],
      ['run-a/sim-70b/math500/t0/temp0.6', 'run-a: sim-70b'],
      ['run-a/sim-70b/math500/t1024/temp0.6', 'run-a: sim-70b'],
      ['run-b/llama-8b/math500/t0/temp0.6', 'run-b: llama-8b'],
      ['run-b/sim-70b/math500/t0/temp0.6', 'run-b: sim-70b'],
      ['run-b/sim-70b/math500/t1024/temp0.6', 'run-b: sim-70b'],
    ]);
    const ids = new Set(merged.cells.map((cell) => cell.id));
    for (const reference of [
      ...merged.rows.map((row) => row.cell.id),
      ...merged.computePoints.map((point) => point.cell.id),
      ...merged.fits.map((fit) => fit.cellId),
      ...merged.forecasts.map((forecast) => forecast.cellId),
      ...merged.solveRates.map((entry) => entry.cellId),
      ...merged.selection.map((entry) => entry.cellId),
      ...merged.thinking.map((entry) => entry.cellId),
      ...merged.duplicates.groups.map((group) => group.cellId),
      ...merged.samplesBrowser.map((entry) => entry.cellId),
    ]) {
      expect(ids.has(reference), reference).toBe(true);
    }
    expect(merged.rows).toHaveLength(first.rows.length * 2);
  });

  it('sums errors and duplicates, keeps each manifest and the latest build time', () => {
    expect(merged.errors).toEqual({ total: 6, byCode: { PROVIDER_TIMEOUT: 4, PROVIDER_HTTP_500: 2 } });
    expect(merged.duplicates.count).toBe(4);
    expect(Object.keys(merged.manifest.runs as Record<string, unknown>)).toEqual(['run-a', 'run-b']);
    expect(merged.generatedAt).toBe('2026-02-01T00:00:00.000Z');
    expect(merged.title).toBe('Comparison: run-a, run-b');
  });

  it('recomputes the equal-compute table per dataset over the merged cells', () => {
    const tables = equalComputeTables(merged);
    expect(tables.map((table) => [table.dataset, table.axis, table.metric])).toEqual([['math500', 'flops', 'coverage']]);
    const runsInTable = new Set(tables[0]?.rows.flatMap((row) => row.values.map((value) => value.cellId.split('/')[0])));
    expect(runsInTable).toEqual(new Set(['run-a', 'run-b']));
    expect(mergeReportData([{ name: 'a', data: first }], { equalCompute: null }).equalCompute).toBe(null);
    expect(mergeReportData([{ name: 'a', data: { ...first, equalCompute: null } }]).equalCompute).toBe(null);
  });

  it('keeps the figures apart per run', () => {
    const coverage = buildFigureSpecs(merged).find((figure) => figure.name === 'coverage');
    const layers = (coverage?.spec as { layer: Array<{ encoding: { color?: { scale: { domain: string[] } } } }> }).layer;
    const color = layers.find((layer) => layer.encoding.color !== undefined)?.encoding.color?.scale.domain;
    expect(color).toEqual([
      'run-a: llama-8b · think off',
      'run-a: sim-70b · think off (simulated)',
      'run-a: sim-70b · think 1k (simulated)',
      'run-b: llama-8b · think off',
      'run-b: sim-70b · think off (simulated)',
      'run-b: sim-70b · think 1k (simulated)',
    ]);
  });

  it.each([
    [[], 'COMPARE_NO_RUNS'],
    [['a', 'a'], 'COMPARE_DUPLICATE_RUN'],
    [['a', ' '], 'COMPARE_DUPLICATE_RUN'],
  ])('rejects run names %j with %s', (names, code) => {
    let caught: unknown;
    try {
      mergeReportData(names.map((name) => ({ name, data: first })));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).code).toBe(code);
    expect((caught as ConfigError).exitCode).toBe(2);
  });

  it('prefixCell leaves the other fields alone', () => {
    const cell = FIXTURE_CELLS[1];
    if (cell === undefined) throw new Error('no cell');
    expect(prefixCell('x', cell)).toEqual({ ...cell, id: `x/${cell.id}`, model: `x: ${cell.model}` });
  });
});
