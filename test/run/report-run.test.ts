import { tempDir } from '../helpers/temp-dir.ts';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../harness/config/load-config.ts';
import type { SampleRecord } from '../../harness/core/types.ts';
import { buildReportData } from '../../harness/run/report-run.ts';
import { runExperiment } from '../../harness/run/run-experiment.ts';
import { SCORES_FILE } from '../../harness/selection/score-log.ts';
import { SAMPLES_FILE } from '../../harness/store/sample-log.ts';

const now = (): Date => new Date('2024-01-01T00:00:00Z');

let runDir: string;
beforeAll(async () => {
  const dir = tempDir('sb-report-run-');
  const config = resolveConfig(
    {
      name: 'report-run',
      datasets: [{ id: 'quickstart-math', limit: 6 }],
      models: [{ id: 'sim-8b', provider: 'sim', profile: 'llama-3-8b-instruct-math' }],
      sampling: { samples: 8, k: [1, 2, 4, 8] },
      report: { bootstrapDraws: 20 },
    },
    { source: 'report-run.yaml', configDir: dir, cwd: dir },
  );
  const result = await runExperiment(config);
  expect(result.outcome).toBe('completed');
  runDir = result.runDir;
});

describe('buildReportData', () => {
  it('counts a slot once: a failure retried successfully is no error, a repeated slot keeps its first record', async () => {
    const baseline = await buildReportData(runDir, { now });
    expect(baseline.data.errors).toEqual({ total: 0, byCode: {} });

    const path = join(runDir, SAMPLES_FILE);
    const original = readFileSync(path, 'utf8');
    const lines = original.split('\n').filter((line) => line !== '');
    const first = JSON.parse(lines[0] ?? '{}') as SampleRecord;
    const failure = (index: number): string =>
      JSON.stringify({ v: 1, cell: first.cell, problem: first.problem, index, seed: 0, status: 'error', error: { code: 'PROVIDER_TIMEOUT', message: 'timed out', attempts: 3 } });
    // The same slot again, with another verdict and text: the first record counts.
    const repeated = JSON.stringify({ ...first, text: 'something else', verdict: { correct: !first.verdict?.correct, answer: null, answerKey: null, reason: 'no-answer' } });
    writeFileSync(path, `${[failure(0), failure(99), ...lines, repeated].join('\n')}\n`);
    try {
      const { data } = await buildReportData(runDir, { now });
      expect(data.errors).toEqual({ total: 1, byCode: { PROVIDER_TIMEOUT: 1 } });
      expect(data.rows).toEqual(baseline.data.rows);
      expect(data.samplesBrowser).toEqual(baseline.data.samplesBrowser);
      expect(data.duplicates).toEqual(baseline.data.duplicates);
    } finally {
      writeFileSync(path, original);
    }
  });

  it('selection uses the verdicts the report holds: a run scored but stored without verdicts reports with --regrade', async () => {
    const path = join(runDir, SAMPLES_FILE);
    const original = readFileSync(path, 'utf8');
    const records = original.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as SampleRecord);
    const score = (record: SampleRecord): string =>
      JSON.stringify({ v: 1, cell: record.cell, problem: record.problem, index: record.index, scorer: 'recorded:test', kind: 'recorded', simulated: false, status: 'ok', score: (record.index * 7) % 5, scale: 'logit' });
    writeFileSync(join(runDir, SCORES_FILE), `${records.map(score).join('\n')}\n`);
    try {
      const stored = await buildReportData(runDir, { now });
      expect(stored.data.selection.length).toBeGreaterThan(0);
      writeFileSync(path, `${records.map(({ verdict: _verdict, ...rest }) => JSON.stringify(rest)).join('\n')}\n`);
      await expect(buildReportData(runDir, { now })).rejects.toMatchObject({ code: 'SAMPLE_UNCHECKED' });
      const regraded = await buildReportData(runDir, { now, regrade: true });
      expect(regraded.data.selection).toEqual(stored.data.selection);
      expect(regraded.data.rows).toEqual(stored.data.rows);
    } finally {
      writeFileSync(path, original);
      rmSync(join(runDir, SCORES_FILE));
    }
  });

  it('regrading with unchanged verifiers gives the same report data', async () => {
    const stored = await buildReportData(runDir, { now });
    const progress: Array<[number, number]> = [];
    const { regrade, ...regraded } = await buildReportData(runDir, { now, regrade: true, onRegradeProgress: (checked, total) => progress.push([checked, total]) });
    expect(regraded).toEqual(stored);
    expect(regrade).toEqual({ checked: 48, wrongToRight: 0, rightToWrong: 0, unchecked: 0 });
    expect(progress.at(-1)).toEqual([48, 48]);
  });

  it('counts how regrading changed verdicts', async () => {
    const path = join(runDir, SAMPLES_FILE);
    const original = readFileSync(path, 'utf8');
    try {
      // Flip the stored verdict of two samples: regrading flips them back.
      const lines = original.split('\n').filter((line) => line !== '');
      const flipped = lines.map((line, position) => {
        const record = JSON.parse(line) as SampleRecord;
        if (position < 2 && record.verdict) record.verdict = { ...record.verdict, correct: !record.verdict.correct };
        return JSON.stringify(record);
      });
      writeFileSync(path, `${flipped.join('\n')}\n`);
      const before = lines.slice(0, 2).map((line) => (JSON.parse(line) as SampleRecord).verdict?.correct);
      const { regrade } = await buildReportData(runDir, { now, regrade: true });
      expect(regrade).toEqual({ checked: 48, wrongToRight: before.filter((correct) => correct === true).length, rightToWrong: before.filter((correct) => correct === false).length, unchecked: 0 });
    } finally {
      writeFileSync(path, original);
    }
  });

  it('gives the same rows, curves and figures for the log in any order (metrics depend on the set of samples)', async () => {
    const path = join(runDir, SAMPLES_FILE);
    const original = readFileSync(path, 'utf8');
    try {
      const stored = await buildReportData(runDir, { now });
      const lines = original.split('\n').filter((line) => line !== '');
      // A fixed permutation: reversed, then every other line.
      const shuffled = [...lines.reverse().filter((_, position) => position % 2 === 0), ...lines.filter((_, position) => position % 2 === 1)];
      writeFileSync(path, `${shuffled.join('\n')}\n`);
      const reordered = await buildReportData(runDir, { now });
      expect(reordered.data.rows).toEqual(stored.data.rows);
      expect(reordered.data.computePoints).toEqual(stored.data.computePoints);
      expect(reordered.data.fits).toEqual(stored.data.fits);
      expect(reordered.data.forecasts).toEqual(stored.data.forecasts);
      expect(reordered.data.solveRates).toEqual(stored.data.solveRates);
    } finally {
      writeFileSync(path, original);
    }
  });

  it('a record with a huge index costs no array of that size', async () => {
    const path = join(runDir, SAMPLES_FILE);
    const original = readFileSync(path, 'utf8');
    try {
      const first = JSON.parse(original.split('\n')[0] as string) as SampleRecord;
      writeFileSync(path, `${original}${JSON.stringify({ ...first, index: 4_000_000_000 })}\n`);
      const started = process.memoryUsage().heapUsed;
      const built = await buildReportData(runDir, { now });
      expect(process.memoryUsage().heapUsed - started).toBeLessThan(200 * 2 ** 20);
      expect(built.data.rows.length).toBeGreaterThan(0);
    } finally {
      writeFileSync(path, original);
    }
  });
});
