import { tempDir } from '../helpers/temp-dir.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../harness/config/load-config.ts';
import { buildReportData } from '../../harness/run/report-run.ts';
import { runExperiment } from '../../harness/run/run-experiment.ts';

/**
 * The simulated 8B and 70B profiles reproduce Large Language Monkeys on MATH: the fitted
 * exponentiated power law of the 8B run lands within 0.1 of (a, b) = (−1.33, −0.43), and at equal
 * FLOPs the 8B model's coverage beats the 70B model's at every budget in range.
 */
describe('sim calibration against Large Language Monkeys (MATH)', () => {
  it('fits (a, b) within 0.1 and the 8B model wins at every FLOPs budget', async () => {
    const dir = tempDir('sb-calibration-');
    const problems = Array.from({ length: 300 }, (_, index) => JSON.stringify({ id: `p${index}`, question: `What is ${index} + ${index}?`, answer: String(2 * index) }));
    writeFileSync(join(dir, 'problems.jsonl'), `${problems.join('\n')}\n`);
    const config = resolveConfig(
      {
        name: 'calibration',
        datasets: [{ id: 'synthetic', path: 'problems.jsonl', verifier: 'math' }],
        models: [
          { id: 'sim-8b', provider: 'sim', profile: 'llama-3-8b-instruct-math' },
          { id: 'sim-70b', provider: 'sim', profile: 'llama-3-70b-instruct-math' },
        ],
        sampling: { samples: 256, k: [1, 2, 4, 8, 16, 32, 64, 128, 256], temperature: 0.6 },
        report: { bootstrapDraws: 50, computeAxis: 'flops' },
      },
      { source: 'calibration.yaml', configDir: dir, cwd: dir },
    );
    const result = await runExperiment(config);
    expect(result.outcome).toBe('completed');
    const { data } = await buildReportData(result.runDir);

    const fit8b = data.fits.find((fit) => fit.cellId === 'sim-8b/synthetic/think0/t0.6');
    expect(fit8b).toBeDefined();
    expect(Math.abs((fit8b?.a ?? 0) - -1.33)).toBeLessThan(0.1);
    expect(Math.abs((fit8b?.b ?? 0) - -0.43)).toBeLessThan(0.1);
    const fit70b = data.fits.find((fit) => fit.cellId === 'sim-70b/synthetic/think0/t0.6');
    expect(Math.abs((fit70b?.a ?? 0) - -0.75)).toBeLessThan(0.1);
    expect(Math.abs((fit70b?.b ?? 0) - -0.46)).toBeLessThan(0.1);

    const tables = Array.isArray(data.equalCompute) ? data.equalCompute : data.equalCompute ? [data.equalCompute] : [];
    expect(tables).toHaveLength(1);
    const table = tables[0];
    expect(table?.axis).toBe('flops');
    const contested = (table?.rows ?? []).filter((row) => row.values.filter((value) => value.value !== null).length === 2);
    expect(contested.length).toBeGreaterThan(5);
    for (const row of contested) expect(row.best).toBe('sim-8b/synthetic/think0/t0.6');
  });
});
