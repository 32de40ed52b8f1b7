import { tempDir } from '../helpers/temp-dir.ts';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Problem, Verdict } from '../../harness/core/types.ts';
import { detectFormat } from '../../harness/import/detect-format.ts';
import { importSamples, type ImportSummary } from '../../harness/import/import-samples.ts';
import { problemKey, readProblemsFile } from '../../harness/store/problems-file.ts';
import { readManifest, writeManifest } from '../../harness/store/run-manifest.ts';
import type { Verifier } from '../../harness/verifiers/types.ts';
import { countCorrect, monkeyRow, passAtKExact, passAtKProduct, readRecords, writeMonkeyJsonl, writeMonkeyParquet, type MonkeyRow } from './helpers.ts';
import { rejection } from '../helpers/rejection.ts';

const SAMPLES = 10_000;
const CORRECT = [0, 1, 137, 5000, 9990];
const CONFIG = 'MATH_Llama-3-8B-Instruct';
const CELL = 'Llama-3-8B-Instruct/math/think0/t0.6';

function temporary(prefix: string): string {
  return tempDir(prefix);
}

/** A verifier for the tests: correct when the text ends with the gold answer after "final answer is". */
function finalAnswerVerifier(): Verifier {
  return {
    kind: 'math',
    async verify(problem: Problem, text: string): Promise<Verdict> {
      const match = /final answer is (\S+?)\.? I hope/.exec(text);
      const answer = match?.[1] ?? null;
      return { correct: answer === problem.answer, answer, answerKey: answer, reason: answer === problem.answer ? 'equal' : 'not-equal' };
    },
  };
}

describe('monkey_business fixture: 5 problems × 10,000 samples', () => {
  let rows: MonkeyRow[];
  let parquetDir: string;
  let parquetSummary: ImportSummary;
  let jsonlDir: string;
  beforeAll(async () => {
    rows = CORRECT.map((correct, problem) => monkeyRow(problem, SAMPLES, correct, 100 + problem));
    const source = temporary('monkey-source-');
    mkdirSync(join(source, CONFIG, 'test'), { recursive: true });
    writeMonkeyParquet(join(source, CONFIG, 'test', '0000.parquet'), rows, 2);
    writeMonkeyJsonl(join(source, `${CONFIG}.jsonl`), rows);
    parquetDir = join(temporary('monkey-out-'), 'run');
    parquetSummary = await importSamples({ source: join(source, CONFIG), outDir: parquetDir, now: () => new Date('2026-01-02T03:04:05Z') });
    jsonlDir = join(temporary('monkey-out-'), 'run');
    await importSamples({ source: join(source, `${CONFIG}.jsonl`), outDir: jsonlDir, now: () => new Date('2026-01-02T03:04:05Z') });
  });

  it('imports every sample with its recorded verdict, format detected from the parquet file', () => {
    expect(parquetSummary).toEqual({
      outDir: parquetDir,
      format: 'monkey-business',
      problems: 5,
      samples: 50_000,
      cells: [CELL],
      recorded: 50_000,
      unverified: 0,
      duplicates: 0,
    });
  });

  it('writes problems.jsonl with each problem once: question and gold answer', () => {
    const problems = [...readProblemsFile(parquetDir).values()];
    expect(problems).toHaveLength(rows.length);
    expect(problems[3]).toMatchObject({ dataset: 'math', question: rows[3]?.question, answer: rows[3]?.gt_answer });
    expect([...readProblemsFile(jsonlDir).values()]).toEqual(problems);
  });

  it('writes run.json with the imported source, the cell and the config', () => {
    const manifest = readManifest(parquetDir);
    expect(manifest.imported).toEqual({ format: 'monkey-business', source: expect.stringContaining(CONFIG), importedAt: '2026-01-02T03:04:05.000Z' });
    expect(manifest.cells).toEqual([{ id: CELL, model: 'Llama-3-8B-Instruct', dataset: 'math', thinkingBudget: 0, temperature: 0.6, simulated: false }]);
    expect(manifest.config).toMatchObject({ name: 'run', seed: 0, datasets: [{ id: 'math' }], models: [{ id: 'Llama-3-8B-Instruct', provider: 'import' }], sampling: { samples: 10_000, temperature: 0.6 } });
  });

  it('writes records in the SampleRecord shape, recorded verdict and answer class kept', async () => {
    const records = await readRecords(join(parquetDir, 'samples.jsonl'));
    const firstCorrect = rows[1]?.is_corrects.indexOf(true) ?? -1;
    expect(records[10_000 + firstCorrect]).toEqual({
      v: 1,
      cell: CELL,
      problem: '1001',
      index: firstCorrect,
      seed: firstCorrect,
      status: 'ok',
      text: rows[1]?.samples[firstCorrect],
      verdict: { correct: true, answer: '18', answerKey: '18', reason: 'recorded' },
    });
  });

  it.each([1, 2, 5, 10, 100, 1000, 5000, 10_000])('pass@%i from samples.jsonl equals the exact BigInt value', async (k) => {
    const counts = await countCorrect(join(parquetDir, 'samples.jsonl'));
    expect([...counts.values()].map((entry) => entry.n)).toEqual([SAMPLES, SAMPLES, SAMPLES, SAMPLES, SAMPLES]);
    expect([...counts.values()].map((entry) => entry.c)).toEqual(CORRECT);
    const fromFile = [...counts.values()].reduce((sum, entry) => sum + passAtKProduct(entry.n, entry.c, k), 0) / counts.size;
    const exact = CORRECT.reduce((sum, c) => sum + passAtKExact(SAMPLES, c, k), 0) / CORRECT.length;
    expect(Math.abs(fromFile - exact)).toBeLessThan(1e-12);
  });

  it('the JSON Lines copy of the same rows imports to the same samples.jsonl', () => {
    expect(readFileSync(join(jsonlDir, 'samples.jsonl'), 'utf8')).toBe(readFileSync(join(parquetDir, 'samples.jsonl'), 'utf8'));
  });
});

