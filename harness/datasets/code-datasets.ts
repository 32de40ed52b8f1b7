/**
 * Built-in code datasets: HumanEval (Chen et al. 2021) and MBPP (Austin et al. 2021), full test
 * split and the hand-verified sanitized set, with the prompt formats their papers use; and
 * EvalPlus's HumanEval+ and MBPP+ (Liu et al. 2023), the same problems with many more tests.
 */
import { z } from 'zod';
import { DatasetError } from '../core/errors.ts';
import type { CodeTask, Problem } from '../core/types.ts';
import { readDatasetRecords } from './jsonl.ts';
import { locateDatasetFile, type DatasetFileSpec } from './locate.ts';
import type { DatasetDefinition, DatasetLocations } from './types.ts';

/** First and last task id of MBPP's test split (the authors' convention; 1–10 are few-shot examples). */
export const mbppTestSplit = { firstTaskId: 11, lastTaskId: 510 } as const;

const humanEvalRecord = z.object({
  task_id: z.string(),
  prompt: z.string(),
  canonical_solution: z.string(),
  test: z.string(),
  entry_point: z.string(),
});

const mbppRecord = z.object({
  task_id: z.coerce.number().int(),
  text: z.string(),
  code: z.string(),
  test_list: z.array(z.string()),
  test_setup_code: z.string().default(''),
  challenge_test_list: z.array(z.string()).nullish(),
});

const sanitizedMbppRecord = z.object({
  task_id: z.coerce.number().int(),
  prompt: z.string(),
  code: z.string(),
  test_list: z.array(z.string()),
  test_imports: z.array(z.string()).default([]),
});

// EvalPlus's MBPP+ as the Hub serves it (evalplus/mbppplus): `test` is the extended test script
// (inputs, expected results and an `assertion` helper) run after the code; `test_list` holds the
// three original asserts, which the prompt shows.
const mbppPlusRecord = z.object({
  task_id: z.coerce.number().int(),
  prompt: z.string(),
  code: z.string(),
  test: z.string(),
  test_list: z.array(z.string()),
  test_imports: z.array(z.string()).nullish(),
});

function parseRecords<T>(schema: z.ZodType<T>, records: ReadonlyArray<Record<string, unknown>>, path: string): T[] {
  return records.map((record, index) => {
    const parsed = schema.safeParse(record);
    if (!parsed.success) {
      throw new DatasetError('DATASET_FORMAT', `${path}: record ${index + 1} does not have the expected fields: ${parsed.error.message}`, {
        hint: 'Use the dataset file as published (HumanEval.jsonl, mbpp.jsonl, sanitized-mbpp.json).',
      });
    }
    return parsed.data;
  });
}

