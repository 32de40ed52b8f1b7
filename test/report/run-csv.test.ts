/** problems.csv, equal-compute.csv, fits.csv and summary.json of the fixture: columns and exact rows. */
import { describe, expect, it } from 'vitest';
import { cellLabels } from '../../harness/report/cell-labels.ts';
import { buildHeadlines, cellHeadline } from '../../harness/report/headline.ts';
import { EQUAL_COMPUTE_CSV_COLUMNS, equalComputeCsv, FITS_CSV_COLUMNS, fitsCsv, PROBLEMS_CSV_COLUMNS, problemsCsv } from '../../harness/report/run-csv.ts';
import { FIXTURE_CELLS, reportFixture } from './fixture.ts';

const data = reportFixture();

describe('problemsCsv', () => {
  it('writes one row per cell × problem with solve rate and whether the majority answer is right', () => {
    const lines = problemsCsv(data).split('\n');
    expect(lines[0]).toBe(PROBLEMS_CSV_COLUMNS.join(','));
    expect(lines[0]).toBe('model,dataset,thinking_budget,temperature,problem,samples,correct,solve_rate,distinct_answers,no_answer,majority_correct,simulated,cell');
    expect(lines).toHaveLength(1 + 9 + 1);
    expect(lines[1]).toBe('llama-8b,math500,0,0.6,test/algebra/1.json,250,250,1,3,0,1,false,llama-8b/math500/t0/temp0.6');
    expect(lines[5]).toBe('sim-70b,math500,0,0.6,test/geometry/7.json,250,125,0.5,4,1,0.5,true,sim-70b/math500/t0/temp0.6');
  });

  it('writes n/a where the majority answer does not apply (no answer classes)', () => {
    const stats = [{ cellId: FIXTURE_CELLS[0]?.id ?? '', problem: 'HumanEval/0', samples: 10, correct: 3, distinctAnswers: 0, noAnswer: 10, majorityCorrect: null }];
    expect(problemsCsv({ ...data, problemStats: stats }).split('\n')[1]).toBe('llama-8b,math500,0,0.6,HumanEval/0,10,3,0.3,0,10,n/a,false,llama-8b/math500/t0/temp0.6');
  });
});

describe('equalComputeCsv', () => {
  it('writes the tables in long form: a row per budget × series, the best flagged with its margin', () => {
    const lines = equalComputeCsv(data, cellLabels(data.cells)).split('\n');
    expect(lines[0]).toBe(EQUAL_COMPUTE_CSV_COLUMNS.join(','));
    expect(lines.slice(1, 5)).toEqual([
      ',flops,coverage,1e+13,llama-8b/math500/t0/temp0.6,llama-8b · think off,0.4,true,n/a',
      ',flops,coverage,1e+13,sim-70b/math500/t0/temp0.6,sim-70b · think off (simulated),n/a,false,n/a',
      ',flops,coverage,1e+14,llama-8b/math500/t0/temp0.6,llama-8b · think off,0.7,true,0.08',
      ',flops,coverage,1e+14,sim-70b/math500/t0/temp0.6,sim-70b · think off (simulated),0.62,false,n/a',
    ]);
  });
});

describe('fitsCsv', () => {
  it('writes the power-law fits, then the Beta forecasts up to the drawn range', () => {
    const lines = fitsCsv(data).split('\n');
    expect(lines[0]).toBe(FITS_CSV_COLUMNS.join(','));
    expect(lines[1]).toBe('llama-8b,math500,0,0.6,power-law,-1.33,-0.43,0.0031,n/a,n/a,n/a,n/a,n/a,false,llama-8b/math500/t0/temp0.6');
    expect(lines[3]?.split(',').slice(4, 13)).toEqual(['beta-forecast', 'n/a', 'n/a', 'n/a', '10', expect.any(String), expect.any(String), '1000', expect.any(String)]);
  });
});

describe('headline', () => {
  it('states facts that are the metric rows', () => {
    const [headline] = buildHeadlines(data);
    const llama = headline?.cells.find((cell) => cell.cell === FIXTURE_CELLS[0]?.id);
    const first = data.rows.find((row) => row.cell.id === FIXTURE_CELLS[0]?.id && row.k === 1);
    const last = data.rows.find((row) => row.cell.id === FIXTURE_CELLS[0]?.id && row.k === 250);
    expect(llama).toEqual({
      cell: FIXTURE_CELLS[0]?.id,
      label: 'llama-8b · think off',
      firstK: 1,
      coverageFirst: first?.coverage.value,
      lastK: 250,
      coverageLast: last?.coverage.value,
      majorityLast: last?.majority.value,
      majorityPlateaued: true,
    });
    expect(headline?.equalCompute?.winners).toEqual([{ cell: FIXTURE_CELLS[0]?.id, label: 'llama-8b · think off', budgetsWon: 2, maxMargin: 0.08 }]);
  });

  it('says majority is n/a without answer classes and "reached" when it still grows', () => {
    const rows = data.rows.filter((row) => row.cell.id === FIXTURE_CELLS[0]?.id);
    const noVote = rows.map((row) => ({ ...row, majority: { value: Number.NaN, low: Number.NaN, high: Number.NaN } }));
    expect(cellHeadline('c', 'c', noVote)?.majorityLast).toBe(null);
    const [headline] = buildHeadlines({ ...data, rows: noVote, cells: data.cells.slice(0, 1), equalCompute: null, selection: [] });
    expect(headline?.sentences).toEqual(['llama-8b: coverage went from 26.4% at k = 1 to 88.4% at k = 250; majority@k n/a (no answer classes).']);
    const growing = rows.map((row) => ({ ...row, majority: { ...row.majority, value: row.k / 1000 } }));
    expect(cellHeadline('c', 'c', growing)?.majorityPlateaued).toBe(false);
  });
});
