import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Problem, StdioTest } from '../../../harness/core/types.ts';
import { loadCodeContests } from '../../../harness/datasets/stdio-datasets.ts';
import { projectDatasets } from '../../../harness/datasets/project-datasets.ts';
import { outputsMatch, tokensMatch } from '../../../harness/verifiers/code/compare-output.ts';
import { createPythonPool } from '../../../harness/verifiers/code/run-python.ts';
import { createStdioVerifier, defaultStdioLimits, stdioTimeLimitMs } from '../../../harness/verifiers/code/stdio-verifier.ts';
import { SandboxError } from '../../../harness/verifiers/code/sandbox-error.ts';
import { rejection } from '../../helpers/rejection.ts';
import { sumProblemRow, writeCodeContestsParquet } from '../../datasets/code-contests-fixture.ts';

const pool = createPythonPool({ workers: 2 });
const verifier = createStdioVerifier({ pool });
const folders: string[] = [];
afterAll(async () => {
  await verifier.close?.();
  await pool.close();
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});
function tempFolder(prefix: string): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  folders.push(folder);
  return folder;
}

const definition = projectDatasets.find((dataset) => dataset.id === 'stdio-mini');
const problems = definition ? await definition.load({}) : [];
const byId = new Map(problems.map((problem) => [problem.id, problem]));
const problem = (id: string): Problem => {
  const found = byId.get(id);
  if (!found) throw new Error(`no problem ${id}`);
  return found;
};

describe('outputsMatch (CodeContests rules)', () => {
  it.each<[string, string, boolean]>([
    ['3\n', '3', true],
    ['1 2 3\n', '  1   2\n3  \n\n', true],
    ['YES\n', 'yes\n', false],
    ['3.141592654\n', '3.1415927\n', true],
    ['0.5\n', '0.5000001\n', true],
    ['0.5\n', '0.50001\n', false],
    ['1000000\n', '1000001\n', false],
    ['2000000000\n', '2000000000.0\n', true],
    ['1 2\n', '1 2 3\n', false],
    ['nan\n', 'nan\n', true],
  ])('%j against %j: %s', (expected, actual, match) => {
    expect(outputsMatch(expected, actual)).toBe(match);
  });

  it('compares integers exactly and floats within the tolerance', () => {
    expect(tokensMatch('10', '10.0000001')).toBe(true);
    expect(tokensMatch('10', '11')).toBe(false);
    expect(tokensMatch('1e9', '1000000001')).toBe(true);
    expect(tokensMatch('1e9', '1000002000')).toBe(false);
  });
});

describe('per-test limits', () => {
  it.each([
    [{ tests: [], timeLimitMs: 2000 }, 4000],
    [{ tests: [], timeLimitMs: 100 }, 1000],
    [{ tests: [], timeLimitMs: 60_000 }, 10_000],
    [{ tests: [] }, 4000],
  ])('%j -> %i ms', (task, expected) => {
    expect(stdioTimeLimitMs(task, defaultStdioLimits)).toBe(expected);
  });
});