/** The function name MBPP's asserts call: the reference code's top-level function that the tests use. */
export function mbppEntryPoint(code: string, tests: readonly string[]): string {
  const testText = tests.join('\n');
  const defined = [...code.matchAll(/^def[ \t]+([A-Za-z_]\w*)[ \t]*\(/gm)].map((match) => match[1] ?? '');
  const called = defined.filter((name) => new RegExp(`\\b${name}\\s*\\(`).test(testText));
  if (called.length > 0) return called[called.length - 1] ?? '';
  const firstCall = /assert\s+(?:not\s+)?\(?\s*(?:(?:set|sorted|list|tuple|abs|round|math\.isclose)\s*\()?\s*([A-Za-z_]\w*)\s*\(/.exec(testText);
  return firstCall?.[1] ?? defined[0] ?? '';
}

function inTestSplit(taskId: number): boolean {
  return taskId >= mbppTestSplit.firstTaskId && taskId <= mbppTestSplit.lastTaskId;
}

const humanEvalFile: DatasetFileSpec = {
  folder: 'humaneval',
  file: 'HumanEval.jsonl',
  hubRepo: 'openai/openai_humaneval',
  hubPath: 'openai_humaneval/test-00000-of-00001.parquet',
};

const mbppFile: DatasetFileSpec = {
  folder: 'mbpp',
  file: 'mbpp.jsonl',
  hubRepo: 'google-research-datasets/mbpp',
  hubPath: 'full/test-00000-of-00001.parquet',
};

const sanitizedMbppFile: DatasetFileSpec = {
  folder: 'mbpp',
  file: 'sanitized-mbpp.jsonl',
  hubRepo: 'google-research-datasets/mbpp',
  hubPath: 'sanitized/test-00000-of-00001.parquet',
};

const humanEvalPlusFile: DatasetFileSpec = {
  folder: 'humaneval-plus',
  file: 'test.parquet',
  hubRepo: 'evalplus/humanevalplus',
  hubRevision: 'refs/convert/parquet',
  hubPath: 'default/test/0000.parquet',
};

const mbppPlusFile: DatasetFileSpec = {
  folder: 'mbpp-plus',
  file: 'test.parquet',
  hubRepo: 'evalplus/mbppplus',
  hubRevision: 'refs/convert/parquet',
  hubPath: 'default/test/0000.parquet',
};

function humanEvalProblems(records: ReadonlyArray<z.infer<typeof humanEvalRecord>>): Problem[] {
  return records.map((record) => ({
    id: record.task_id,
    question: record.prompt,
    answer: '',
    solution: record.canonical_solution,
    code: {
      prompt: record.prompt,
      test: record.test,
      entryPoint: record.entry_point,
      canonicalSolution: record.canonical_solution,
    },
  }));
}

/** Loads HumanEval's 164 problems. */
export async function loadHumanEval(locations: DatasetLocations): Promise<Problem[]> {
  const path = locateDatasetFile(humanEvalFile, locations);
  return humanEvalProblems(parseRecords(humanEvalRecord, await readDatasetRecords(path), path));
}

/** Loads HumanEval+'s 164 problems: HumanEval's prompts with EvalPlus's extended `check` (about 80x the tests). */
export async function loadHumanEvalPlus(locations: DatasetLocations): Promise<Problem[]> {
  const path = locateDatasetFile(humanEvalPlusFile, locations);
  return humanEvalProblems(parseRecords(humanEvalRecord, await readDatasetRecords(path), path));
}

/** Loads MBPP+'s problems (378 in EvalPlus v0.2): the prompt shows the original asserts, the extended script judges. */
export async function loadMbppPlus(locations: DatasetLocations): Promise<Problem[]> {
  const path = locateDatasetFile(mbppPlusFile, locations);
  return parseRecords(mbppPlusRecord, await readDatasetRecords(path), path).map((record) => {
    const problem = mbppProblem(record.task_id, record.prompt, record.code, record.test_list, (record.test_imports ?? []).join('\n'));
    const code = problem.code as CodeTask;
    return { ...problem, code: { ...code, test: record.test, shownTests: record.test_list.join('\n') } };
  });
}

/** An MBPP problem (full or sanitized set): the tests are its asserts, `setup` the code run before them. */
function mbppProblem(taskId: number, question: string, code: string, tests: readonly string[], setup: string): Problem {
  return {
    id: `mbpp/${taskId}`,
    question,
    answer: '',
    solution: code,
    code: {
      prompt: '',
      test: tests.join('\n'),
      entryPoint: mbppEntryPoint(code, tests),
      ...(setup.trim() === '' ? {} : { setup }),
      canonicalSolution: code,
    },
    tags: { taskId },
  };
}

/** Loads MBPP's test split (task ids 11–510, 500 problems). */
export async function loadMbpp(locations: DatasetLocations): Promise<Problem[]> {
  const path = locateDatasetFile(mbppFile, locations);
  return parseRecords(mbppRecord, await readDatasetRecords(path), path)
    .filter((record) => inTestSplit(record.task_id))
    .map((record) => mbppProblem(record.task_id, record.text, record.code, record.test_list, record.test_setup_code));
}

/** Loads the sanitized MBPP problems of the test split (257 problems). */
export async function loadSanitizedMbpp(locations: DatasetLocations): Promise<Problem[]> {
  const path = locateDatasetFile(sanitizedMbppFile, locations);
  return parseRecords(sanitizedMbppRecord, await readDatasetRecords(path), path)
    .filter((record) => inTestSplit(record.task_id))
    .map((record) => mbppProblem(record.task_id, record.prompt, record.code, record.test_list, record.test_imports.join('\n')));
}

/** The built-in code datasets: `humaneval`, `mbpp`, `mbpp-sanitized`, `humaneval-plus`, `mbpp-plus`. */
export const codeDatasets: DatasetDefinition[] = [
  {
    id: 'humaneval',
    description: 'HumanEval: 164 hand-written Python functions with unit tests (Chen et al. 2021)',
    source: 'Hub openai/openai_humaneval (openai/human-eval HumanEval.jsonl)',
    verifier: 'code',
    files: [humanEvalFile],
    load: loadHumanEval,
  },
  {
    id: 'mbpp',
    description: 'MBPP test split: 500 basic Python problems, task ids 11-510 (Austin et al. 2021)',
    source: 'Hub google-research-datasets/mbpp, config full (google-research mbpp/mbpp.jsonl)',
    verifier: 'code',
    files: [mbppFile],
    load: loadMbpp,
  },
  {
    id: 'mbpp-sanitized',
    description: 'MBPP sanitized: the 257 hand-verified test-split problems (Austin et al. 2021)',
    source: 'Hub google-research-datasets/mbpp, config sanitized (google-research mbpp/sanitized-mbpp.json)',
    verifier: 'code',
    files: [sanitizedMbppFile],
    load: loadSanitizedMbpp,
  },
  {
    id: 'humaneval-plus',
    description: 'HumanEval+: HumanEval with EvalPlus extended tests, about 80x as many (Liu et al. 2023)',
    source: 'Hub evalplus/humanevalplus, split test (parquet conversion)',
    verifier: 'code',
    files: [humanEvalPlusFile],
    load: loadHumanEvalPlus,
  },
  {
    id: 'mbpp-plus',
    description: 'MBPP+: sanitized MBPP problems with EvalPlus extended tests (Liu et al. 2023)',
    source: 'Hub evalplus/mbppplus, split test (parquet conversion)',
    verifier: 'code',
    files: [mbppPlusFile],
    load: loadMbppPlus,
  },
];

/** Style of a code prompt: raw text a completion model continues, or a chat message. */
export type CodePromptStyle = 'completion' | 'chat';

/**
 * The prompt for a code problem.
 *
 * HumanEval (a task with a `prompt`): completion style is the function prompt as-is (Codex
 * paper); chat style asks for the completed function in a fenced block, quoting the prompt.
 *
 * MBPP (a task without a `prompt`): the paper's format, "You are an expert Python programmer,
 * and here is your task: {text} Your code should pass these tests:\n\n{tests}\n", zero-shot
 * (the paper's three few-shot examples, tasks 2–4, are not built in); completion style ends
 * with `[BEGIN]\n` as the paper's prompts do, so the answer is cut at `[DONE]`.
 */
export function codePrompt(problem: Problem, style: CodePromptStyle): string {
  const task = problem.code;
  if (!task) {
    throw new DatasetError('DATASET_NOT_CODE', `problem '${problem.id}' is not a code problem`, {
      hint: 'codePrompt needs a problem with `code` (humaneval, mbpp, mbpp-sanitized).',
    });
  }
  if (task.prompt !== '') {
    if (style === 'completion') return task.prompt;
    return (
      'Complete the following Python function. Reply with the whole function, including the imports it needs, ' +
      `in a \`\`\`python code block.\n\n\`\`\`python\n${task.prompt}\`\`\`\n`
    );
  }
  const header = `You are an expert Python programmer, and here is your task: ${problem.question} Your code should pass these tests:\n\n${task.shownTests ?? task.test}\n`;
  if (style === 'completion') return `${header}[BEGIN]\n`;
  return `${header}\nWrite the code in a \`\`\`python code block.\n`;
}
