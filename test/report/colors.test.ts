import { describe, expect, it } from 'vitest';
import type { CellInfo } from '../../harness/metrics/types.ts';
import { assignColors, assignMethodColors, METHOD_PALETTE, MODEL_PALETTE, shade } from '../../harness/report/colors.ts';
import { buildFigureSpecs, temperatureSpec } from '../../harness/report/specs.ts';
import { reportFixture } from './fixture.ts';

const cell = (id: string, model: string, dataset: string, temperature: number): CellInfo => ({ id, model, dataset, thinkingBudget: 0, temperature, simulated: true });

describe('assignColors', () => {
  it('gives each model one hue and its variants shades of it, the same on every dataset', () => {
    const cells = [cell('a1', 'a', 'math', 0.2), cell('a2', 'a', 'math', 1), cell('b1', 'b', 'math', 0.2), cell('a3', 'a', 'gsm', 1)];
    const colors = assignColors(cells);
    expect(colors.models).toEqual(new Map([['a', MODEL_PALETTE[0]], ['b', MODEL_PALETTE[1]]]));
    expect(colors.cells.get('a1')).toBe(MODEL_PALETTE[0]);
    expect(colors.cells.get('a2')).toBe(shade(MODEL_PALETTE[0] ?? '', 1, 2));
    expect(colors.cells.get('a3')).toBe(colors.cells.get('a2'));
    expect(colors.families.get('a')).toEqual([MODEL_PALETTE[0], colors.cells.get('a2')]);
  });

  it('keeps methods and models apart', () => {
    expect(MODEL_PALETTE.filter((color) => METHOD_PALETTE.includes(color))).toEqual([]);
    expect([...assignMethodColors(['best-of-k', 'weighted vote', 'best-of-k']).values()]).toEqual([METHOD_PALETTE[0], METHOD_PALETTE[1]]);
  });

  it.each([
    ['#4c78a8', 0, 3, '#4c78a8'],
    ['#4c78a8', 1, 3, '#2a425c'],
    ['#4c78a8', 2, 3, '#9db5cf'],
  ])('shade(%s, %i, %i) = %s', (hex, index, count, expected) => {
    expect(shade(hex, index, count)).toBe(expected);
  });
});

describe('temperatureSpec', () => {
  it('draws accuracy against temperature in the model colour when temperatures are swept', () => {
    const data = reportFixture();
    const swept = data.cells.map((entry, index) => (index === 2 ? { ...entry, thinkingBudget: 0, temperature: 1 } : entry));
    const rows = data.rows.map((row) => ({ ...row, cell: swept.find((entry) => entry.id === row.cell.id) ?? row.cell }));
    const spec = temperatureSpec({ ...data, cells: swept, rows }, 'math500') as unknown as { encoding: { color: { scale: { domain: string[]; range: string[] } } }; data: { values: Array<Record<string, unknown>> } };
    expect(spec.encoding.color.scale).toEqual({ domain: ['sim-70b (simulated)'], range: [MODEL_PALETTE[1]] });
    expect(spec.data.values.map((record) => [record.metric, record.temperature])).toEqual([
      ['coverage@1', 0.6],
      ['coverage@250', 0.6],
      ['majority@250', 0.6],
      ['coverage@1', 1],
      ['coverage@250', 1],
      ['majority@250', 1],
    ]);
    expect(buildFigureSpecs({ ...data, cells: swept, rows }).map((figure) => figure.name)).toContain('temperature');
    expect(temperatureSpec(data, 'math500')).toBe(null);
  });
});