describe('monkey_business shards without orig_dataset_idx', () => {
  it('numbers problems in order across the shards of a config', async () => {
    const source = join(temporary('shards-'), 'GSM8K_Model-A', 'test');
    mkdirSync(source, { recursive: true });
    const strip = (row: MonkeyRow): Omit<MonkeyRow, 'orig_dataset_idx'> => {
      const { orig_dataset_idx: _unused, ...rest } = row;
      void _unused;
      return rest;
    };
    writeFileSync(join(source, '0000.jsonl'), [monkeyRow(0, 3, 1, 1), monkeyRow(1, 3, 2, 2)].map((row) => JSON.stringify(strip(row))).join('\n'));
    writeFileSync(join(source, '0001.jsonl'), JSON.stringify(strip(monkeyRow(2, 3, 3, 3))));
    const outDir = join(temporary('shards-out-'), 'run');
    const summary = await importSamples({ source: join(source, '..'), outDir, format: 'monkey-business' });
    expect(summary).toMatchObject({ problems: 3, samples: 9, cells: ['Model-A/gsm8k/think0/t0.6'] });
    const records = await readRecords(join(outDir, 'samples.jsonl'));
    expect(records.map((record) => `${record.problem}#${record.index}`)).toEqual(['0#0', '0#1', '0#2', '1#0', '1#1', '1#2', '2#0', '2#1', '2#2']);
  });
});

