import { tempDir } from '../helpers/temp-dir.ts';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeRuns } from '../../harness/import/merge-runs.ts';
import { readProblemsFile } from '../../harness/store/problems-file.ts';
import { readManifest, writeManifest, type RunManifest } from '../../harness/store/run-manifest.ts';
import { rejection } from '../helpers/rejection.ts';
import { readRecords } from './helpers.ts';

const CELL = 'sim-8b/math500/think0/t0.6';

function manifest(name: string, samples: number, temperature = 0.6): RunManifest {
  return {
    version: 1,
    name,
    config: { name, seed: 1, datasets: [{ id: 'math500' }], models: [{ id: 'sim-8b', provider: 'sim' }], sampling: { samples, temperature } },
    cells: [{ id: CELL, model: 'sim-8b', dataset: 'math500', thinkingBudget: 0, temperature: 0.6, simulated: true }],
    versions: { 'scaling-bench': '0.1.0' },
    startedAt: `2026-01-0${name.length % 9}T00:00:00.000Z`,
    sessions: [{ startedAt: '2026-01-01T00:00:00.000Z', drawn: 0, errors: 0, outcome: 'done' }],
  };
}

function run(name: string, records: Array<[string, number, string]>, temperature = 0.6): string {
  const dir = tempDir(`merge-${name}-`);
  writeManifest(dir, manifest(name, 4, temperature));
  const problems = [...new Set(records.map(([problem]) => problem))];
  writeFileSync(join(dir, 'problems.jsonl'), problems.map((id) => `${JSON.stringify({ dataset: 'math500', id, question: `question of ${id}`, answer: `gold of ${id}` })}\n`).join(''));
  writeFileSync(
    join(dir, 'samples.jsonl'),
    records
      .map(([problem, index, text]) =>
        JSON.stringify({ v: 1, cell: CELL, problem, index, seed: 1 + index, status: 'ok', text, verdict: { correct: text.includes('right'), answer: text, answerKey: text, reason: 'equal' } }),
      )
      .join('\n') + '\n',
  );
  return dir;
}

describe('mergeRuns', () => {
  it('merges shards, writing each sample once and reporting every duplicate', async () => {
    const first = run('a', [
      ['p1', 0, 'right 1'],
      ['p1', 1, 'wrong 1'],
      ['p1', 2, 'same twice'],
      ['p1', 3, 'same twice'],
      ['p2', 0, 'right 2'],
    ]);
    const second = run('b', [
      ['p1', 1, 'wrong 1'], // same slot, same text: a re-run shard
      ['p2', 0, 'other text'], // same slot, different text: conflict
      ['p1', 7, 'right 1'], // same text under another index: duplicate
      ['p1', 4, 'right 4'],
      ['p2', 1, 'right 5'],
    ]);
    const outDir = join(tempDir('merge-out-'), 'merged');
    const summary = await mergeRuns([first, second], outDir, { now: () => new Date('2026-02-03T00:00:00Z') });
    expect(summary.read).toBe(10);
    expect(summary.written).toBe(7);
    expect(summary.perRun.map((entry) => [entry.read, entry.written])).toEqual([
      [5, 5],
      [5, 2],
    ]);
    expect(summary.duplicates.map((item) => [item.kind, item.problem, item.index, item.keptIndex])).toEqual([
      ['same-index', 'p1', 1, 1],
      ['conflict', 'p2', 0, 0],
      ['same-text', 'p1', 7, 0],
    ]);
    const records = await readRecords(join(outDir, 'samples.jsonl'));
    expect(records.map((record) => [record.problem, record.index, record.text])).toEqual([
      ['p1', 0, 'right 1'],
      ['p1', 1, 'wrong 1'],
      ['p1', 2, 'same twice'],
      ['p1', 3, 'same twice'],
      ['p2', 0, 'right 2'],
      ['p1', 4, 'right 4'],
      ['p2', 1, 'right 5'],
    ]);
    const merged = readManifest(outDir);
    expect(merged.config).toMatchObject({ sampling: { samples: 5, temperature: 0.6 }, merged: { from: [first, second] } });
    expect(merged.cells.map((cell) => cell.id)).toEqual([CELL]);
    expect(merged.sessions).toHaveLength(2);
    expect(merged.imported).toEqual({ format: 'merge', source: `${first},${second}`, importedAt: '2026-02-03T00:00:00.000Z' });
    const report = JSON.parse(readFileSync(join(outDir, 'merge.json'), 'utf8')) as { duplicates: unknown[] };
    expect(report.duplicates).toHaveLength(3);
    // Every problem of the inputs, once: judges and reward models of the merged run see the questions.
    expect([...readProblemsFile(outDir).values()]).toEqual([
      { dataset: 'math500', id: 'p1', question: 'question of p1', answer: 'gold of p1' },
      { dataset: 'math500', id: 'p2', question: 'question of p2', answer: 'gold of p2' },
    ]);
  });

  it('keeps the time limit problems.jsonl records for a problem (regrade judges with it)', async () => {
    const first = run('a', [['p1', 0, 'right 1']]);
    const second = run('b', [['p1', 1, 'right 2']]);
    const timeLimit = { timeoutMs: 1200, referenceRuntimeMs: 300, source: 'reference', factor: 4, floorMs: 1000 };
    for (const dir of [first, second]) {
      writeFileSync(join(dir, 'problems.jsonl'), `${JSON.stringify({ dataset: 'math500', id: 'p1', question: 'q', answer: 'a', verifier: 'code', timeLimit })}\n`);
    }
    const outDir = join(tempDir('merge-out-'), 'merged');
    await mergeRuns([first, second], outDir);
    expect([...readProblemsFile(outDir).values()]).toEqual([{ dataset: 'math500', id: 'p1', question: 'q', answer: 'a', verifier: 'code', timeLimit }]);
  });

  it.each([
    ['runs of different configs', () => [run('a', [['p', 0, 'x']]), run('b', [['p', 0, 'x']], 1.0)], 'MERGE_CONFIG_MISMATCH'],
    ['a single run', () => [run('a', [['p', 0, 'x']])], 'MERGE_USAGE'],
    ['a folder that is no run', () => [run('a', [['p', 0, 'x']]), tempDir('merge-empty-')], 'RUN_NOT_FOUND'],
  ])('refuses %s', async (_label, makeRuns, code) => {
    const error = await rejection(mergeRuns(makeRuns(), join(tempDir('merge-out-'), 'merged')));
    expect(error.code).toBe(code);
    expect(error.hint).toBeTruthy();
  });
});
