import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../harness/config/load-config.ts';
import { hashSeed } from '../../harness/core/random.ts';
import { answerClasses, type AnswerClasses } from '../../harness/metrics/answer-classes.ts';
import { DEFAULT_COMPUTE_OPTIMAL } from '../../harness/metrics/compute-optimal-analysis.ts';
import { majorityOfClasses } from '../../harness/metrics/majority-at-k.ts';
import { computeOptimalSections } from '../../harness/run/compute-optimal-report.ts';
import { reportRun } from '../../harness/run/report-run.ts';
import { runExperiment } from '../../harness/run/run-experiment.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('compute-optimal section of a report', () => {
  it('on a simulated run, votes on easy problems and picks best-of-N by the verifier on hard ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-optimal-'));
    dirs.push(dir);
    // The sim model's wrong answers pile onto one distractor, so on hard problems (solve rate below
    // about a third) the vote converges on the distractor while a verifier better than chance still
    // finds the rare right sample; on easy problems the vote is near-perfect and costs no scoring.
    const config = resolveConfig(
      {
        name: 'optimal',
        datasets: [{ id: 'quickstart-math', limit: 40 }],
        models: [{ id: 'sim-70b', provider: 'sim', profile: 'llama-3-70b-instruct-math' }],
        sampling: { samples: 32, k: [1, 2, 4, 8, 16, 32] },
        selection: [{ method: 'simulated' }],
        report: { bootstrapDraws: 50, computeAxis: 'tokens', computeOptimal: { bins: 4, repeats: 5, budgets: 4 } },
      },
      { source: 'optimal.yaml', configDir: dir, cwd: dir },
    );
    const result = await runExperiment(config);
    expect(result.outcome).toBe('completed');
    const { data, files } = await reportRun(result.runDir);
    const [analysis] = data.computeOptimal ?? [];
    expect(analysis?.dataset).toBe('quickstart-math');
    expect(analysis?.simulated).toBe(true);
    expect(analysis?.strategies.map((strategy) => strategy.method)).toEqual(['majority vote', 'best-of-N (simulated verifier)', 'weighted vote (simulated verifier)']);
    const largest = Math.max(...(analysis?.choices.map((choice) => choice.budget) ?? []));
    const atLargest = (analysis?.choices ?? []).filter((choice) => choice.budget === largest);
    const method = (id: string | undefined): string => analysis?.strategies.find((strategy) => strategy.id === id)?.method ?? '';
    expect(atLargest.map((choice) => choice.bin)).toEqual([1, 2, 3, 4]);
    // Easiest bin: the vote is already right and needs no scoring, so plain majority vote is chosen.
    expect(method(atLargest[0]?.chosen?.strategy)).toBe('majority vote');
    expect(atLargest[0]?.heldOutAccuracy).toBeGreaterThan(0.95);
    // Two hardest bins: best-of-N by the verifier, well ahead of any vote.
    for (const hard of atLargest.slice(2)) {
      expect(method(hard.chosen?.strategy)).toBe('best-of-N (simulated verifier)');
      expect(hard.chosenAccuracy).toBeGreaterThan((hard.runnerUpAccuracy ?? 1) + 0.03);
    }
    expect(data.majorityCeilings?.map((entry) => entry.cellId)).toEqual(['sim-70b/quickstart-math/think0/t0.6']);
    expect(data.rows.every((row) => row.passHatK !== undefined && row.passHatK.value <= row.coverage.value)).toBe(true);
    const policyCsv = readFileSync(join(result.runDir, 'compute-optimal-policy.csv'), 'utf8').split('\n');
    expect(policyCsv[0]?.split(',').slice(0, 3)).toEqual(['dataset', 'axis', 'bin']);
    expect(policyCsv).toHaveLength(1 + 4 * 4 + 1);
    expect(files.map((file) => file.split('/').at(-1))).toEqual(expect.arrayContaining(['compute-optimal.csv', 'compute-optimal-policy.csv', 'compute-optimal.svg', 'voting-ceiling.svg', 'pass-hat-k.svg']));
    const html = readFileSync(join(result.runDir, 'index.html'), 'utf8');
    expect(html).toContain('<section id="compute-optimal">');
    expect(html).toContain('<strong>Simulated:</strong>');
  });
});

describe('compute-optimal section: majority@k reused from the metrics', () => {
  const cell = { id: 'm/d/think0/t0.6', model: 'm', dataset: 'd', thinkingBudget: 0, temperature: 0.6, simulated: true };
  const ks = [1, 2, 4, 8];
  // 12 problems of 8 samples each, answers spread over three classes, class 'a' right.
  const problems = Array.from({ length: 12 }, (_, position) => {
    const keys = Array.from({ length: 8 }, (_, index) => ['a', 'b', 'c'][(index * (position + 1)) % 3] as string);
    return { problem: `p${String(position).padStart(2, '0')}`, samples: 8, correct: keys.filter((key) => key === 'a').length, classes: answerClasses(keys, keys.map((key) => key === 'a')) };
  });
  const sources = {
    cells: [cell],
    problems: new Map([[cell.id, problems]]),
    computePoints: ks.map((k) => ({ cell, k, tokens: 100 * k, flops: null, dollars: null, coverage: 0, majority: 0 })),
    selection: undefined,
    axis: 'tokens' as const,
    settings: { ...DEFAULT_COMPUTE_OPTIMAL, bins: 2, repeats: 2, budgets: 3, seed: 5, bootstrapDraws: 20, majorityDraws: 200 },
  };
  const table = (values: (k: number, position: number) => number): Map<string, Map<number, Float64Array>> =>
    new Map([[cell.id, new Map(ks.map((k) => [k, Float64Array.from(problems, (_, position) => values(k, position))]))]]);

  it('gives the same analysis with the metrics’ values as when it computes them itself', () => {
    const computed = table((k, position) => majorityOfClasses(problems[position]?.classes as AnswerClasses, k, { draws: 200, seed: hashSeed(5, problems[position]?.problem ?? '', k) }));
    expect(computeOptimalSections({ ...sources, majorityByCell: computed })).toEqual(computeOptimalSections(sources));
  });

  it('takes the values it is given (not computed again), and computes a k it is not given', () => {
    const given = table(() => 1);
    given.get(cell.id)?.delete(8);
    const vote = (majorityByCell?: Map<string, Map<number, Float64Array>>) =>
      computeOptimalSections(majorityByCell ? { ...sources, majorityByCell } : sources).analyses[0]?.strategies.find((strategy) => strategy.method === 'majority vote');
    const reused = vote(given);
    const fresh = vote();
    expect(reused?.points.find((point) => point.n === 4)?.accuracy).toBe(1);
    expect(fresh?.points.find((point) => point.n === 4)?.accuracy).toBeLessThan(1);
    expect(reused?.points.find((point) => point.n === 8)?.accuracy).toBe(fresh?.points.find((point) => point.n === 8)?.accuracy);
  });
});