describe('regrade with an injected verifier', () => {
  it('keeps the recorded verdict beside ours and writes agreement.json', async () => {
    const row = monkeyRow(0, 20, 5, 7);
    // Flip two recorded verdicts so the regrade disagrees on them.
    row.is_corrects[3] = !row.is_corrects[3];
    row.is_corrects[11] = !row.is_corrects[11];
    const source = join(temporary('regrade-'), `${CONFIG}.jsonl`);
    writeMonkeyJsonl(source, [row]);
    const outDir = join(temporary('regrade-out-'), 'run');
    const kinds: string[] = [];
    const summary = await importSamples({
      source,
      outDir,
      regrade: true,
      verifierFor: (kind) => {
        kinds.push(kind);
        return finalAnswerVerifier();
      },
    });
    expect(kinds).toEqual(['math']);
    expect(summary.regrade).toMatchObject({ samples: 20, compared: 20, agreeing: 18, agreement: 0.9, correct: 5 });
    expect(summary.regrade?.disagreements.map((item) => [item.index, item.recorded, item.regraded])).toEqual([
      [3, row.is_corrects[3], !row.is_corrects[3]],
      [11, row.is_corrects[11], !row.is_corrects[11]],
    ]);
    const agreement = JSON.parse(readFileSync(join(outDir, 'agreement.json'), 'utf8')) as { problems: unknown[] };
    expect(agreement.problems).toEqual([{ cell: CELL, problem: '1000', samples: 20, compared: 20, agreeing: 18, disagreeing: [3, 11] }]);
    const records = await readRecords(join(outDir, 'samples.jsonl'));
    expect(records[3]?.recorded).toEqual({ correct: row.is_corrects[3] });
    expect(records[3]?.verdict?.correct).toBe(!row.is_corrects[3]);
    expect(records[3]?.verdict?.reason).toMatch(/^(equal|not-equal)$/);
  });
});

describe('lm-eval --log_samples', () => {
  it('reads one document per line of the first filter, with recorded exact_match for single generations', async () => {
    const folder = join(temporary('lm-eval-'), 'meta-llama__Llama-3-8B');
    mkdirSync(folder);
    const line = (docId: number, filter: string, resps: string[][], filtered: unknown[], exactMatch: number): string =>
      JSON.stringify({
        doc_id: docId,
        doc: { question: `What is ${docId} + 1?`, answer: `It is ${docId + 1}.\n#### ${docId + 1}` },
        target: `It is ${docId + 1}.\n#### ${docId + 1}`,
        arguments: [[`Question: What is ${docId} + 1?`, { until: ['Question:'] }]],
        resps,
        filtered_resps: filtered,
        filter,
        metrics: ['exact_match'],
        doc_hash: 'h',
        prompt_hash: 'p',
        target_hash: 't',
        exact_match: exactMatch,
      });
    writeFileSync(
      join(folder, 'samples_gsm8k_2024-06-01T10-00-00.123456.jsonl'),
      [
        line(0, 'strict-match', [['The answer is 1. #### 1']], ['1'], 1),
        line(1, 'strict-match', [['The answer is 5. #### 5']], ['5'], 0),
        line(0, 'flexible-extract', [['The answer is 1. #### 1']], ['1'], 1),
        line(1, 'flexible-extract', [['The answer is 5. #### 5']], ['5'], 0),
      ].join('\n'),
    );
    const outDir = join(temporary('lm-eval-out-'), 'run');
    expect(await detectFormat(folder)).toBe('lm-eval');
    const summary = await importSamples({ source: folder, outDir });
    expect(summary).toMatchObject({ format: 'lm-eval', problems: 2, samples: 2, recorded: 2, cells: ['meta-llama__Llama-3-8B/gsm8k/think0/t0'] });
    const records = await readRecords(join(outDir, 'samples.jsonl'));
    expect(records.map((record) => [record.problem, record.index, record.text, record.verdict])).toEqual([
      ['0', 0, 'The answer is 1. #### 1', { correct: true, answer: '1', answerKey: '1', reason: 'recorded' }],
      ['1', 0, 'The answer is 5. #### 5', { correct: false, answer: '5', answerKey: '5', reason: 'recorded' }],
    ]);
  });

  it('repeats become samples of one problem; without per-sample verdicts they are regraded against the target', async () => {
    const folder = temporary('lm-eval-repeats-');
    writeFileSync(
      join(folder, 'samples_gsm8k-maj_2024-06-01T10-00-00.jsonl'),
      `${JSON.stringify({ doc_id: 7, doc: { question: 'q' }, target: 'Work.\n#### 1,024', resps: [['#### 1024', '#### 12', '#### 1024']], filtered_resps: [['1024', '12', '1024']], filter: 'maj@3', exact_match: 1 })}\n`,
    );
    const outDir = join(temporary('lm-eval-out-'), 'run');
    const seen: Array<[string, string]> = [];
    const summary = await importSamples({
      source: folder,
      outDir,
      regrade: true,
      verifierFor: () => ({
        kind: 'gsm8k',
        async verify(problem, text) {
          seen.push([problem.answer, text]);
          const answer = text.replace('#### ', '');
          return { correct: answer === problem.answer, answer, answerKey: answer, reason: 'test' };
        },
      }),
    });
    expect(summary).toMatchObject({ problems: 1, samples: 3, recorded: 0, regrade: { samples: 3, compared: 0, correct: 2, agreement: 1 } });
    expect(seen).toEqual([
      ['1024', '#### 1024'],
      ['1024', '#### 12'],
      ['1024', '#### 1024'],
    ]);
  });
});

