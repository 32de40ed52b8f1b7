/**
 * problems.jsonl: the problems of a run (dataset, id, question, gold answer), one per line, so
 * reports, judges and reward models need no access to the datasets. Written by `run` and by
 * `import`; a run without one still reports, with empty questions.
 */
import { closeSync, existsSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Problem } from '../core/types.ts';
import { readRecords, stringField } from '../datasets/jsonl.ts';

/** File name of the problem list inside a run directory. */
export const PROBLEMS_FILE = 'problems.jsonl';

/** What problems.jsonl keeps of a problem. */
export interface StoredProblem {
  /** Dataset id. */
  dataset: string;
  /** Problem id within the dataset. */
  id: string;
  /** The problem as the dataset states it. */
  question: string;
  /** Gold answer ('' for code problems). */
  answer: string;
}

/** Key of a problem in the map readProblemsFile returns. */
export function problemKey(dataset: string, id: string): string {
  return `${dataset}\u0000${id}`;
}

/** The fields of a problem that problems.jsonl keeps. */
type ProblemText = Pick<Problem, 'id' | 'question' | 'answer'>;

function problemLine(dataset: string, problem: ProblemText): string {
  return JSON.stringify({ dataset, id: problem.id, question: problem.question, answer: problem.answer });
}

/** Writes the whole problems.jsonl of a run at once. */
export function writeProblemsFile(runDir: string, datasets: Iterable<{ id: string; problems: readonly Problem[] }>): void {
  const lines: string[] = [];
  for (const dataset of datasets) {
    for (const problem of dataset.problems) lines.push(problemLine(dataset.id, problem));
  }
  writeFileSync(join(runDir, PROBLEMS_FILE), lines.length === 0 ? '' : `${lines.join('\n')}\n`);
}

/** Writes problems.jsonl one problem at a time (for imports that stream), each problem once. */
export interface ProblemsWriter {
  /** Adds a problem unless it was added before (same dataset and id). */
  add(dataset: string, problem: ProblemText): void;
  /** Closes the file. */
  close(): void;
}

/** Opens a fresh problems.jsonl in `runDir` (replacing an old one) for streaming writes. */
export function openProblemsWriter(runDir: string): ProblemsWriter {
  const fd = openSync(join(runDir, PROBLEMS_FILE), 'w');
  const seen = new Set<string>();
  let open = true;
  return {
    add(dataset, problem) {
      const key = problemKey(dataset, problem.id);
      if (seen.has(key)) return;
      seen.add(key);
      writeSync(fd, `${problemLine(dataset, problem)}\n`);
    },
    close() {
      if (open) closeSync(fd);
      open = false;
    },
  };
}

/** problems.jsonl of a run, by problemKey; empty when the run has none. */
export function readProblemsFile(runDir: string): Map<string, StoredProblem> {
  const problems = new Map<string, StoredProblem>();
  const path = join(runDir, PROBLEMS_FILE);
  if (!existsSync(path)) return problems;
  for (const record of readRecords(path)) {
    const dataset = stringField(record, 'dataset') ?? '';
    const id = stringField(record, 'id') ?? '';
    problems.set(problemKey(dataset, id), { dataset, id, question: stringField(record, 'question') ?? '', answer: stringField(record, 'answer') ?? '' });
  }
  return problems;
}
