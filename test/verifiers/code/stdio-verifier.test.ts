import { afterAll, describe, expect, it } from 'vitest';
import type { Problem } from '../../../harness/core/types.ts';
import { projectDatasets } from '../../../harness/datasets/project-datasets.ts';
import { outputsMatch, tokensMatch } from '../../../harness/verifiers/code/compare-output.ts';
import { createPythonPool } from '../../../harness/verifiers/code/run-python.ts';
import { createStdioVerifier, defaultStdioLimits, stdioTimeLimitMs } from '../../../harness/verifiers/code/stdio-verifier.ts';

const pool = createPythonPool({ workers: 2 });
const verifier = createStdioVerifier({ pool });
afterAll(async () => {
  await verifier.close?.();
  await pool.close();
});

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
