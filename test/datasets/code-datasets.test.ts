import { tempDir } from '../helpers/temp-dir.ts';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Problem } from '../../harness/core/types.ts';
import { codeDatasets, codePrompt, loadHumanEval, loadMbpp, loadSanitizedMbpp, mbppEntryPoint } from '../../harness/datasets/code-datasets.ts';
import { hasSharedData, sharedDataDir } from '../helpers/shared-data.ts';

const locations = { dataDir: sharedDataDir() };

describe.skipIf(!hasSharedData())('built-in code datasets (shared data)', () => {
  it('declares humaneval, mbpp, mbpp-sanitized, humaneval-plus and mbpp-plus, all checked by the code verifier', () => {
    expect(codeDatasets.map((dataset) => [dataset.id, dataset.verifier])).toEqual([
      ['humaneval', 'code'],
      ['mbpp', 'code'],
      ['mbpp-sanitized', 'code'],
      ['humaneval-plus', 'code'],
      ['mbpp-plus', 'code'],
    ]);
  });

  it('loads the 164 HumanEval problems in order, with prompt, tests and entry point', async () => {
    const problems = await loadHumanEval(locations);
    expect(problems.length).toBe(164);
    expect(problems[0]?.id).toBe('HumanEval/0');
    expect(problems[163]?.id).toBe('HumanEval/163');
    const first = problems[0];
    expect(first?.code?.entryPoint).toBe('has_close_elements');
    expect(first?.code?.prompt.startsWith('from typing import List\n\n\ndef has_close_elements(')).toBe(true);
    expect(first?.code?.test.includes('def check(candidate):')).toBe(true);
    expect(first?.question).toBe(first?.code?.prompt);
    expect(first?.answer).toBe('');
  });

  it('loads the MBPP test split: task ids 11 to 510', async () => {
    const problems = await loadMbpp(locations);
    expect(problems.length).toBe(500);
    expect(problems[0]?.id).toBe('mbpp/11');
    expect(problems[499]?.id).toBe('mbpp/510');
    const first = problems[0];
    expect(first?.question).toBe('Write a python function to remove first and last occurrence of a given character from the string.');
    expect(first?.code?.prompt).toBe('');
    expect(first?.code?.entryPoint).toBe('remove_Occ');
    expect(first?.code?.test.split('\n').length).toBe(3);
    expect(problems.every((problem) => problem.code?.entryPoint !== '')).toBe(true);
  });

  it('keeps MBPP test_setup_code as the setup', async () => {
    const problems = await loadMbpp(locations);
    const withSetup = problems.filter((problem) => problem.code?.setup !== undefined);
    expect(withSetup.every((problem) => (problem.code?.setup ?? '').trim() !== '')).toBe(true);
  });

  it('loads the 257 sanitized MBPP problems of the test split', async () => {
    const problems = await loadSanitizedMbpp(locations);
    expect(problems.length).toBe(257);
    const ids = problems.map((problem) => Number(problem.id.slice('mbpp/'.length)));
    expect(Math.min(...ids)).toBeGreaterThanOrEqual(11);
    expect(Math.max(...ids)).toBeLessThanOrEqual(510);
    expect(problems.every((problem) => problem.code?.entryPoint !== '')).toBe(true);
  });

  it('loads through the definitions too', async () => {
    // The shared data has no EvalPlus releases: those loaders are tested on files the tests write (stdio-datasets.test.ts).
    const inSharedData = codeDatasets.filter((dataset) => !dataset.id.endsWith('-plus'));
    const counts = await Promise.all(inSharedData.map(async (dataset) => (await dataset.load(locations)).length));
    expect(counts).toEqual([164, 500, 257]);
  });
});

