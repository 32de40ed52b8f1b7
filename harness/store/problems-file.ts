/**
 * problems.jsonl: the problems of a run (dataset, id, question, gold answer, a code problem's
 * prompt and tests, and the time limit its samples were judged with), one per line, so reports, judges, reward models and regrading need no access
 * to the datasets. Written by `run`, `import` and `merge`; a run without one still reports, with
 * empty questions.
 */
import { existsSync } from 'node:fs';
import { openAtomicFile, writeFileAtomic } from './atomic-file.ts';
import { join } from 'node:path';
import type { ProblemTimeLimit, TimeLimitSource } from '../core/problem-time-limit.ts';
import type { CodeTask, Problem, StdioTask, StdioTest, VerifierKind } from '../core/types.ts';
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
  /** A code problem's prompt, tests and entry point. */
  code?: CodeTask;
  /** A stdin/stdout problem's tests (inline, or the public ones and the file of all) and limits. */
  stdio?: StdioTask;
  /** Verifier that judges the problem's samples, when the writer knew it. */
  verifier?: VerifierKind;
  /** The per-problem time limit the samples were judged with (function-style code with reference-based limits). */
  timeLimit?: ProblemTimeLimit;
}

const verifierKinds: readonly VerifierKind[] = ['math', 'gsm8k', 'code', 'stdio', 'exact', 'multiple-choice'];

/** Key of a problem in the map readProblemsFile returns. */
export function problemKey(dataset: string, id: string): string {
  return `${dataset}\u0000${id}`;
}

/** The fields of a problem that problems.jsonl keeps. */
type ProblemText = Pick<Problem, 'id' | 'question' | 'answer' | 'code' | 'stdio'>;

function problemLine(dataset: string, problem: ProblemText, verifier: VerifierKind | undefined, timeLimit: ProblemTimeLimit | undefined): string {
  const code = problem.code === undefined ? {} : { code: withoutSolution(problem.code) };
  const stdio = problem.stdio === undefined ? {} : { stdio: withoutSolutions(problem.stdio) };
  const limit = timeLimit === undefined ? {} : { timeLimit };
  return JSON.stringify({ dataset, id: problem.id, question: problem.question, answer: problem.answer, ...code, ...stdio, ...(verifier === undefined ? {} : { verifier }), ...limit });
}

const timeLimitSources: readonly TimeLimitSource[] = ['reference', 'no-reference', 'reference-failed'];

function timeLimitField(value: unknown): ProblemTimeLimit | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const source = timeLimitSources.find((kind) => kind === record.source);
  const { timeoutMs, referenceRuntimeMs, factor, floorMs } = record;
  if (source === undefined || typeof timeoutMs !== 'number' || typeof factor !== 'number' || typeof floorMs !== 'number') return undefined;
  if (referenceRuntimeMs !== null && typeof referenceRuntimeMs !== 'number') return undefined;
  return { timeoutMs, referenceRuntimeMs, source, factor, floorMs };
}

function withoutSolution(code: CodeTask): CodeTask {
  const { canonicalSolution: _solution, ...rest } = code;
  return rest;
}

function withoutSolutions(stdio: StdioTask): StdioTask {
  const { solutions: _solutions, ...rest } = stdio;
  return rest;
}

function stdioTest(value: unknown): StdioTest | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const input = stringField(record, 'input');
  const output = stringField(record, 'output');
  if (input === undefined || output === undefined) return undefined;
  const source = record.source === 'public' || record.source === 'private' || record.source === 'generated' ? record.source : undefined;
  return { input, output, ...(source === undefined ? {} : { source }) };
}

function stdioField(value: unknown): StdioTask | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if (!Array.isArray(record.tests)) return undefined;
  const tests = record.tests.map(stdioTest).filter((test): test is StdioTest => test !== undefined);
  const number = (key: string): number | undefined => (typeof record[key] === 'number' ? (record[key] as number) : undefined);
  const testsFile = stringField(record, 'testsFile');
  const optional = { testsFile, testCount: number('testCount'), timeLimitMs: number('timeLimitMs'), memoryLimitBytes: number('memoryLimitBytes') };
  return { tests, ...Object.fromEntries(Object.entries(optional).filter(([, entry]) => entry !== undefined)) };
}

function codeField(value: unknown): CodeTask | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const prompt = stringField(record, 'prompt');
  const test = stringField(record, 'test');
  const entryPoint = stringField(record, 'entryPoint');
  if (prompt === undefined || test === undefined || entryPoint === undefined) return undefined;
  const setup = stringField(record, 'setup');
  return { prompt, test, entryPoint, ...(setup === undefined ? {} : { setup }) };
}

/** A dataset as writeProblemsFile takes it. */
export interface ProblemsFileDataset {
  /** Dataset id. */
  id: string;
  /** Its problems. */
  problems: readonly Problem[];
  /** Verifier of its samples. */
  verifier?: VerifierKind;
  /** Per-problem time limits used, by problem id (resolveFunctionTimeLimits); recorded as each problem's `timeLimit`. */
  timeLimits?: ReadonlyMap<string, ProblemTimeLimit>;
}

/** Writes the whole problems.jsonl of a run at once. */
export function writeProblemsFile(runDir: string, datasets: Iterable<ProblemsFileDataset>): void {
  const lines: string[] = [];
  for (const dataset of datasets) {
    for (const problem of dataset.problems) lines.push(problemLine(dataset.id, problem, dataset.verifier, dataset.timeLimits?.get(problem.id)));
  }
  writeFileAtomic(join(runDir, PROBLEMS_FILE), lines.length === 0 ? '' : `${lines.join('\n')}\n`, { errorCode: 'PROBLEMS_FILE_WRITE_FAILED' });
}

/** Writes problems.jsonl one problem at a time (for imports that stream), each problem once. */
export interface ProblemsWriter {
  /** Adds a problem unless it was added before (same dataset and id), with the time limit its samples were judged with, if any. */
  add(dataset: string, problem: ProblemText, verifier?: VerifierKind, timeLimit?: ProblemTimeLimit): void;
  /** Completes the file: it replaces the previous problems.jsonl only now (atomic). */
  close(): void;
  /** Drops what was written (the previous problems.jsonl stays). */
  abort(): void;
}

/** Opens a fresh problems.jsonl in `runDir` for streaming writes; it replaces an old one atomically on close. */
export function openProblemsWriter(runDir: string): ProblemsWriter {
  const file = openAtomicFile(join(runDir, PROBLEMS_FILE), { errorCode: 'PROBLEMS_FILE_WRITE_FAILED' });
  const seen = new Set<string>();
  let open = true;
  return {
    add(dataset, problem, verifier, timeLimit) {
      const key = problemKey(dataset, problem.id);
      if (seen.has(key)) return;
      seen.add(key);
      file.write(`${problemLine(dataset, problem, verifier, timeLimit)}\n`);
    },
    close() {
      if (open) file.commit();
      open = false;
    },
    abort() {
      if (open) file.abort();
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
    const code = codeField(record.code);
    const stdio = stdioField(record.stdio);
    const verifier = verifierKinds.find((kind) => kind === record.verifier);
    const timeLimit = timeLimitField(record.timeLimit);
    problems.set(problemKey(dataset, id), {
      dataset,
      id,
      question: stringField(record, 'question') ?? '',
      answer: stringField(record, 'answer') ?? '',
      ...(code === undefined ? {} : { code }),
      ...(stdio === undefined ? {} : { stdio }),
      ...(verifier === undefined ? {} : { verifier }),
      ...(timeLimit === undefined ? {} : { timeLimit }),
    });
  }
  return problems;
}
