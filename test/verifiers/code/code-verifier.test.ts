import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Problem } from '../../../harness/core/types.ts';
import { loadHumanEval, loadMbpp, loadSanitizedMbpp } from '../../../harness/datasets/code-datasets.ts';
import { codeVerdictReason, createCodeVerifier } from '../../../harness/verifiers/code/code-verifier.ts';
import { createPythonPool, type PythonResult } from '../../../harness/verifiers/code/run-python.ts';
import { hasSharedData, sharedDataDir, verifierCasesDir } from '../../helpers/shared-data.ts';

const pool = createPythonPool({ workers: 4 });
const verifier = createCodeVerifier({ pool });
afterAll(async () => {
  await verifier.close?.();
  await pool.close();
});

const locations = { dataDir: sharedDataDir() };

async function failuresOf(problems: Problem[]): Promise<Array<[string, string]>> {
  const verdicts = await Promise.all(problems.map((problem) => verifier.verify(problem, problem.code?.canonicalSolution ?? '')));
  return problems.flatMap((problem, index): Array<[string, string]> => {
    const verdict = verdicts[index];
    return verdict && !verdict.correct ? [[problem.id, verdict.reason]] : [];
  });
}

describe('verdicts', () => {
  const problem: Problem = {
    id: 'toy/add',
    question: '',
    answer: '',
    code: { prompt: 'def add(a, b):\n    """Adds."""\n', test: 'def check(candidate):\n    assert candidate(1, 2) == 3\n', entryPoint: 'add' },
  };

  it.each([
    ['    return a + b\n', { correct: true, answer: null, answerKey: null, reason: 'passed' }],
    ['    return a - b\n', { correct: false, answer: null, answerKey: null, reason: 'failed: AssertionError' }],
    ['    import sys\n    sys.exit(0)\n', { correct: false, answer: null, answerKey: null, reason: 'failed: SystemExit' }],
    ['    import os\n    os._exit(0)\n', { correct: false, answer: null, answerKey: null, reason: 'failed: exited with status 0 before the tests completed' }],
    ['    while True:\n        pass\n', { correct: false, answer: null, answerKey: null, reason: 'timeout' }],
    ['```python\ndef add(a, b):\n    return a + b\n```', { correct: true, answer: null, answerKey: null, reason: 'passed' }],
  ])('%j', async (completion, expected) => {
    expect(await verifier.verify(problem, completion)).toEqual(expected);
  });

  it('throws CODE_TASK_MISSING for a problem without code', async () => {
    await expect(verifier.verify({ id: 'p', question: 'q', answer: '1' }, 'x')).rejects.toMatchObject({ code: 'CODE_TASK_MISSING' });
  });

  it('creates its own pool when given none, and closes it', async () => {
    const own = createCodeVerifier({ poolOptions: { workers: 1 } });
    expect(own.kind).toBe('code');
    expect((await own.verify(problem, '    return b + a\n')).correct).toBe(true);
    await own.close?.();
  });

  it.each<[Partial<PythonResult>, string]>([
    [{ status: 'passed', exception: null, reason: 'passed' }, 'passed'],
    [{ status: 'failed', exception: 'ValueError', reason: 'raised ValueError' }, 'failed: ValueError'],
    [{ status: 'failed', exception: null, reason: 'exited with status 3 before the tests completed' }, 'failed: exited with status 3 before the tests completed'],
    [{ status: 'timeout', exception: null, reason: 'cpu time limit' }, 'timeout'],
    [{ status: 'crashed', exception: null, reason: 'killed by SIGSEGV' }, 'crashed: killed by SIGSEGV'],
  ])('reason for %j is %s', (result, reason) => {
    const full: PythonResult = { status: 'passed', exception: null, reason: '', exitCode: null, signal: null, stdout: '', stderr: '', stdoutTruncated: false, stderrTruncated: false, durationMs: 0, ...result };
    expect(codeVerdictReason(full)).toBe(reason);
  });
});

describe.skipIf(!hasSharedData())('reference solutions (shared data)', () => {
  it('passes all 164 HumanEval canonical solutions', async () => {
    const problems = await loadHumanEval(locations);
    expect(await failuresOf(problems)).toEqual([]);
  });

  // Task 123's reference takes about 2.9 s against the 3 s limit, so whether it times out
  // depends on the machine: it is left out (a never-finishing program is the timeout case, in
  // 'verdicts'). Task 367's tests use a class `Node` the reference never defines.
  it('passes the MBPP test-split references except 367 (NameError in the tests); 123 (about 2.9 s) left out', async () => {
    const problems = await loadMbpp(locations);
    expect(problems.length).toBe(500);
    expect(await failuresOf(problems.filter((problem) => problem.id !== 'mbpp/123'))).toEqual([['mbpp/367', 'failed: NameError']]);
  });

  it('passes the sanitized MBPP references; 123 (about 2.9 s) left out', async () => {
    const problems = await loadSanitizedMbpp(locations);
    expect(await failuresOf(problems.filter((problem) => problem.id !== 'mbpp/123'))).toEqual([]);
  });
});

const caseSchema = z.object({
  id: z.string(),
  dataset: z.enum(['humaneval', 'mbpp']),
  task_id: z.union([z.string(), z.number()]),
  variant: z.string(),
  expected: z.enum(['pass', 'fail']),
  completion: z.string(),
  program: z.string(),
});

describe.skipIf(!hasSharedData())('code_exec_cases table (verifier-cases)', () => {
  it('agrees with the expected verdicts, judging the completions through the whole verifier', async () => {
    const rows = readFileSync(join(verifierCasesDir(), 'code_exec_cases.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => caseSchema.parse(JSON.parse(line)));
    expect(rows.length).toBe(1889);
    const humanEval = new Map((await loadHumanEval(locations)).map((problem) => [problem.id, problem]));
    const mbpp = new Map((await loadMbpp(locations)).map((problem) => [problem.id, problem]));
    // A 1.5 s limit instead of 3 s keeps the 56 infinite-loop rows cheaper; the slowest passing row takes 0.77 s (README).
    const timeoutVerifier = createCodeVerifier({ pool, limits: { timeoutMs: 1500 } });
    const verdicts = await Promise.all(
      rows.map((row) => {
        const problem = row.dataset === 'humaneval' ? humanEval.get(String(row.task_id)) : mbpp.get(`mbpp/${row.task_id}`);
        if (!problem) throw new Error(`no problem for ${row.id}`);
        return timeoutVerifier.verify(problem, row.completion);
      }),
    );
    const disagreements = rows.flatMap((row, index) => {
      const verdict = verdicts[index];
      return verdict && verdict.correct !== (row.expected === 'pass') ? [`${row.id} ${row.variant} expected ${row.expected}, got ${verdict.reason}`] : [];
    });
    if (disagreements.length > 0) process.stderr.write(`code_exec_cases disagreements:\n${disagreements.join('\n')}\n`);
    const adversarialPasses = rows.filter((row, index) => row.expected === 'fail' && verdicts[index]?.correct === true);
    expect(adversarialPasses.map((row) => row.id)).toEqual([]);
    expect(disagreements.length / rows.length).toBeLessThanOrEqual(0.005);
    // 1,889 programs: a generous safety net for a busy shared machine, not a speed requirement.
  }, 600_000);
});
