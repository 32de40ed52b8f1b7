import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../harness/cli/main.ts';
import type { Problem, StdioTest } from '../../harness/core/types.ts';
import { codePrompt } from '../../harness/datasets/code-datasets.ts';
import { locationsFromEnv } from '../../harness/datasets/locate.ts';
import { buildPrompt } from '../../harness/datasets/prompts.ts';
import { loadDataset } from '../../harness/datasets/registry.ts';
import { loadCodeContests, stdioTestsFolder } from '../../harness/datasets/stdio-datasets.ts';
import { readProblemsFile, writeProblemsFile } from '../../harness/store/problems-file.ts';
import { captureCli } from '../helpers/capture-cli.ts';
import { rejection } from '../helpers/rejection.ts';
import { startFakeHub, type FakeHub } from '../fakes/fake-hub.ts';
import { sumProblemRow, writeCodeContestsParquet, writeHumanEvalPlusParquet, writeMbppPlusParquet } from './code-contests-fixture.ts';

const roots: string[] = [];
function tempFolder(prefix: string): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  roots.push(folder);
  return folder;
}
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function testsOf(problem: Problem): StdioTest[] {
  const file = problem.stdio?.testsFile;
  if (file === undefined) return problem.stdio?.tests ?? [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as StdioTest);
}

/** A local datasets folder (SCALING_BENCH_DATA layout) holding a CodeContests test parquet of `rows`. */
function dataDirWith(rows: Array<Record<string, unknown>>, rowsPerGroup = 2): string {
  const dataDir = tempFolder('sb-cc-data-');
  mkdirSync(join(dataDir, 'code_contests'));
  writeCodeContestsParquet(join(dataDir, 'code_contests', 'test.parquet'), rows, rowsPerGroup);
  return dataDir;
}

const fiveRows = [0, 1, 2, 3, 4].map((index) => sumProblemRow(index, { image: index === 3, noTimeLimit: index === 4 }));

describe('code_contests from the Hub', () => {
  let hub: FakeHub;
  beforeAll(async () => {
    hub = await startFakeHub();
    const folder = tempFolder('sb-cc-hub-');
    writeCodeContestsParquet(join(folder, 'test.parquet'), fiveRows);
    hub.addFile('deepmind/code_contests', 'refs/convert/parquet', 'default/test/0000.parquet', readFileSync(join(folder, 'test.parquet')));
  });
  afterAll(async () => {
    await hub.close();
  });

  it('`datasets prepare` downloads the parquet conversion, and runs then load every problem with its tests', async () => {
    const dir = tempFolder('sb-cc-prepare-');
    const env = { HF_ENDPOINT: hub.endpoint, HF_HUB_CACHE: join(dir, 'hub'), SCALING_BENCH_CACHE: join(dir, 'cache') };
    const prepare = captureCli(dir, env);
    expect(await main(['datasets', 'prepare', 'code_contests'], prepare)).toBe(0);
    expect(prepare.out()).toMatch(/^code_contests: .*datasets--deepmind--code_contests\/snapshots\/[0-9a-f]+\/default\/test\/0000\.parquet\n$/);
    expect(hub.requests.some((request) => request.path.includes('/resolve/refs%2Fconvert%2Fparquet/default/test/0000.parquet'))).toBe(true);

    const loaded = await loadDataset({ id: 'code_contests' }, locationsFromEnv(env), 1);
    expect(loaded.verifier).toBe('stdio');
    expect(loaded.problems.map((problem) => problem.id)).toEqual(['0', '1', '2', '3', '4']);
    const first = loaded.problems[0] as Problem;
    expect(first.question).toBe('Read two integers and print their sum.');
    expect(first.tags).toEqual({ name: '0_A. Sum 0', difficulty: 7 });
    expect(first.stdio?.tests).toEqual([{ input: '0 1\n', output: '1\n', source: 'public' }]);
    expect(first.stdio?.testCount).toBe(6);
    expect(first.stdio?.timeLimitMs).toBe(1500);
    expect(first.stdio?.memoryLimitBytes).toBe(256_000_000);
    // Python 3 solutions only, ASCII only (the third one has an 'é').
    expect(first.stdio?.solutions).toEqual(['a, b = map(int, input().split())\nprint(a + b)']);
    expect(testsOf(first)).toEqual([
      { input: '0 1\n', output: '1\n', source: 'public' },
      { input: '0 2\n', output: '2\n', source: 'private' },
      { input: '0 3\n', output: '3\n', source: 'private' },
      { input: '0 4\n', output: '4\n', source: 'generated' },
      { input: '0 5\n', output: '5\n', source: 'generated' },
      { input: '0 6\n', output: '6\n', source: 'generated' },
    ]);
    expect(first.stdio?.testsFile?.startsWith(join(dir, 'cache', 'stdio-tests'))).toBe(true);
    expect(loaded.problems[4]?.stdio?.timeLimitMs).toBeUndefined();
  });
});