describe('dataset files', () => {
  const folder = tempDir('code-datasets-');
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('reports a missing dataset with DATASET_MISSING', async () => {
    await expect(loadHumanEval({ dataDir: join(folder, 'absent') })).rejects.toMatchObject({ code: 'DATASET_MISSING' });
  });

  it('reports a record without the expected fields with DATASET_FORMAT', async () => {
    mkdirSync(join(folder, 'humaneval'), { recursive: true });
    writeFileSync(join(folder, 'humaneval', 'HumanEval.jsonl'), '{"task_id": "HumanEval/0", "prompt": "def f():\\n"}\n');
    await expect(loadHumanEval({ dataDir: folder })).rejects.toMatchObject({ code: 'DATASET_FORMAT' });
  });

  it('reads a user MBPP file of the same shape, keeping only the test split', async () => {
    mkdirSync(join(folder, 'mbpp'), { recursive: true });
    const record = (taskId: number): string =>
      JSON.stringify({ text: 'Add.', code: 'def add(a, b):\n    return a + b', task_id: taskId, test_setup_code: '', test_list: ['assert add(1, 2) == 3'], challenge_test_list: [] });
    writeFileSync(join(folder, 'mbpp', 'mbpp.jsonl'), [record(3), record(11), record(510), record(511)].join('\n'));
    const problems = await loadMbpp({ dataDir: folder });
    expect(problems.map((problem) => problem.id)).toEqual(['mbpp/11', 'mbpp/510']);
    expect(problems[0]?.code).toEqual({ prompt: '', test: 'assert add(1, 2) == 3', entryPoint: 'add', canonicalSolution: 'def add(a, b):\n    return a + b' });
  });
});

describe('mbppEntryPoint', () => {
  it.each<[string, string[], string]>([
    ['def add(a, b):\n    return a + b', ['assert add(1, 2) == 3'], 'add'],
    ['def helper(x):\n    return x\ndef main_fn(x):\n    return helper(x)', ['assert main_fn(1) == 1'], 'main_fn'],
    ['import math\ndef area(r):\n    return math.pi * r * r', ['assert math.isclose(area(1), 3.14159, rel_tol=0.001)'], 'area'],
    ['class Pair:\n    pass\ndef max_chain_length(arr, n):\n    return 1', ['assert max_chain_length([Pair(5, 24)], 1) == 1'], 'max_chain_length'],
    ['', ['assert set(similar_elements((3, 4), (5, 4))) == set((4,))'], 'similar_elements'],
  ])('%#', (code, tests, expected) => {
    expect(mbppEntryPoint(code, tests)).toBe(expected);
  });
});

describe('codePrompt', () => {
  const humanEval: Problem = {
    id: 'HumanEval/x',
    question: 'def add(a, b):\n    """Adds."""\n',
    answer: '',
    code: { prompt: 'def add(a, b):\n    """Adds."""\n', test: 'def check(candidate):\n    assert candidate(1, 2) == 3\n', entryPoint: 'add' },
  };
  const mbpp: Problem = {
    id: 'mbpp/x',
    question: 'Write a function to add two numbers.',
    answer: '',
    code: { prompt: '', test: 'assert add(1, 2) == 3\nassert add(2, 2) == 4', entryPoint: 'add' },
  };

  it.each<[string, Problem, 'completion' | 'chat', string]>([
    ['HumanEval completion: the prompt as-is', humanEval, 'completion', 'def add(a, b):\n    """Adds."""\n'],
    [
      'HumanEval chat',
      humanEval,
      'chat',
      'Complete the following Python function. Reply with the whole function, including the imports it needs, in a ```python code block.\n\n```python\ndef add(a, b):\n    """Adds."""\n```\n',
    ],
    [
      'MBPP completion (the paper format, ending in [BEGIN])',
      mbpp,
      'completion',
      'You are an expert Python programmer, and here is your task: Write a function to add two numbers. Your code should pass these tests:\n\nassert add(1, 2) == 3\nassert add(2, 2) == 4\n[BEGIN]\n',
    ],
    [
      'MBPP chat',
      mbpp,
      'chat',
      'You are an expert Python programmer, and here is your task: Write a function to add two numbers. Your code should pass these tests:\n\nassert add(1, 2) == 3\nassert add(2, 2) == 4\n\nWrite the code in a ```python code block.\n',
    ],
  ])('%s', (_name, problem, style, expected) => {
    expect(codePrompt(problem, style)).toBe(expected);
  });

  it('rejects a problem without code with DATASET_NOT_CODE', () => {
    expect(() => codePrompt({ id: 'p', question: 'q', answer: '1' }, 'chat')).toThrow(expect.objectContaining({ code: 'DATASET_NOT_CODE' }));
  });
});
