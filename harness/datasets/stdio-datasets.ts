/**
 * stdin/stdout datasets (verifier `stdio`): CodeContests (Li et al. 2022, the AlphaCode test
 * split of 165 problems, as Large Language Monkeys evaluates it) and user files of stdin/stdout
 * problems.
 *
 * CodeContests' generated tests run to hundreds of megabytes, so they are never held in memory:
 * the first load streams the dataset file one row group at a time and writes each problem's tests
 * to a JSON Lines file in scaling-bench's cache (`<cacheDir>/stdio-tests/<key>/<index>.jsonl`,
 * the key derived from the source file's path, size and time), then a small index of the
 * problems. Later loads read only the index; the verifier reads a problem's tests one at a time.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { openAtomicFile, writeFileAtomic, type AtomicFileOptions } from '../core/atomic-file.ts';
import { DatasetError } from '../core/errors.ts';
import type { Problem, StdioTask, StdioTest } from '../core/types.ts';
import { readRecords } from './jsonl.ts';
import { locateDatasetFile, type DatasetFileSpec } from './locate.ts';
import { readParquetRows, type SourceRow } from './parquet-rows.ts';
import type { DatasetDefinition, DatasetLocations } from './types.ts';

/** CodeContests' test split, as the Hub's parquet conversion of `deepmind/code_contests` serves it. */
export const codeContestsFile: DatasetFileSpec = {
  folder: 'code_contests',
  file: 'test.parquet',
  hubRepo: 'deepmind/code_contests',
  hubRevision: 'refs/convert/parquet',
  hubPath: 'default/test/0000.parquet',
};

/** CodeContests' language id of Python 3 solutions. */
const PYTHON3_LANGUAGE = 3;

/** Markers of problems whose statement relies on an image; Large Language Monkeys leaves them out (165 → 140). */
const IMAGE_TAGS: readonly string[] = ['<image>', '[Image]'];

/** Reference solutions kept per problem (for measuring the reference runtime and checking the dataset). */
const SOLUTIONS_KEPT = 5;

const bigintAsNumber = z.union([z.number(), z.bigint(), z.string()]).transform((value) => Number(value));

const testsColumn = z
  .object({ input: z.array(z.string()).nullish(), output: z.array(z.string()).nullish() })
  .nullish();

const codeContestsRow = z.object({
  name: z.string(),
  description: z.string(),
  public_tests: testsColumn,
  private_tests: testsColumn,
  generated_tests: testsColumn,
  solutions: z.object({ language: z.array(bigintAsNumber).nullish(), solution: z.array(z.string()).nullish() }).nullish(),
  time_limit: z.object({ seconds: bigintAsNumber.nullish(), nanos: bigintAsNumber.nullish() }).nullish(),
  memory_limit_bytes: bigintAsNumber.nullish(),
  difficulty: bigintAsNumber.nullish(),
  source: bigintAsNumber.nullish(),
  cf_rating: bigintAsNumber.nullish(),
});

type CodeContestsRow = z.infer<typeof codeContestsRow>;

const ROW_COLUMNS = Object.keys(codeContestsRow.shape);

/** A problem as the cache index keeps it: everything but the tests beyond the public ones. */
interface IndexedProblem {
  problem: Problem;
  hasImage: boolean;
}

function pairTests(column: z.infer<typeof testsColumn>, source: StdioTest['source'], where: string): StdioTest[] {
  const inputs = column?.input ?? [];
  const outputs = column?.output ?? [];
  if (inputs.length !== outputs.length) {
    throw new DatasetError('DATASET_FORMAT', `${where}: ${source} tests have ${inputs.length} inputs but ${outputs.length} outputs`, {
      hint: 'The dataset file may be damaged: delete it from the cache and run `scaling-bench datasets prepare code_contests`.',
    });
  }
  return inputs.map((input, index) => ({ input, output: outputs[index] ?? '', ...(source === undefined ? {} : { source }) }));
}

/** CodeContests' time limit in milliseconds, or undefined when the problem states none. */
export function timeLimitMs(limit: CodeContestsRow['time_limit']): number | undefined {
  if (!limit) return undefined;
  const ms = (limit.seconds ?? 0) * 1000 + (limit.nanos ?? 0) / 1e6;
  return ms > 0 ? ms : undefined;
}

function pythonSolutions(solutions: CodeContestsRow['solutions']): string[] {
  const languages = solutions?.language ?? [];
  const texts = solutions?.solution ?? [];
  // ASCII only, as Large Language Monkeys' few-shot selection does: non-ASCII solutions are often mis-encoded.
  return texts.filter((text, index) => languages[index] === PYTHON3_LANGUAGE && /^[\x00-\x7f]*$/.test(text)).slice(0, SOLUTIONS_KEPT);
}

