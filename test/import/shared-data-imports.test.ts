/**
 * Imports of the real recorded samples in the shared datasets folder (never copied into the
 * project): Qwen2.5-Math MATH samples (recorded verdicts, and regraded) and CodeT's HumanEval
 * samples (executed; a subset here, the full 16,400 programs in test/bench/import.bench.ts --codet).
 */
import { tempDir } from '../helpers/temp-dir.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { importSamples, type ImportSummary } from '../../harness/import/import-samples.ts';
import { readManifest } from '../../harness/store/run-manifest.ts';
import { hasSharedData, sharedDataDir } from '../helpers/shared-data.ts';
import { byProblem, majorityOfAll, passAtKProduct, readRecords } from './helpers.ts';
import type { ImportedSampleRecord } from '../../harness/import/types.ts';

const QWEN = join(sharedDataDir(), 'samples-math-qwen25-math-8');
const CODET = join(sharedDataDir(), 'samples-humaneval-codegen16b-codet');

function temporary(prefix: string): string {
  return join(tempDir(prefix), 'run');
}

function metrics(records: readonly ImportedSampleRecord[], k: number): { pass: number; majority: number } {
  const problems = byProblem(records);
  let pass = 0;
  let majority = 0;
  for (const samples of problems) {
    const correct = samples.filter((record) => record.verdict?.correct).length;
    pass += passAtKProduct(samples.length, correct, k);
    majority += majorityOfAll(samples.map((record) => ({ key: record.verdict?.answerKey ?? null, correct: record.verdict?.correct ?? false })));
  }
  return { pass: pass / problems.length, majority: majority / problems.length };
}

describe.skipIf(!hasSharedData())('Qwen2.5-Math recorded samples (100 MATH problems × 8)', () => {
  let outDir: string;
  let summary: ImportSummary;
  beforeAll(async () => {
    outDir = temporary('qwen-');
    summary = await importSamples({ source: QWEN, outDir });
  });

  it('imports 800 samples with recorded verdicts, detected as qwen-math', () => {
    expect(summary).toMatchObject({ format: 'qwen-math', problems: 100, samples: 800, recorded: 800, unverified: 0, cells: ['qwen2.5-math-instruct/math/think0/t0.7'] });
    expect(readManifest(outDir).config).toMatchObject({ sampling: { samples: 8, temperature: 0.7 } });
  });

  it('gives pass@8 = 96% and majority@8 = 93% (within one problem) from the recorded verdicts', async () => {
    const records = await readRecords(join(outDir, 'samples.jsonl'));
    const { pass, majority } = metrics(records, 8);
    expect(pass).toBeCloseTo(0.96, 12);
    expect(Math.abs(majority - 0.93)).toBeLessThanOrEqual(0.01);
    expect(metrics(records, 1).pass).toBeCloseTo(0.91, 12);
  });

  it('regrades with the math verifier: agreement ≥ 97%, every disagreement listed', async () => {
    const regradeDir = temporary('qwen-regrade-');
    const regraded = await importSamples({ source: QWEN, outDir: regradeDir, regrade: true });
    const result = regraded.regrade;
    expect(result?.compared).toBe(800);
    expect(result?.agreement).toBeGreaterThanOrEqual(0.97);
    expect(result?.disagreements.length).toBe((result?.compared ?? 0) - (result?.agreeing ?? 0));
    const agreement = JSON.parse(readFileSync(join(regradeDir, 'agreement.json'), 'utf8')) as { agreeing: number; problems: Array<{ disagreeing: number[] }> };
    expect(agreement.agreeing).toBe(result?.agreeing);
    expect(agreement.problems.reduce((sum, problem) => sum + problem.disagreeing.length, 0)).toBe(result?.disagreements.length);
    const records = await readRecords(join(regradeDir, 'samples.jsonl'));
    expect(records.every((record) => record.recorded !== undefined && record.verdict?.reason !== 'recorded')).toBe(true);
    // Our verifier accepts answers the recorded grading missed (problem 3: `4:30 \text{ p.m.}` against
    // the gold `\text{4:30 p.m.}`, whose recorded normalised gold was `4:30p..`), so pass@8 rises.
    const { pass, majority } = metrics(records, 8);
    expect(pass).toBeGreaterThanOrEqual(0.96);
    expect(majority).toBeGreaterThanOrEqual(0.92);
  });
});

describe.skipIf(!hasSharedData())('CodeT HumanEval samples (CodeGen-Mono-16B, 164 × 100)', () => {
  it('imports every sample, joined to its task by prompt, unverified until regraded', async () => {
    const outDir = temporary('codet-');
    const summary = await importSamples({ source: CODET, outDir });
    expect(summary).toMatchObject({ format: 'codet', problems: 164, samples: 16_400, recorded: 0, unverified: 16_400, cells: ['codegen16B/humaneval/think0/t0.8'] });
    const records = await readRecords(join(outDir, 'samples.jsonl'));
    expect(records[0]).toMatchObject({ problem: 'HumanEval/0', index: 0, status: 'ok' });
    expect(records[0]?.verdict).toBeUndefined();
    expect(new Set(records.map((record) => record.problem)).size).toBe(164);
  });

  // Passing samples per problem for the first four problems of the sample file, executed as the
  // dataset README says (CodeT prompt + truncated sample + test + check(entry_point), 3 s).
  it('regrades the first four problems by executing their 400 programs', async () => {
    const outDir = temporary('codet-regrade-');
    const summary = await importSamples({ source: CODET, outDir, regrade: true, limit: 4 });
    expect(summary.regrade).toMatchObject({ samples: 400, compared: 0, correct: 70 });
    const records = await readRecords(join(outDir, 'samples.jsonl'));
    expect(byProblem(records).map((samples) => [samples[0]?.problem, samples.filter((record) => record.verdict?.correct).length])).toEqual([
      ['HumanEval/0', 65],
      ['HumanEval/1', 2],
      ['HumanEval/10', 3],
      ['HumanEval/100', 0],
    ]);
  });
});
