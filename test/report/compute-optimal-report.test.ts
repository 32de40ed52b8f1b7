/** The compute-optimal figures, CSVs and section, from an analysis built by the metrics on known inputs. */
import { compile } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { computeOptimalAnalysis } from '../../harness/metrics/compute-optimal-analysis.ts';
import { COMPUTE_OPTIMAL_CSV_COLUMNS, computeOptimalCsv, computeOptimalPolicyCsv } from '../../harness/report/compute-optimal-csv.ts';
import { computeOptimalSection } from '../../harness/report/compute-optimal-section.ts';
import { computeOptimalEfficiencySpec, computeOptimalSpec, POLICY_LABEL } from '../../harness/report/compute-optimal-spec.ts';
import { buildFigureSpecs } from '../../harness/report/specs.ts';
import { passHatKSpec, votingCeilingSpec } from '../../harness/report/voting-ceiling-spec.ts';
import { FIXTURE_CELLS, reportFixture } from './fixture.ts';

const dataset = FIXTURE_CELLS[0]?.dataset ?? '';
const problems = Array.from({ length: 20 }, (_, index) => `p${index}`);
const easy = (index: number): boolean => index < 10;
const filled = (value: (index: number) => number): Float64Array => Float64Array.from(problems, (_, index) => value(index));
const analysis = computeOptimalAnalysis(
  {
    dataset,
    axis: 'tokens',
    difficulty: { source: 'oracle' },
    problems,
    solveRates: problems.map((_, index) => (easy(index) ? 0.9 : 0.1) - index / 1000),
    strategies: [
      { id: 'vote', label: 'model · majority vote', cellId: 'c', method: 'majority vote', simulated: true, points: [1, 4, 16].map((n) => ({ n, compute: n * 100, accuracy: filled((index) => (easy(index) ? Math.min(1, 0.6 + 0.1 * Math.log2(n)) : 0.1)) })) },
      { id: 'best', label: 'model · best-of-N (rm)', cellId: 'c', method: 'best-of-N (rm)', simulated: true, points: [1, 4, 16].map((n) => ({ n, compute: n * 120, accuracy: filled((index) => (easy(index) ? 0.6 : Math.min(1, 0.1 + 0.1 * Math.log2(n)))) })) },
    ],
  },
  { bins: 2, difficulty: 'oracle', folds: 2, repeats: 3, budgets: 4, seed: 1, bootstrapDraws: 50 },
);
const data = reportFixture({ computeOptimal: [analysis], majorityCeilings: FIXTURE_CELLS.map((cell) => ({ cellId: cell.id, value: { value: 0.7, low: 0.6, high: 0.8 } })) });

describe('compute-optimal figures', () => {
  it('draw the policy beside each strategy, and the saving with a rule at 1×; both compile', () => {
    const curve = computeOptimalSpec(data, dataset);
    const saving = computeOptimalEfficiencySpec(data, dataset);
    expect(curve).not.toBeNull();
    expect(saving).not.toBeNull();
    const records = (curve as { data: { values: Array<Record<string, unknown>> } }).data.values;
    expect([...new Set(records.map((record) => record.series))]).toEqual(['model · majority vote', 'model · best-of-N (rm)', POLICY_LABEL]);
    expect(JSON.stringify(curve)).toContain('simulated');
    for (const spec of [curve, saving]) expect(() => compile(spec as never)).not.toThrow();
    expect(computeOptimalSpec(reportFixture(), dataset)).toBeNull();
  });

  it('draw majority@k under its voting ceiling and pass^k when the data has them', () => {
    const ceiling = votingCeilingSpec(data, dataset);
    expect(ceiling).not.toBeNull();
    expect(JSON.stringify(ceiling)).toContain('"mark":{"type":"rule","strokeDash":[6,4],"strokeWidth":1.5}');
    expect(() => compile(ceiling as never)).not.toThrow();
    expect(votingCeilingSpec(reportFixture(), dataset)).toBeNull();
    expect(passHatKSpec(reportFixture(), dataset)).toBeNull();
    const withPassHat = reportFixture();
    withPassHat.rows = withPassHat.rows.map((row) => ({ ...row, passHatK: { value: 0.1, low: 0.05, high: 0.15 } }));
    expect(() => compile(passHatKSpec(withPassHat, dataset) as never)).not.toThrow();
    expect(buildFigureSpecs(data).map((figure) => figure.name)).toEqual(expect.arrayContaining(['voting-ceiling', 'compute-optimal', 'compute-optimal-efficiency']));
  });
});

describe('compute-optimal CSVs and section', () => {
  it('write one row per budget and one per bin × budget', () => {
    const curveLines = computeOptimalCsv([analysis]).split('\n');
    expect(curveLines[0]).toBe(COMPUTE_OPTIMAL_CSV_COLUMNS.join(','));
    expect(curveLines).toHaveLength(1 + 4 + 1);
    expect(curveLines[1]?.split(',').slice(0, 3)).toEqual([dataset, 'tokens', '100']);
    const policyLines = computeOptimalPolicyCsv([analysis]).split('\n');
    expect(policyLines).toHaveLength(1 + 2 * 4 + 1);
    // At the largest budget the easy bin votes and the hard bin picks best-of-N, each in every split.
    expect(policyLines[4]?.split(',').slice(2, 10)).toEqual(['1', '10', '0.9', '0.891', '1920', 'vote', '16', '1']);
    expect(policyLines[8]?.split(',').slice(7, 10)).toEqual(['best', '16', '1']);
  });

  it('shows the table per bin × budget, the saving and the voting ceiling, marked simulated', () => {
    const html = computeOptimalSection(data);
    expect(html).toContain('<h3>math500 <span class="badge">simulated</span></h3>');
    expect(html).toContain('model · majority vote, N=16');
    expect(html).toContain('<h3>Voting ceiling</h3>');
    expect(computeOptimalSection(reportFixture())).toBe('');
  });
});
