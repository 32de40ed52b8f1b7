import { describe, expect, it } from 'vitest';
import type { MetricRow } from '../../harness/metrics/types.ts';
import { formatFixed, METRICS_CSV_COLUMNS, metricsCsv, selectionColumn } from '../../harness/report/metrics-csv.ts';
import { FIXTURE_CELLS, FIXTURE_KS, reportFixture } from './fixture.ts';

const rows = reportFixture().rows;

describe('metricsCsv', () => {
  it('writes the header and one row per cell × k', () => {
    const lines = metricsCsv(rows).split('\n');
    expect(lines[0]).toBe(
      'model,dataset,thinking_budget,temperature,k,coverage,coverage_low,coverage_high,majority,majority_low,majority_high,pass_hat_k,pass_hat_k_low,pass_hat_k_high,n,problems,mean_completion_tokens,mean_thinking_tokens,mean_prompt_tokens,simulated,cell,tokens_per_problem,flops_per_problem,dollars_per_problem',
    );
    expect(lines.at(-1)).toBe('');
    expect(lines).toHaveLength(1 + FIXTURE_CELLS.length * FIXTURE_KS.length + 1);
    expect(lines[1]).toBe('llama-8b,math500,0,0.6,1,0.264477,0.224477,0.304477,0.264477,0.214477,0.314477,n/a,n/a,n/a,250,128,300,0,120,false,llama-8b/math500/t0/temp0.6,n/a,n/a,n/a');
    expect(lines[9]).toBe('sim-70b,math500,0,0.6,1,0.472367,0.432367,0.512367,0.472367,0.422367,0.522367,n/a,n/a,n/a,250,128,320,0,120,true,sim-70b/math500/t0/temp0.6,n/a,n/a,n/a');
    expect(lines[17]?.split(',').slice(2, 5)).toEqual(['1024', '0.6', '1']);
    expect(lines[17]?.split(',')[17]).toBe('900.5');
  });

  it('gives the same bytes for the same rows in any order (cells by first appearance, k ascending)', () => {
    const shuffled = [...rows].sort((left, right) => right.k - left.k || (left.cell.id < right.cell.id ? -1 : 1));
    const reordered = [...shuffled].sort((left, right) => FIXTURE_CELLS.findIndex((cell) => cell.id === left.cell.id) - FIXTURE_CELLS.findIndex((cell) => cell.id === right.cell.id));
    expect(metricsCsv(reordered)).toBe(metricsCsv(rows));
    expect(metricsCsv(rows)).toBe(metricsCsv(reportFixture().rows));
  });

  it('writes n/a for values that do not exist and quotes fields that need it', () => {
    const first = rows[0] as MetricRow;
    const row: MetricRow = {
      ...first,
      cell: { ...first.cell, model: 'org/model, "v2"' },
      coverage: { value: Number.NaN, low: Number.NaN, high: Number.NaN },
    };
    const line = metricsCsv([row]).split('\n')[1];
    expect(line).toBe('"org/model, ""v2""",math500,0,0.6,1,n/a,n/a,n/a,0.264477,0.214477,0.314477,n/a,n/a,n/a,250,128,300,0,120,false,llama-8b/math500/t0/temp0.6,n/a,n/a,n/a');
  });

  it('writes pass^k and its interval when the row has it', () => {
    const first = rows[0] as MetricRow;
    const line = metricsCsv([{ ...first, passHatK: { value: 0.125, low: 0.1, high: 1 / 6 } }]).split('\n')[1];
    expect(line?.split(',').slice(11, 14)).toEqual(['0.125', '0.1', '0.166667']);
  });

  it('has the documented columns', () => {
    expect(METRICS_CSV_COLUMNS).toHaveLength(24);
    expect(metricsCsv([])).toBe(`${METRICS_CSV_COLUMNS.join(',')}\n`);
  });
});

describe('metricsCsv with compute and selection', () => {
  const data = reportFixture();
  const csv = metricsCsv(data.rows, { computePoints: data.computePoints, selection: data.selection });
  const lines = csv.split('\n');

  it('adds compute per problem at k and one column per selection method', () => {
    expect(lines[0]?.split(',').slice(21)).toEqual(['tokens_per_problem', 'flops_per_problem', 'dollars_per_problem', 'selection_best_of_k_verifier']);
    const point = data.computePoints.find((entry) => entry.cell.id === FIXTURE_CELLS[0]?.id && entry.k === 1);
    expect(lines[1]?.split(',').slice(21)).toEqual([String(point?.tokens), (point?.flops ?? 0).toExponential(5).replace(/\.?0+e/, 'e'), String(point?.dollars), 'n/a']);
    const selected = data.selection[0]?.points.find((entry) => entry.k === 250)?.value;
    expect(lines[16]?.split(',').at(-1)).toBe(String(selected));
  });

  it.each([
    ['best-of-k (reward model)', 'selection_best_of_k_reward_model'],
    ['weighted vote (simulated verifier)', 'selection_weighted_vote_simulated_verifier'],
    ['', 'selection_method'],
  ])('names the column of %j %s', (method, column) => {
    expect(selectionColumn(method)).toBe(column);
  });
});

describe('formatFixed', () => {
  it.each([
    [0.5, 6, '0.5'],
    [1 / 3, 6, '0.333333'],
    [2 / 3, 6, '0.666667'],
    [1, 6, '1'],
    [0, 6, '0'],
    [-0, 6, '0'],
    [-1e-9, 6, '0'],
    [1234.5678, 3, '1234.568'],
    [250, 0, '250'],
    [Number.NaN, 6, 'n/a'],
    [Number.POSITIVE_INFINITY, 6, 'n/a'],
  ])('formatFixed(%d, %i) = %s', (value, decimals, expected) => {
    expect(formatFixed(value, decimals)).toBe(expected);
  });
});