describe('generic jsonl', () => {
  it('passes our own sample records through (usage and verdict kept, error records dropped)', async () => {
    const folder = temporary('own-');
    const cell = 'sim-8b/math500/think0/t0.6';
    const records = [
      { v: 1, cell, problem: 'p1', index: 0, seed: 5, status: 'ok', text: 'A \\boxed{2}', usage: { promptTokens: 10, completionTokens: 4, thinkingTokens: 0 }, verdict: { correct: true, answer: '2', answerKey: '2', reason: 'equal' } },
      { v: 1, cell, problem: 'p1', index: 1, seed: 6, status: 'error', error: { code: 'X', message: 'boom', attempts: 3 } },
      { v: 1, cell, problem: 'p1', index: 2, seed: 7, status: 'ok', text: 'B \\boxed{3}', verdict: { correct: false, answer: '3', answerKey: '3', reason: 'not-equal' } },
      { v: 1, cell, problem: 'p1', index: 2, seed: 7, status: 'ok', text: 'B again', verdict: { correct: false, answer: null, answerKey: null, reason: 'no-answer' } },
    ];
    writeFileSync(join(folder, 'samples.jsonl'), records.map((record) => JSON.stringify(record)).join('\n'));
    expect(await detectFormat(join(folder, 'samples.jsonl'))).toBe('jsonl');
    const outDir = join(temporary('own-out-'), 'run');
    const summary = await importSamples({ source: join(folder, 'samples.jsonl'), outDir });
    expect(summary).toMatchObject({ format: 'jsonl', problems: 1, samples: 2, duplicates: 1, cells: [cell] });
    const written = await readRecords(join(outDir, 'samples.jsonl'));
    expect(written.map((record) => [record.index, record.seed, record.text, record.usage, record.verdict?.correct])).toEqual([
      [0, 5, 'A \\boxed{2}', { promptTokens: 10, completionTokens: 4, thinkingTokens: 0 }, true],
      [2, 7, 'B \\boxed{3}', undefined, false],
    ]);
    expect(readManifest(outDir).cells).toEqual([{ id: cell, model: 'sim-8b', dataset: 'math500', thinkingBudget: 0, temperature: 0.6, simulated: false }]);
  });

  it("imports a run directory with its problems.jsonl: questions, gold answers and verifiers, so regrading agrees", async () => {
    const folder = temporary('own-run-');
    const cell = 'sim-8b/my-gsm/think0/t0.6';
    writeManifest(folder, {
      version: 1,
      name: 'own',
      config: { name: 'own', seed: 1, datasets: [{ id: 'my-gsm' }], models: [{ id: 'sim-8b', provider: 'sim' }], sampling: { samples: 2 } },
      cells: [{ id: cell, model: 'sim-8b', dataset: 'my-gsm', thinkingBudget: 0, temperature: 0.6, simulated: true }],
      versions: {},
      startedAt: '2026-01-01T00:00:00.000Z',
      sessions: [],
    });
    // Completion order: the problems' samples interleave.
    const sample = (problem: string, index: number, text: string, correct: boolean): string =>
      JSON.stringify({ v: 1, cell, problem, index, seed: index, status: 'ok', text, verdict: { correct, answer: null, answerKey: null, reason: 'recorded' } });
    writeFileSync(
      join(folder, 'samples.jsonl'),
      [sample('g1', 0, 'Half of 120 is 60.\n#### 60', true), sample('g2', 0, 'So 7 apples.\n#### 7', false), sample('g1', 1, 'It is 61.\n#### 61', false), sample('g2', 1, '#### 8', true)].join('\n') + '\n',
    );
    writeFileSync(
      join(folder, 'problems.jsonl'),
      [
        { dataset: 'my-gsm', id: 'g1', question: 'What is half of 120?', answer: '60', verifier: 'gsm8k' },
        { dataset: 'my-gsm', id: 'g2', question: 'How many apples?', answer: '8', verifier: 'gsm8k' },
      ].map((line) => `${JSON.stringify(line)}\n`).join(''),
    );
    // Other logs of a run are not samples.
    writeFileSync(join(folder, 'scores.jsonl'), `${JSON.stringify({ v: 1, scorer: 's', cell, problem: 'g1', index: 0, score: 1 })}\n`);
    expect(await detectFormat(folder)).toBe('jsonl');
    const outDir = join(temporary('own-run-out-'), 'run');
    const summary = await importSamples({ source: folder, outDir, regrade: true });
    expect(summary).toMatchObject({ format: 'jsonl', problems: 2, samples: 4, cells: [cell] });
    expect(summary.regrade).toMatchObject({ samples: 4, compared: 4, agreeing: 4, correct: 2 });
    expect([...readProblemsFile(outDir).values()]).toEqual([
      { dataset: 'my-gsm', id: 'g1', question: 'What is half of 120?', answer: '60', verifier: 'gsm8k' },
      { dataset: 'my-gsm', id: 'g2', question: 'How many apples?', answer: '8', verifier: 'gsm8k' },
    ]);
  });

  it("keeps a run directory's stdin/stdout tests and per-problem time limits in the imported problems.jsonl", async () => {
    const folder = temporary('own-code-run-');
    const cell = 'sim-8b/my-code/think0/t0.6';
    writeManifest(folder, {
      version: 1,
      name: 'own-code',
      config: { name: 'own-code', seed: 1, datasets: [{ id: 'my-code' }], models: [{ id: 'sim-8b', provider: 'sim' }], sampling: { samples: 1 } },
      cells: [{ id: cell, model: 'sim-8b', dataset: 'my-code', thinkingBudget: 0, temperature: 0.6, simulated: true }],
      versions: {},
      startedAt: '2026-01-01T00:00:00.000Z',
      sessions: [],
    });
    const sample = (problem: string): string =>
      JSON.stringify({ v: 1, cell, problem, index: 0, seed: 0, status: 'ok', text: 'print(1)', verdict: { correct: true, answer: null, answerKey: null, reason: 'recorded' } });
    writeFileSync(join(folder, 'samples.jsonl'), `${sample('f1')}\n${sample('s1')}\n`);
    const functionStyle = {
      dataset: 'my-code',
      id: 'f1',
      question: 'def f():',
      answer: '',
      code: { prompt: 'def f():\n', tests: 'assert f() == 1', entryPoint: 'f' },
      verifier: 'code',
      timeLimit: { timeoutMs: 1200, referenceRuntimeMs: 300, source: 'reference', factor: 4, floorMs: 1000 },
    };
    const stdio = { dataset: 'my-code', id: 's1', question: 'Print 1.', answer: '', stdio: { tests: [{ input: '', output: '1\n' }], timeLimitMs: 2000 }, verifier: 'stdio' };
    writeFileSync(join(folder, 'problems.jsonl'), `${JSON.stringify(functionStyle)}\n${JSON.stringify(stdio)}\n`);
    const outDir = join(temporary('own-code-run-out-'), 'run');
    await importSamples({ source: folder, outDir });
    const imported = readProblemsFile(outDir);
    expect(imported.get(problemKey('my-code', 'f1'))?.timeLimit).toEqual(functionStyle.timeLimit);
    expect(imported.get(problemKey('my-code', 's1'))?.stdio).toEqual(stdio.stdio);
    expect(imported.get(problemKey('my-code', 's1'))?.verifier).toBe('stdio');
  });

  it('numbers plain { task_id, completion, correct } lines per problem, also when a problem comes back later', async () => {
    const source = join(temporary('plain-'), 'humaneval.jsonl');
    const lines = [
      { task_id: 'HumanEval/0', completion: 'a', passed: true },
      { task_id: 'HumanEval/0', completion: 'b', passed: false },
      { task_id: 'HumanEval/1', completion: 'c', passed: false },
      { task_id: 'HumanEval/0', completion: 'd', passed: true },
    ];
    writeFileSync(source, lines.map((line) => JSON.stringify(line)).join('\n'));
    const outDir = join(temporary('plain-out-'), 'run');
    const summary = await importSamples({ source, outDir, model: 'my-model' });
    expect(summary).toMatchObject({ format: 'jsonl', problems: 2, samples: 4, cells: ['my-model/humaneval/think0/t0'] });
    const written = await readRecords(join(outDir, 'samples.jsonl'));
    expect(written.map((record) => [record.problem, record.index, record.text, record.verdict?.correct])).toEqual([
      ['HumanEval/0', 0, 'a', true],
      ['HumanEval/0', 1, 'b', false],
      ['HumanEval/1', 0, 'c', false],
      ['HumanEval/0', 2, 'd', true],
    ]);
    expect(readManifest(outDir).config).toMatchObject({ sampling: { samples: 3 } });
  });
});

