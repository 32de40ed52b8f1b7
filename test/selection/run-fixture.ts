/**
 * Test helpers of the selection tests: a run directory written in a temporary folder (run.json,
 * samples.jsonl, problems.jsonl), and brute-force selection values computed independently of the
 * metrics code (every k-subset enumerated).
 */
import { tempDir } from '../helpers/temp-dir.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SampleRecord } from '../../harness/core/types.ts';
import type { CellInfo } from '../../harness/metrics/types.ts';
import { writeManifest } from '../../harness/store/run-manifest.ts';
import { openSampleLog } from '../../harness/store/sample-log.ts';

/** One sample of a fixture: its text, correctness and answer class. */
export interface FixtureSample {
  text: string;
  correct: boolean;
  answerKey: string | null;
}

/** One problem of a fixture. */
export interface FixtureProblem {
  id: string;
  question: string;
  samples: FixtureSample[];
}

/** The cell every fixture uses. */
export const fixtureCell: CellInfo = { id: 'judge-model/toy/think0/t0.7', model: 'judge-model', dataset: 'toy', thinkingBudget: 0, temperature: 0.7, simulated: false };

/** Writes a run directory holding the problems and their samples; returns its path. */
export function writeRun(problems: ReadonlyArray<FixtureProblem>, options: { cell?: CellInfo; extraRecords?: SampleRecord[] } = {}): string {
  const runDir = tempDir('sb-selection-');
  const cell = options.cell ?? fixtureCell;
  writeManifest(runDir, {
    version: 1,
    name: 'selection-fixture',
    config: { seed: 3 },
    cells: [cell],
    versions: {},
    startedAt: '2026-01-01T00:00:00.000Z',
    sessions: [],
  });
  writeFileSync(join(runDir, 'problems.jsonl'), `${problems.map((problem) => JSON.stringify({ dataset: cell.dataset, id: problem.id, question: problem.question, answer: '' })).join('\n')}\n`);
  const log = openSampleLog(join(runDir, 'samples.jsonl'));
  for (const problem of problems) {
    problem.samples.forEach((sample, index) => {
      log.append({
        v: 1,
        cell: cell.id,
        problem: problem.id,
        index,
        seed: index,
        status: 'ok',
        text: sample.text,
        usage: { promptTokens: 10, completionTokens: 20, thinkingTokens: 0 },
        verdict: { correct: sample.correct, answer: sample.answerKey, answerKey: sample.answerKey, reason: sample.correct ? 'equal' : 'not-equal' },
      });
    });
  }
  for (const record of options.extraRecords ?? []) log.append(record);
  log.close();
  return runDir;
}

/** Every k-subset of 0..n−1. */
export function subsets(n: number, k: number): number[][] {
  const result: number[][] = [];
  const walk = (start: number, chosen: number[]): void => {
    if (chosen.length === k) {
      result.push([...chosen]);
      return;
    }
    for (let next = start; next < n; next += 1) walk(next + 1, [...chosen, next]);
  };
  walk(0, []);
  return result;
}

/** best-of-k by brute force: over every k-subset, the mean correctness of the top-scored samples (ties uniform). */
export function bruteBestOfK(scores: ReadonlyArray<number>, correct: ReadonlyArray<boolean>, k: number): number {
  const all = subsets(scores.length, k);
  let total = 0;
  for (const subset of all) {
    const top = Math.max(...subset.map((index) => scores[index] ?? Number.NEGATIVE_INFINITY));
    const tied = subset.filter((index) => scores[index] === top);
    total += tied.filter((index) => correct[index] === true).length / tied.length;
  }
  return total / all.length;
}

/** Weighted vote by brute force: over every k-subset, classes weigh the sum of their weights; ties uniform; the winner counts with its drawn members' correctness. */
export function bruteWeightedVote(answerKeys: ReadonlyArray<string | null>, weights: ReadonlyArray<number>, correct: ReadonlyArray<boolean>, k: number): number {
  const all = subsets(answerKeys.length, k);
  let total = 0;
  for (const subset of all) {
    const sums = new Map<string, { weight: number; members: number[] }>();
    for (const index of subset) {
      const key = answerKeys[index];
      if (key === null || key === undefined) continue;
      const entry = sums.get(key) ?? { weight: 0, members: [] };
      entry.weight += weights[index] ?? 0;
      entry.members.push(index);
      sums.set(key, entry);
    }
    if (sums.size === 0) continue;
    const best = Math.max(...[...sums.values()].map((entry) => entry.weight));
    const winners = [...sums.values()].filter((entry) => best - entry.weight <= 1e-12 * Math.max(1, Math.abs(best)));
    total += winners.reduce((sum, entry) => sum + entry.members.filter((index) => correct[index] === true).length / entry.members.length, 0) / winners.length;
  }
  return total / all.length;
}

/** The records of an async iterable, in order. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const result: T[] = [];
  for await (const item of items) result.push(item);
  return result;
}