describe('stdio-mini judged by the stdio verifier', () => {
  it('has problems, each with tests and a reference solution', () => {
    expect(problems.map((item) => item.id)).toEqual(['sum-two', 'reverse-words', 'mean', 'count-primes', 'matrix-transpose', 'circle-area']);
    expect(problems.every((item) => (item.stdio?.tests.length ?? 0) > 0 && item.stdio?.solutions?.length === 1)).toBe(true);
  });

  it('accepts every reference solution', async () => {
    const verdicts = await Promise.all(problems.map((item) => verifier.verify(item, item.stdio?.solutions?.[0] ?? '')));
    expect(verdicts.map((verdict) => verdict.reason)).toEqual(problems.map(() => 'accepted'));
  });

  it.each<[string, string, string]>([
    ['sum-two', '```python\na, b = map(int, input().split())\nprint(a + b)\n```', 'accepted'],
    ['sum-two', 'Here is my answer:\n```python\nimport sys\na, b = map(int, sys.stdin.read().split())\nsys.stdout.write(f"  {a + b}  \\n\\n\\n")\nsys.exit(0)\n```\nIt reads both numbers.', 'accepted'],
    ['reverse-words', 'words = input().split()\nfor word in reversed(words):\n    print(word)\n', 'accepted'],
    ['mean', 'n = int(input())\nxs = list(map(int, input().split()))\nprint(sum(xs) / n + 1e-7)\nexit()\n', 'accepted'],
    ['circle-area', 'import math\nr = float(input())\nprint(math.pi * r * r * (1 + 1e-7))\n', 'accepted'],
    ['sum-two', 'a, b = map(int, input().split())\nprint(a - b)\n', 'wrong-answer test 1'],
    ['sum-two', 'a, b = map(int, input().split())\nprint(a + b if a != 7 else 0)\n', 'wrong-answer test 4'],
    ['mean', 'n = int(input())\nxs = list(map(int, input().split()))\nprint(sum(xs) // n)\n', 'wrong-answer test 1'],
    ['sum-two', 'while True:\n    pass\n', 'time-limit test 1'],
    ['sum-two', 'a, b = map(int, input().split())\nprint(a + b + 0 // (b - 5))\n', 'runtime-error test 2: ZeroDivisionError'],
    ['sum-two', 'print(undefined)\n', 'runtime-error test 1: NameError'],
    ['sum-two', 'import sys\nsys.exit(3)\n', 'runtime-error test 1: SystemExit'],
    ['sum-two', 'while True:\n    print("x" * 1000)\n', 'output-limit test 1'],
  ])('%s: %j -> %s', async (id, text, reason) => {
    const verdict = await verifier.verify(problem(id), text);
    expect(verdict).toEqual({ correct: reason === 'accepted', answer: null, answerKey: null, reason });
  });

  it('throws STDIO_TASK_MISSING for a problem without stdin/stdout tests', async () => {
    await expect(verifier.verify({ id: 'p', question: 'q', answer: '1' }, 'print(1)')).rejects.toMatchObject({ code: 'STDIO_TASK_MISSING' });
  });
});

