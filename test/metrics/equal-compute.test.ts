import { describe, expect, it } from 'vitest';
import type { ComputePoint } from '../../harness/metrics/compute-curves.ts';
import { equalComputeTable } from '../../harness/metrics/equal-compute.ts';
import type { CellInfo } from '../../harness/metrics/types.ts';

function cell(id: string): CellInfo {
  return { id, model: id, dataset: 'math', thinkingBudget: 0, temperature: 0.6, simulated: true };
}

function curve(id: string, entries: Array<[flops: number, coverage: number]>): ComputePoint[] {
  return entries.map(([flops, coverage], index) => ({
    cell: cell(id),
    k: 2 ** index,
    tokens: flops / 1e9,
    flops,
    dollars: null,
    coverage,
    majority: coverage / 2,
  }));
}

// Small model: cheap and rising fast; big model: ten times the FLOPs per sample, starts higher.
const small = curve('small', [
  [1e12, 0.3],
  [1e13, 0.6],
  [1e14, 0.8],
  [1e15, 0.9],
]);
const big = curve('big', [
  [1e13, 0.5],
  [1e14, 0.7],
  [1e15, 0.85],
  [1e16, 0.95],
]);

describe('equalComputeTable', () => {
  it('compares on a log grid over the shared range and names the best with its margin', () => {
    // Both curves are measured from 1e13 (big's first point) to 1e15 (small's last).
    const rows = equalComputeTable([...small, ...big], 'flops', { gridPoints: 3 });
    expect(rows.map((entry) => entry.budget / 1e13)).toEqual([1, 10, 100].map((value) => expect.closeTo(value, 9) as number));
    expect(rows.map((entry) => entry.best)).toEqual(['small', 'small', 'small']);
    expect(rows.map((entry) => entry.runnerUp)).toEqual(['big', 'big', 'big']);
    expect(rows.map((entry) => entry.margin)).toEqual([0.1, 0.1, 0.05].map((value) => expect.closeTo(value, 12) as number));
    expect(rows[0]?.values).toEqual([
      { cellId: 'small', value: 0.6 },
      { cellId: 'big', value: 0.5 },
    ]);
  });

  it('interpolates linearly in log compute', () => {
    const rows = equalComputeTable([...small, ...big], 'flops', { gridPoints: 5 });
    // Halfway between 1e13 and 1e14 in log: sqrt(1e27).
    expect(rows[1]?.budget).toBeCloseTo(Math.sqrt(1e27), -13);
    expect(rows[1]?.values).toEqual([
      { cellId: 'small', value: expect.closeTo(0.7, 12) as number },
      { cellId: 'big', value: expect.closeTo(0.6, 12) as number },
    ]);
  });

  it('never extrapolates: a curve outside its range is null', () => {
    const third = curve('third', [
      [1e14, 0.99],
      [1e16, 0.995],
    ]);
    const rows = equalComputeTable([...small, ...big, ...third], 'flops', { gridPoints: 4 });
    expect(rows.map((entry) => entry.budget / 1e13)).toEqual([1, 10, 100, 1000].map((value) => expect.closeTo(value, 9) as number));
    expect(rows[0]?.values.find((entry) => entry.cellId === 'third')?.value).toBeNull();
    expect(rows[1]?.best).toBe('third');
    expect(rows[1]?.runnerUp).toBe('small');
    expect(rows[3]?.values).toEqual([
      { cellId: 'small', value: null },
      { cellId: 'big', value: 0.95 },
      { cellId: 'third', value: 0.995 },
    ]);
    expect(rows[3]?.best).toBe('third');
  });

  it('compares majority when asked, on any axis', () => {
    const rows = equalComputeTable([...small, ...big], 'tokens', { metric: 'majority', gridPoints: 2 });
    expect(rows.map((entry) => [entry.budget, entry.best, entry.bestValue])).toEqual([
      [expect.closeTo(1e4, 6), 'small', 0.3],
      [expect.closeTo(1e6, 6), 'small', 0.45],
    ]);
  });

  it('is empty when no two curves overlap or the axis is unknown', () => {
    const far = curve('far', [
      [1e20, 0.1],
      [1e21, 0.2],
    ]);
    expect(equalComputeTable([...small, ...far], 'flops')).toEqual([]);
    expect(equalComputeTable([...small, ...big], 'dollars')).toEqual([]);
  });
});
