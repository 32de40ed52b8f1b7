/**
 * Generic JSON Lines: either scaling-bench's own sample records (`v: 1`, `cell`, `problem`,
 * `index`, ...; a run's samples.jsonl), or one sample per line as
 * `{ problem | task_id | id, completion | text | response | output, correct?, answer?, index?, model?, dataset? }`.
 * Consecutive lines of the same cell and problem form one group; a problem that reappears later
 * continues its numbering. A run directory (or its samples.jsonl) is read with the run's
 * problems.jsonl, so its problems keep their questions, gold answers and tests.
 */
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { DatasetError } from '../../core/errors.ts';
import type { Problem, Usage, VerifierKind } from '../../core/types.ts';
import { readJsonLines } from '../read-records.ts';
import { problemKey, PROBLEMS_FILE, readProblemsFile, type StoredProblem } from '../../store/problems-file.ts';
import type { ProblemTimeLimit } from '../../core/problem-time-limit.ts';
import { SAMPLES_FILE } from '../../store/sample-log.ts';
import { isRunDirectory, listSourceFiles } from '../source-files.ts';
import type { FormatReader, FormatReadOptions, ImportedCell, ImportedProblem, ImportedSample } from '../types.ts';

const ownRecordSchema = z.object({
  v: z.literal(1),
  cell: z.string(),
  problem: z.string(),
  index: z.number().int().nonnegative(),
  seed: z.number().optional(),
  status: z.enum(['ok', 'error']),
  text: z.string().optional(),
  usage: z.object({ promptTokens: z.number(), completionTokens: z.number(), thinkingTokens: z.number(), estimated: z.boolean().optional() }).optional(),
  verdict: z.object({ correct: z.boolean(), answer: z.string().nullable() }).loose().optional(),
  recorded: z.object({ correct: z.boolean() }).optional(),
});

const scalar = z.union([z.string(), z.number()]);
const plainLineSchema = z.object({
  problem: scalar.optional(),
  task_id: scalar.optional(),
  id: scalar.optional(),
  completion: z.string().optional(),
  text: z.string().optional(),
  response: z.string().optional(),
  output: z.string().optional(),
  correct: z.union([z.boolean(), z.number()]).optional(),
  passed: z.boolean().optional(),
  answer: scalar.nullish(),
  target: scalar.nullish(),
  gt: scalar.nullish(),
  gt_answer: scalar.nullish(),
  question: z.string().optional(),
  prompt: z.string().optional(),
  test: z.string().optional(),
  entry_point: z.string().optional(),
  index: z.number().int().nonnegative().optional(),
  model: z.string().optional(),
  dataset: z.string().optional(),
  verifier: z.enum(['math', 'gsm8k', 'code', 'stdio', 'exact', 'multiple-choice']).optional(),
});

/** Splits a cell id `model/dataset/think<budget>/t<temperature>` (the model label may contain `/`). */
export function parseCellId(id: string): ImportedCell {
  const parts = id.split('/');
  const temperature = parts.at(-1);
  const think = parts.at(-2);
  if (parts.length >= 4 && temperature?.startsWith('t') && think?.startsWith('think')) {
    return { model: parts.slice(0, -3).join('/'), dataset: parts.at(-3) ?? 'unknown', thinkingBudget: Number(think.slice(5)), temperature: Number(temperature.slice(1)) };
  }
  return { model: id, dataset: 'unknown', temperature: 0 };
}

function verifierForDataset(dataset: string): VerifierKind {
  if (dataset.includes('gsm8k')) return 'gsm8k';
  if (dataset.includes('humaneval') || dataset.includes('mbpp')) return 'code';
  if (dataset.includes('math') || dataset.includes('aime')) return 'math';
  return 'exact';
}

interface Grouped {
  key: string;
  cell: ImportedCell;
  problem: Problem;
  verifierKind: VerifierKind;
  sample: ImportedSample;
  timeLimit?: ProblemTimeLimit;
}

function usageOf(usage: NonNullable<z.infer<typeof ownRecordSchema>['usage']>): Usage {
  const { estimated, ...counts } = usage;
  return estimated === undefined ? counts : { ...counts, estimated };
}

/** Files to read, and the problems of the run they belong to (empty when the source is no run). */
function runSource(source: string): { files: string[]; problems: Map<string, StoredProblem> } {
  if (isRunDirectory(source)) return { files: [join(source, SAMPLES_FILE)], problems: readProblemsFile(source) };
  const files = listSourceFiles(source, ['.jsonl', '.ndjson']).filter((file) => basename(file) !== PROBLEMS_FILE);
  const runDirs = new Set(files.filter((file) => basename(file) === SAMPLES_FILE).map((file) => dirname(file)));
  const problems = new Map<string, StoredProblem>();
  for (const dir of runDirs) for (const [key, problem] of readProblemsFile(dir)) problems.set(key, problem);
  return { files, problems };
}