describe('code_contests from a local datasets folder', () => {
  it('streams row group by row group into per-problem test files, once', async () => {
    const dataDir = dataDirWith(fiveRows, 2);
    const cacheDir = tempFolder('sb-cc-cache-');
    const problems = await loadCodeContests({ dataDir, cacheDir });
    expect(problems).toHaveLength(5);
    const folder = readdirSync(join(cacheDir, 'stdio-tests'));
    expect(folder).toHaveLength(1);
    const files = readdirSync(join(cacheDir, 'stdio-tests', folder[0] as string)).sort();
    expect(files).toEqual(['0.jsonl', '1.jsonl', '2.jsonl', '3.jsonl', '4.jsonl', 'problems.json']);
    const index = join(cacheDir, 'stdio-tests', folder[0] as string, 'problems.json');
    const before = statSync(index).mtimeMs;
    const again = await loadCodeContests({ dataDir, cacheDir });
    expect(again).toEqual(problems);
    expect(statSync(index).mtimeMs).toBe(before);
    for (const problem of problems) expect(testsOf(problem)).toHaveLength(6);
  });

  it('a cache file that cannot be written is DATASET_CACHE_WRITE_FAILED, with no temporary file left', async () => {
    const dataDir = dataDirWith(fiveRows.slice(0, 2));
    const cacheDir = tempFolder('sb-cc-cache-');
    const folder = stdioTestsFolder(cacheDir, join(dataDir, 'code_contests', 'test.parquet'));
    // A non-empty folder where problem 1's tests file goes: renaming the new file over it fails.
    mkdirSync(join(folder, '1.jsonl', 'blocker'), { recursive: true });
    const error = await rejection(loadCodeContests({ dataDir, cacheDir }));
    expect(error.code).toBe('DATASET_CACHE_WRITE_FAILED');
    expect(error.message).toMatch(new RegExp(`^could not write the dataset cache file ${join(folder, '1.jsonl')}: `));
    expect(error.hint).toMatch(/SCALING_BENCH_CACHE/);
    expect(readdirSync(folder).sort()).toEqual(['0.jsonl', '1.jsonl']);
  });

  it('code_contests-text leaves out the problems whose statement needs an image', async () => {
    const dataDir = dataDirWith(fiveRows);
    const loaded = await loadDataset({ id: 'code_contests-text' }, { dataDir, cacheDir: tempFolder('sb-cc-cache-') }, 1);
    expect(loaded.problems.map((problem) => problem.id)).toEqual(['0', '1', '2', '4']);
  });

  it('keeps every test in memory when there is no cache folder', async () => {
    const problems = await loadCodeContests({ dataDir: dataDirWith(fiveRows.slice(0, 1)) });
    expect(problems[0]?.stdio?.testsFile).toBeUndefined();
    expect(problems[0]?.stdio?.tests).toHaveLength(6);
  });

  it('names the row of a damaged file', async () => {
    const damaged = { ...sumProblemRow(0), private_tests: { input: ['1 2\n', '3 4\n'], output: ['3\n'] } };
    const error = await rejection(loadCodeContests({ dataDir: dataDirWith([sumProblemRow(9), damaged]), cacheDir: tempFolder('sb-cc-cache-') }));
    expect(error.code).toBe('DATASET_FORMAT');
    expect(error.message).toMatch(/test\.parquet#1: private tests have 2 inputs but 1 outputs$/);
  });

  it('says how to get the dataset when it is missing', async () => {
    const error = await rejection(loadCodeContests({ dataDir: tempFolder('sb-cc-empty-'), cacheDir: tempFolder('sb-cc-cache-') }));
    expect(error.code).toBe('DATASET_MISSING');
    expect(error.hint).toMatch(/scaling-bench datasets prepare code_contests/);
  });

  it('prompts as Large Language Monkeys does', async () => {
    const problems = await loadCodeContests({ dataDir: dataDirWith(fiveRows.slice(0, 1)) });
    const prompt = buildPrompt(problems[0] as Problem, { verifier: 'stdio', style: 'chat' });
    expect(prompt.kind === 'chat' ? prompt.messages.at(-1)?.content : undefined).toBe(
      'Q: Write python code to solve the following coding problem that obeys the constraints and passes the example test cases. ' +
        'The output code needs to read from and write to standard IO. Please wrap your code answer using ```:\nRead two integers and print their sum.\nA:',
    );
  });

  it('problems.jsonl keeps the tests file, the public tests and the limits, not the solutions', async () => {
    const problems = await loadCodeContests({ dataDir: dataDirWith(fiveRows.slice(0, 1)), cacheDir: tempFolder('sb-cc-cache-') });
    const runDir = tempFolder('sb-cc-run-');
    writeProblemsFile(runDir, [{ id: 'code_contests', problems, verifier: 'stdio' }]);
    const stored = readProblemsFile(runDir).get('code_contests\u00000');
    const { solutions: _solutions, ...expected } = problems[0]?.stdio ?? { tests: [] };
    expect(stored?.stdio).toEqual(expected);
    expect(stored?.verifier).toBe('stdio');
  });
});

describe('EvalPlus datasets', () => {
  it('mbpp-plus shows the original asserts in the prompt and judges with the extended script', async () => {
    const dataDir = tempFolder('sb-plus-');
    mkdirSync(join(dataDir, 'mbpp-plus'));
    writeMbppPlusParquet(join(dataDir, 'mbpp-plus', 'test.parquet'));
    const loaded = await loadDataset({ id: 'mbpp-plus' }, { dataDir }, 1);
    const problem = loaded.problems[0] as Problem;
    expect(problem.id).toBe('mbpp/2');
    expect(problem.code?.entryPoint).toBe('add_two');
    expect(problem.code?.test).toMatch(/^inputs = \[\[1, 2\], \[5, 7\], \[-1, 1\]\]\n/);
    const prompt = codePrompt(problem, 'chat');
    expect(prompt).toBe(
      'You are an expert Python programmer, and here is your task: Write a function to add two numbers. Your code should pass these tests:\n\nassert add_two(1, 2) == 3\n\nWrite the code in a ```python code block.\n',
    );
  });

  it('humaneval-plus reads HumanEval columns', async () => {
    const dataDir = tempFolder('sb-plus-');
    mkdirSync(join(dataDir, 'humaneval-plus'));
    writeHumanEvalPlusParquet(join(dataDir, 'humaneval-plus', 'test.parquet'));
    const loaded = await loadDataset({ id: 'humaneval-plus' }, { dataDir }, 1);
    expect(loaded.verifier).toBe('code');
    expect(loaded.problems[0]?.code).toEqual({
      prompt: 'def double(x):\n    """Twice x."""\n',
      test: 'def check(candidate):\n    for x in range(100):\n        assert candidate(x) == 2 * x\n',
      entryPoint: 'double',
      canonicalSolution: '    return 2 * x\n',
    });
  });
});

describe('user files of stdin/stdout problems', () => {
  function userFile(lines: unknown[]): string {
    const path = join(tempFolder('sb-stdio-user-'), 'problems.jsonl');
    writeFileSync(path, lines.map((line) => JSON.stringify(line)).join('\n'));
    return path;
  }

  it('reads `tests`, a time limit and a memory limit, or CodeContests-style columns', async () => {
    const path = userFile([
      { id: 'echo', question: 'Print the input.', tests: [{ input: 'hi\n', output: 'hi\n' }], time_limit_ms: 2000, memory_limit_bytes: 64_000_000 },
      { description: 'Sum.', public_tests: { input: ['1 2\n'], output: ['3\n'] }, private_tests: { input: ['2 2\n'], output: ['4\n'] }, time_limit: { seconds: 2, nanos: 0 } },
    ]);
    const loaded = await loadDataset({ id: 'mine', path, verifier: 'stdio' }, {}, 1);
    expect(loaded.problems).toEqual([
      { id: 'echo', question: 'Print the input.', answer: '', stdio: { tests: [{ input: 'hi\n', output: 'hi\n' }], testCount: 1, timeLimitMs: 2000, memoryLimitBytes: 64_000_000 } },
      {
        id: '1',
        question: 'Sum.',
        answer: '',
        stdio: {
          tests: [
            { input: '1 2\n', output: '3\n', source: 'public' },
            { input: '2 2\n', output: '4\n', source: 'private' },
          ],
          testCount: 2,
          timeLimitMs: 2000,
        },
      },
    ]);
  });

  it('refuses a problem without tests, naming the record', async () => {
    const path = userFile([{ question: 'No tests here.' }]);
    const error = await rejection(loadDataset({ id: 'mine', path, verifier: 'stdio' }, {}, 1));
    expect(error.code).toBe('DATASET_FIELD_MISSING');
    expect(error.message).toBe(`${path} record 1 has no tests`);
    expect(error.hint).toMatch(/tests: \[\{"input"/);
  });
});