describe('detectFormat', () => {
  it.each([
    ['monkey-business', { question: 'q', samples: ['a'], is_corrects: [true], gt_answer: '1' }],
    ['lm-eval', { doc_id: 0, doc: {}, target: '1', resps: [['a']], filtered_resps: ['a'] }],
    ['codet', { prompt: 'def f():\n', samples: ['  return 1'] }],
    ['qwen-math', { idx: 0, question: 'q', gt: '1', code: ['a'], pred: ['1'], score: [true] }],
    ['jsonl', { v: 1, cell: 'm/d/think0/t0', problem: 'p', index: 0, status: 'ok', text: 'a' }],
    ['jsonl', { problem: 'p', completion: 'a' }],
  ])('%s from %j', async (format, record) => {
    const path = join(temporary('detect-'), 'source.jsonl');
    writeFileSync(path, `${JSON.stringify(record)}\n`);
    expect(await detectFormat(path)).toBe(format);
  });

  it('names the formats when nothing matches', async () => {
    const path = join(temporary('detect-'), 'source.jsonl');
    writeFileSync(path, `${JSON.stringify({ hello: 'world' })}\n`);
    const error = await rejection(detectFormat(path));
    expect(error.code).toBe('IMPORT_FORMAT_UNKNOWN');
    expect(error.hint).toBe('Pass --format monkey-business|lm-eval|jsonl|codet|qwen-math.');
  });
});

