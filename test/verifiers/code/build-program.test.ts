import { describe, expect, it } from 'vitest';
import type { CodeTask } from '../../../harness/core/types.ts';
import {
  buildProgram,
  definesFunction,
  extractCodeBlock,
  humanEvalStopSequences,
  truncateAtStopSequences,
} from '../../../harness/verifiers/code/build-program.ts';

const humanEvalTask: CodeTask = {
  prompt: 'from typing import List\n\n\ndef add(a: int, b: int) -> int:\n    """Adds."""\n',
  test: 'def check(candidate):\n    assert candidate(1, 2) == 3\n',
  entryPoint: 'add',
};

const mbppTask: CodeTask = {
  prompt: '',
  test: 'assert add(1, 2) == 3\nassert add(0, 0) == 0',
  entryPoint: 'add',
};

describe('truncateAtStopSequences', () => {
  it.each([
    ['    return a + b\n\ndef other():\n    pass\n', '    return a + b\n'],
    ['    return a + b\n# trailing comment\n', '    return a + b'],
    ['    return a + b\nif __name__ == "__main__":\n    print(add(1, 2))\n', '    return a + b'],
    ['    return a + b\nprint(add(1, 2))\n', '    return a + b'],
    ['    return a + b\nclass Helper:\n    pass\n', '    return a + b'],
    ['    # an indented comment stays\n    return a + b\n', '    # an indented comment stays\n    return a + b\n'],
    ['    if a:\n        return a\n    return b\n', '    if a:\n        return a\n    return b\n'],
    ['', ''],
  ])('cuts %j at the Codex stop sequences', (text, expected) => {
    expect(truncateAtStopSequences(text, humanEvalStopSequences)).toBe(expected);
  });
});

describe('extractCodeBlock', () => {
  it.each<[string, string | undefined, string | null]>([
    ['no fence here', undefined, null],
    ['Here:\n```python\ndef add(a, b):\n    return a + b\n```\nDone.', undefined, 'def add(a, b):\n    return a + b'],
    ['```py\nx = 1\n```', undefined, 'x = 1'],
    ['```\nx = 2\n```', undefined, 'x = 2'],
    ['```javascript\nlet x = 1\n```', undefined, null],
    ['```python\nimport math\n```\nthen\n```python\ndef add(a, b):\n    return a + b\n```', 'add', 'def add(a, b):\n    return a + b'],
    ['```python\nimport math\n```\nthen\n```python\ndef other():\n    pass\n```', 'add', 'import math'],
    ['```python\ndef add(a, b):\n    return a + b', undefined, 'def add(a, b):\n    return a + b'],
  ])('%j', (text, entryPoint, expected) => {
    expect(extractCodeBlock(text, entryPoint)).toBe(expected);
  });
});

describe('definesFunction', () => {
  it.each([
    ['def add(a, b):\n', true],
    ['async def add(a, b):\n', true],
    ['x = 1\ndef add (a):\n', true],
    ['    def add(a, b):\n', false],
    ['def adder(a, b):\n', false],
    ['# def add(a):\n', false],
  ])('%j -> %s', (code, expected) => {
    expect(definesFunction(code, 'add')).toBe(expected);
  });
});

describe('buildProgram', () => {
  it.each<[string, string, string, string]>([
    [
      'a body continuing the prompt, cut at the first stop',
      '    return a + b\n\ndef unrelated():\n    pass\n',
      'body',
      `${humanEvalTask.prompt}    return a + b\n\n${humanEvalTask.test}\n\ncheck(add)\n`,
    ],
    [
      'a whole function (kept after the prompt, so its imports stay)',
      'def add(a: int, b: int) -> int:\n    return a + b\n\nif __name__ == "__main__":\n    print(add(1, 2))\n',
      'function',
      `${humanEvalTask.prompt}\ndef add(a: int, b: int) -> int:\n    return a + b\n\n${humanEvalTask.test}\n\ncheck(add)\n`,
    ],
    [
      'a chat answer with a fenced whole function',
      'Sure!\n```python\nfrom typing import List\n\ndef helper(x):\n    return x\n\ndef add(a, b):\n    return helper(a) + b\n```\nThis adds.',
      'function',
      `${humanEvalTask.prompt}\nfrom typing import List\n\ndef helper(x):\n    return x\n\ndef add(a, b):\n    return helper(a) + b\n\n${humanEvalTask.test}\n\ncheck(add)\n`,
    ],
    [
      'a chat answer with a bare body at column 0 (indented into the function)',
      '```python\nresult = a + b\nreturn result\n```',
      'body',
      `${humanEvalTask.prompt}    result = a + b\n    return result\n${humanEvalTask.test}\n\ncheck(add)\n`,
    ],
    [
      'a body that later redefines the entry point (stays a body, cut at the def)',
      '    return a + b\n\ndef add(a, b):\n    return 0\n',
      'body',
      `${humanEvalTask.prompt}    return a + b\n\n${humanEvalTask.test}\n\ncheck(add)\n`,
    ],
  ])('HumanEval: %s', (_name, completion, mode, program) => {
    const built = buildProgram(humanEvalTask, completion);
    expect(built.mode).toBe(mode);
    expect(built.program).toBe(program);
  });

  it.each<[string, CodeTask, string, string]>([
    ['plain code', mbppTask, 'def add(a, b):\n    return a + b\n', 'def add(a, b):\n    return a + b\n\nassert add(1, 2) == 3\nassert add(0, 0) == 0\n'],
    ['a [BEGIN] ... [DONE] completion', mbppTask, '[BEGIN]\ndef add(a, b):\n    return a + b\n[DONE]\nmore text', '\ndef add(a, b):\n    return a + b\n\nassert add(1, 2) == 3\nassert add(0, 0) == 0\n'],
    ['a fenced chat answer with its own asserts', mbppTask, '```python\ndef add(a, b):\n    return a + b\n\nassert add(1, 1) == 3\n```', 'def add(a, b):\n    return a + b\n\nassert add(1, 2) == 3\nassert add(0, 0) == 0\n'],
    ['setup code first', { ...mbppTask, setup: 'import math' }, 'def add(a, b):\n    return a + b', 'import math\ndef add(a, b):\n    return a + b\n\nassert add(1, 2) == 3\nassert add(0, 0) == 0\n'],
  ])('MBPP: %s', (_name, task, completion, program) => {
    const built = buildProgram(task, completion);
    expect(built.mode).toBe('program');
    expect(built.program).toBe(program);
  });

  it('uses custom stop sequences for bodies', () => {
    const built = buildProgram(humanEvalTask, '    return a + b\n    # STOP here\n    return 0\n', { stopSequences: ['# STOP'] });
    expect(built.code).toBe('    return a + b\n    ');
  });
});
