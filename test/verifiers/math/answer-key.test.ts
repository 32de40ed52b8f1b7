import { describe, expect, it } from 'vitest';
import { answerKey } from '../../../harness/verifiers/math/answer-key.ts';
import { createMathEquivalence } from '../../../harness/verifiers/math/math-equivalent.ts';

describe('answerKey', () => {
  it.each([
    ['\\frac12', '1/2'],
    ['0.5', '1/2'],
    ['\\dfrac{1}{2}', '1/2'],
    ['x = 1/2', '1/2'],
    ['10,\\!080', '10080'],
    ['\\$10,080.00', '10080'],
    ['90^\\circ', '90'],
    ['004', '4'],
    ['0.333', '333/1000'],
    ['\\frac{1}{\\sqrt{3}}', '0.5773502692'],
    ['\\pi', '3.141592654'],
    ['-2+7i', '-2+7i'],
    ['\\{2, 1\\}', '{1,2}'],
    ['1, 2', '{1,2}'],
    ['(1,2)', '(1,2)'],
    ['[1,2)', '[1,2)'],
    ['\\text{Evelyn}', 'text:evelyn'],
    ['\\begin{pmatrix}1\\\\2\\end{pmatrix}', '[1;2]'],
    ['', ''],
    ['12345678901234567890', '12345678901234567890'],
  ])('%j → %j', (answer, key) => {
    expect(answerKey(answer)).toBe(key);
  });

  it.each([
    [['\\frac12', '0.5', '\\dfrac{1}{2}', '1/2', '\\tfrac{1}{2}', '$\\boxed{0.50}$']],
    [['\\frac{\\sqrt3}{3}', '\\frac{1}{\\sqrt{3}}', '\\dfrac{\\sqrt{3}}{3}']],
    [['(x+1)^2', 'x^2+2x+1', '1+2x+x^2']],
    [['2x+y=0', 'y=-2x', '-4x-2y=0']],
    [['1 \\pm \\sqrt{19}', '1+\\sqrt{19}, 1-\\sqrt{19}', '\\{1-\\sqrt{19}, 1+\\sqrt{19}\\}']],
    [['x \\leq 5', '5 \\geq x', '2x \\leq 10']],
  ])('equivalent answers share one key: %j', (answers) => {
    const session = createMathEquivalence();
    const keys = new Set(answers.map((answer) => answerKey(answer, session)));
    expect(keys.size).toBe(1);
  });

  it('different answers get different keys', () => {
    const answers = ['\\frac12', '\\frac13', '(1,2)', '(2,1)', '\\{1,2\\}', 'x^2', 'x^3', '2x+y=0', '2x-y=0', 'x \\leq 5', 'x < 5', '\\text{odd}'];
    expect(new Set(answers.map((answer) => answerKey(answer))).size).toBe(answers.length);
  });
});