describe('import errors', () => {
  it.each([
    ['a missing source', (dir: string) => join(dir, 'nope.jsonl'), undefined, 'IMPORT_SOURCE_MISSING'],
    ['an unknown format', (dir: string) => dir, 'csv', 'IMPORT_FORMAT_INVALID'],
    ['is_corrects of the wrong length', (dir: string) => {
      writeFileSync(join(dir, 'bad.jsonl'), `${JSON.stringify({ question: 'q', samples: ['a', 'b'], is_corrects: [true] })}\n`);
      return join(dir, 'bad.jsonl');
    }, 'monkey-business', 'IMPORT_BAD_ROW'],
    ['a broken JSON line', (dir: string) => {
      writeFileSync(join(dir, 'bad.jsonl'), '{"question": \n');
      return join(dir, 'bad.jsonl');
    }, 'monkey-business', 'IMPORT_BAD_LINE'],
  ])('%s', async (_label, makeSource, format, code) => {
    const dir = temporary('errors-');
    const source = makeSource(dir);
    const error = await rejection(importSamples({ source, outDir: join(temporary('errors-out-'), 'run'), ...(format ? { format } : {}) }));
    expect(error.code).toBe(code);
    expect(error.hint).toBeTruthy();
  });

  it('refuses to overwrite an existing run', async () => {
    const source = join(temporary('exists-'), 'a.jsonl');
    writeMonkeyJsonl(source, [monkeyRow(0, 3, 1, 1)]);
    const outDir = temporary('exists-out-');
    await importSamples({ source, outDir });
    const error = await rejection(importSamples({ source, outDir }));
    expect(error.code).toBe('IMPORT_OUT_EXISTS');
    expect((await importSamples({ source, outDir, overwrite: true })).samples).toBe(3);
    expect((await readRecords(join(outDir, 'samples.jsonl'))).length).toBe(3);
  });
});