describe('every test of a tests file is judged (StdioTask.testsFile)', () => {
  const sum = (a: number, b: number, source: NonNullable<StdioTest['source']>): StdioTest => ({ input: `${a} ${b}\n`, output: `${a + b}\n`, source });
  const allTests = [sum(1, 2, 'public'), sum(3, 4, 'private'), sum(5, 6, 'private'), sum(7, 1, 'generated'), sum(9, 9, 'generated')];
  /** A sum problem whose inline tests are the public ones and whose file holds `lines` (default: all five tests). */
  function fileProblem(lines: string[] = allTests.map((test) => JSON.stringify(test)), testCount = lines.length): Problem {
    const testsFile = join(tempFolder('sb-stdio-tests-'), '0.jsonl');
    writeFileSync(testsFile, lines.map((line) => `${line}\n`).join(''));
    return { id: 'sum', question: 'Add.', answer: '', stdio: { tests: allTests.slice(0, 1), testsFile, testCount } };
  }
  const add = 'a, b = map(int, input().split())\nprint(a + b)\n';

  it.each<[string, string]>([
    [add, 'accepted'],
    ['a, b = map(int, input().split())\nprint(a + b if a != 7 else 0)\n', 'wrong-answer test 4 (generated)'],
    ['a, b = map(int, input().split())\nprint(a + b if a != 3 else 0)\n', 'wrong-answer test 2 (private)'],
    ['a, b = map(int, input().split())\nprint(a + b)\nif a == 9:\n    while True: pass\n', 'time-limit test 5 (generated)'],
    ['a, b = map(int, input().split())\nprint(a + b + 0 // (a - 5))\n', 'runtime-error test 3 (private): ZeroDivisionError'],
    ['print(0)\n', 'wrong-answer test 1 (public)'],
  ])('%j -> %s', async (text, reason) => {
    expect(await verifier.verify(fileProblem(), text)).toEqual({ correct: reason === 'accepted', answer: null, answerKey: null, reason });
  });

  it('stops reading at the first failing test (a damaged line after it is never read)', async () => {
    const problem = fileProblem([JSON.stringify(allTests[0]), JSON.stringify(allTests[1]), '{"input": "not a test'], 3);
    expect((await verifier.verify(problem, 'a, b = map(int, input().split())\nprint(a + b if a != 3 else 0)\n')).reason).toBe('wrong-answer test 2 (private)');
    const error = await rejection(verifier.verify(problem, add));
    expect(error.code).toBe('STDIO_TESTS_UNREADABLE');
    expect(error.message).toBe(`the tests file ${problem.stdio?.testsFile} has a line that is not JSON (line 3)`);
  });

  it('a missing tests file is a coded error with a hint, not a failed sample', async () => {
    const problem = fileProblem();
    rmSync(problem.stdio?.testsFile ?? '');
    const error = await rejection(verifier.verify(problem, add));
    expect(error.code).toBe('STDIO_TESTS_UNREADABLE');
    expect(error.message).toBe(`the tests file ${problem.stdio?.testsFile} does not exist`);
    expect(error.hint).toMatch(/load the dataset again/);
    // A SandboxError stops a run instead of recording every sample of the problem as failed.
    expect(error).toBeInstanceOf(SandboxError);
  });

  it('an unreadable tests file (a folder in its place) is a coded error', async () => {
    const problem = fileProblem();
    const path = problem.stdio?.testsFile ?? '';
    rmSync(path);
    mkdirSync(path);
    expect((await rejection(verifier.verify(problem, add))).code).toBe('STDIO_TESTS_UNREADABLE');
  });

  it('a tests file with fewer tests than testCount (cut short) is a coded error, not an accepted sample', async () => {
    const problem = fileProblem(allTests.slice(0, 3).map((test) => JSON.stringify(test)), 5);
    const error = await rejection(verifier.verify(problem, add));
    expect(error.code).toBe('STDIO_TESTS_UNREADABLE');
    expect(error.message).toMatch(/holds 3 tests but the problem has 5/);
  });

  it('a line that is JSON but not a test is a coded error', async () => {
    const error = await rejection(verifier.verify(fileProblem([JSON.stringify({ input: '1 2\n' })]), add));
    expect(error.code).toBe('STDIO_TESTS_UNREADABLE');
    expect(error.message).toMatch(/line that is not a test \{input, output\} \(line 1\)$/);
  });

  it('judges CodeContests problems loaded through the dataset cache on their private and generated tests', async () => {
    const dataDir = tempFolder('sb-stdio-cc-');
    mkdirSync(join(dataDir, 'code_contests'));
    writeCodeContestsParquet(join(dataDir, 'code_contests', 'test.parquet'), [sumProblemRow(0), sumProblemRow(1)]);
    const [first] = await loadCodeContests({ dataDir, cacheDir: tempFolder('sb-stdio-cc-cache-') });
    const loaded = first as Problem;
    expect(loaded.stdio?.tests).toHaveLength(1);
    expect(loaded.stdio?.testCount).toBe(6);
    const judge = (text: string): Promise<string> => verifier.verify(loaded, text).then((verdict) => verdict.reason);
    expect(await judge(loaded.stdio?.solutions?.[0] ?? '')).toBe('accepted');
    // Right on the public test (b = 1) and the private ones (b = 2, 3); wrong from the first generated one (b = 4).
    expect(await judge('a, b = map(int, input().split())\nprint(a + b if b < 4 else 0)\n')).toBe('wrong-answer test 4 (generated)');
    expect(await judge('a, b = map(int, input().split())\nprint(a + b if b < 2 else -1)\n')).toBe('wrong-answer test 2 (private)');
  });
});