function parseRow(row: SourceRow): CodeContestsRow {
  const parsed = codeContestsRow.safeParse(row.value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DatasetError('DATASET_FORMAT', `${row.where} is not a CodeContests row: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`, {
      hint: 'Use the test split of deepmind/code_contests as published (parquet or JSON Lines with name, description, public_tests, private_tests, generated_tests, time_limit).',
    });
  }
  return parsed.data;
}

/** The problem of a CodeContests row (tests inline; `materialize` moves them to a file). */
export function codeContestsProblem(row: CodeContestsRow, index: number, where: string): { problem: Problem; allTests: StdioTest[]; hasImage: boolean } {
  const publicTests = pairTests(row.public_tests, 'public', where);
  const allTests = [...publicTests, ...pairTests(row.private_tests, 'private', where), ...pairTests(row.generated_tests, 'generated', where)];
  const limit = timeLimitMs(row.time_limit);
  const solutions = pythonSolutions(row.solutions);
  const stdio: StdioTask = {
    tests: allTests,
    testCount: allTests.length,
    ...(limit === undefined ? {} : { timeLimitMs: limit }),
    ...(row.memory_limit_bytes ? { memoryLimitBytes: row.memory_limit_bytes } : {}),
    ...(solutions.length > 0 ? { solutions } : {}),
  };
  const tags: Record<string, string | number> = { name: row.name };
  if (row.difficulty !== null && row.difficulty !== undefined) tags.difficulty = row.difficulty;
  if (row.cf_rating) tags.cfRating = row.cf_rating;
  const hasImage = IMAGE_TAGS.some((tag) => row.description.includes(tag));
  return { problem: { id: String(index), question: row.description, answer: '', stdio, tags }, allTests, hasImage };
}

function rowsOf(path: string): AsyncGenerator<SourceRow> {
  if (path.endsWith('.parquet')) return readParquetRows(path, ROW_COLUMNS);
  return (async function* records(): AsyncGenerator<SourceRow> {
    for (const [index, value] of readRecords(path).entries()) yield { value, where: `${path}:${index + 1}` };
  })();
}

/** Folder of a dataset file's materialized tests: one per source file version. */
export function stdioTestsFolder(cacheDir: string, sourcePath: string): string {
  const stat = statSync(sourcePath);
  const key = createHash('sha256').update(`${resolve(sourcePath)}\u0000${stat.size}\u0000${stat.mtimeMs}`).digest('hex').slice(0, 16);
  return join(cacheDir, 'stdio-tests', key);
}

/** Cache writes fail as DATASET_CACHE_WRITE_FAILED, naming the file (the cache keeps its previous version). */
const cacheWrite: AtomicFileOptions = {
  onFailure: (path, cause) =>
    new DatasetError('DATASET_CACHE_WRITE_FAILED', `could not write the dataset cache file ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, {
      hint: `Free space where ${path} lives (see \`df -h\`) or point SCALING_BENCH_CACHE at a writable folder, then load the dataset again.`,
      cause,
    }),
};

/** Writes a problem's tests as JSON Lines, one test at a time, atomically. */
function writeTestsFile(path: string, tests: readonly StdioTest[]): void {
  const file = openAtomicFile(path, cacheWrite);
  try {
    for (const test of tests) file.write(`${JSON.stringify(test)}\n`);
    file.commit();
  } finally {
    file.abort();
  }
}

const INDEX_FILE = 'problems.json';

/** Streams the dataset once, writing each problem's tests to its own file and the index last. */
async function materialize(sourcePath: string, folder: string): Promise<void> {
  mkdirSync(folder, { recursive: true });
  const indexed: IndexedProblem[] = [];
  let index = 0;
  for await (const row of rowsOf(sourcePath)) {
    const { problem, allTests, hasImage } = codeContestsProblem(parseRow(row), index, row.where);
    const testsFile = join(folder, `${index}.jsonl`);
    writeTestsFile(testsFile, allTests);
    const stdio = problem.stdio as StdioTask;
    const publicTests = allTests.filter((test) => test.source === 'public');
    indexed.push({ problem: { ...problem, stdio: { ...stdio, tests: publicTests, testsFile } }, hasImage });
    index += 1;
  }
  writeFileAtomic(join(folder, INDEX_FILE), JSON.stringify(indexed), cacheWrite);
}