function fromOwnRecord(record: z.infer<typeof ownRecordSchema>, options: FormatReadOptions, problems: Map<string, StoredProblem>): Grouped | undefined {
  if (record.status !== 'ok' || record.text === undefined) return undefined;
  const parsedCell = parseCellId(record.cell);
  const cell: ImportedCell = {
    ...parsedCell,
    ...(options.model === undefined ? {} : { model: options.model }),
    ...(options.dataset === undefined ? {} : { dataset: options.dataset }),
    ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
  };
  const recordedCorrect = record.recorded?.correct ?? record.verdict?.correct;
  const sample: ImportedSample = {
    text: record.text,
    index: record.index,
    ...(record.seed === undefined ? {} : { seed: record.seed }),
    ...(recordedCorrect === undefined ? {} : { recorded: { correct: recordedCorrect, answer: record.verdict?.answer ?? null } }),
    ...(record.usage === undefined ? {} : { usage: usageOf(record.usage) }),
  };
  const stored = problems.get(problemKey(parsedCell.dataset, record.problem));
  const problem: Problem = {
    id: record.problem,
    question: stored?.question ?? '',
    answer: stored?.answer ?? '',
    ...(stored?.code === undefined ? {} : { code: stored.code }),
    ...(stored?.stdio === undefined ? {} : { stdio: stored.stdio }),
  };
  const verifierKind = stored?.verifier ?? (problem.code ? 'code' : verifierForDataset(cell.dataset));
  const timeLimit = stored?.timeLimit === undefined ? {} : { timeLimit: stored.timeLimit };
  return { key: `${record.cell}\u0000${record.problem}`, cell, problem, verifierKind, sample, ...timeLimit };
}

function fromPlainLine(line: z.infer<typeof plainLineSchema>, where: string, file: string, options: FormatReadOptions): Grouped {
  const id = line.problem ?? line.task_id ?? line.id;
  const text = line.completion ?? line.text ?? line.response ?? line.output;
  if (id === undefined || text === undefined) {
    throw new DatasetError('IMPORT_BAD_ROW', `${where} has no problem id or no sample text`, {
      hint: 'Generic lines need a problem id (problem, task_id or id) and a text (completion, text, response or output).',
    });
  }
  const dataset = options.dataset ?? line.dataset ?? basename(file).replace(/\.jsonl$/, '');
  const cell: ImportedCell = { model: options.model ?? line.model ?? 'unknown-model', dataset, temperature: options.temperature ?? 0 };
  const gold = line.answer ?? line.target ?? line.gt ?? line.gt_answer;
  const problem: Problem = {
    id: String(id),
    question: line.question ?? line.prompt ?? '',
    answer: gold === null || gold === undefined ? '' : String(gold),
    ...(line.test !== undefined && line.entry_point !== undefined ? { code: { prompt: line.prompt ?? '', test: line.test, entryPoint: line.entry_point } } : {}),
  };
  const correct = line.correct ?? line.passed;
  const sample: ImportedSample = {
    text,
    ...(line.index === undefined ? {} : { index: line.index }),
    ...(correct === undefined ? {} : { recorded: { correct: Boolean(correct) } }),
  };
  return { key: `${cell.model}\u0000${cell.dataset}\u0000${problem.id}`, cell, problem, verifierKind: line.verifier ?? (problem.code ? 'code' : verifierForDataset(dataset)), sample };
}

/** Reads generic JSON Lines sample files (our own sample logs included). */
export const jsonlFormat: FormatReader = {
  name: 'jsonl',
  async *read(source, options) {
    let count = 0;
    let current: ImportedProblem | undefined;
    let currentKey: string | undefined;
    const { files, problems } = runSource(source);
    for (const file of files) {
      for await (const row of readJsonLines(file)) {
        let grouped: Grouped | undefined;
        if (row.value.v === 1 && typeof row.value.cell === 'string') {
          const parsed = ownRecordSchema.safeParse(row.value);
          if (!parsed.success) throw new DatasetError('IMPORT_BAD_ROW', `${row.where} is not a scaling-bench sample record`, { hint: 'Sample records need v, cell, problem, index and status.' });
          grouped = fromOwnRecord(parsed.data, options, problems);
        } else {
          const parsed = plainLineSchema.safeParse(row.value);
          if (!parsed.success) throw new DatasetError('IMPORT_BAD_ROW', `${row.where}: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`, { hint: 'Pass the right --format.' });
          grouped = fromPlainLine(parsed.data, row.where, file, options);
        }
        if (!grouped) continue;
        if (current && currentKey === grouped.key) {
          current.samples.push(grouped.sample);
          continue;
        }
        if (current) {
          yield current;
          count += 1;
        }
        if (options.limit !== undefined && count >= options.limit) return;
        current = { cell: grouped.cell, problem: grouped.problem, verifierKind: grouped.verifierKind, samples: [grouped.sample], ...(grouped.timeLimit === undefined ? {} : { timeLimit: grouped.timeLimit }) };
        currentKey = grouped.key;
      }
    }
    if (current) yield current;
  },
};