function readIndex(path: string): IndexedProblem[] {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as IndexedProblem[];
  } catch (error) {
    throw new DatasetError('DATASET_CACHE_CORRUPT', `the CodeContests test cache ${path} cannot be read`, {
      hint: `Delete the folder ${join(path, '..')} and load the dataset again: it is rebuilt from the dataset file.`,
      cause: error,
    });
  }
}

/**
 * Loads CodeContests' test split. With a cache folder (the default), tests live in per-problem
 * files; without one, every test is kept in memory.
 */
export async function loadCodeContests(locations: DatasetLocations, options: { withoutImages?: boolean } = {}): Promise<Problem[]> {
  const path = locateDatasetFile(codeContestsFile, locations);
  let indexed: IndexedProblem[];
  if (locations.cacheDir === undefined) {
    indexed = [];
    let index = 0;
    for await (const row of rowsOf(path)) {
      const { problem, hasImage } = codeContestsProblem(parseRow(row), index, row.where);
      indexed.push({ problem, hasImage });
      index += 1;
    }
  } else {
    const folder = stdioTestsFolder(locations.cacheDir, path);
    if (!existsSync(join(folder, INDEX_FILE))) await materialize(path, folder);
    indexed = readIndex(join(folder, INDEX_FILE));
  }
  return indexed.filter((entry) => !(options.withoutImages && entry.hasImage)).map((entry) => entry.problem);
}

const userTest = z.object({ input: z.string(), output: z.string() });

const userStdioRecord = z.object({
  tests: z.array(userTest).optional(),
  public_tests: testsColumn,
  private_tests: testsColumn,
  generated_tests: testsColumn,
  time_limit_ms: z.number().positive().optional(),
  timeLimitMs: z.number().positive().optional(),
  time_limit: z.object({ seconds: bigintAsNumber.nullish(), nanos: bigintAsNumber.nullish() }).nullish(),
  memory_limit_bytes: z.number().positive().optional(),
});

/**
 * A stdin/stdout problem from a user file record: `tests: [{input, output}]` (or CodeContests'
 * `public_tests` / `private_tests` / `generated_tests` columns), a time limit as `time_limit_ms`
 * (or CodeContests' `time_limit: {seconds, nanos}`), an optional `memory_limit_bytes`.
 */
export function userStdioProblem(record: Record<string, unknown>, id: string, question: string, where: string): Problem {
  const parsed = userStdioRecord.safeParse(record);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DatasetError('DATASET_FORMAT', `${where}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`, {
      hint: 'A stdin/stdout problem needs `tests: [{"input": "...", "output": "..."}]` and may set `time_limit_ms` and `memory_limit_bytes`.',
    });
  }
  const value = parsed.data;
  const tests = value.tests
    ? value.tests.map((test) => ({ input: test.input, output: test.output }))
    : [...pairTests(value.public_tests, 'public', where), ...pairTests(value.private_tests, 'private', where), ...pairTests(value.generated_tests, 'generated', where)];
  if (tests.length === 0) {
    throw new DatasetError('DATASET_FIELD_MISSING', `${where} has no tests`, {
      hint: 'Give each stdin/stdout problem `tests: [{"input": "...", "output": "..."}]`: without tests every program would pass.',
    });
  }
  const limit = value.time_limit_ms ?? value.timeLimitMs ?? timeLimitMs(value.time_limit);
  return {
    id,
    question,
    answer: '',
    stdio: {
      tests,
      testCount: tests.length,
      ...(limit === undefined ? {} : { timeLimitMs: limit }),
      ...(value.memory_limit_bytes === undefined ? {} : { memoryLimitBytes: value.memory_limit_bytes }),
    },
  };
}

/** The built-in stdin/stdout datasets. */
export const stdioDatasets: DatasetDefinition[] = [
  {
    id: 'code_contests',
    description: 'CodeContests test split: 165 competitive-programming problems judged on stdin/stdout tests (Li et al. 2022)',
    source: 'Hub deepmind/code_contests, split test (parquet conversion)',
    verifier: 'stdio',
    files: [codeContestsFile],
    load: (locations) => loadCodeContests(locations),
  },
  {
    id: 'code_contests-text',
    description: 'CodeContests test split without the 25 problems whose statement needs an image: the 140 Large Language Monkeys evaluates',
    source: 'Hub deepmind/code_contests, split test (parquet conversion)',
    verifier: 'stdio',
    files: [codeContestsFile],
    load: (locations) => loadCodeContests(locations, { withoutImages: true }),
  },
];
