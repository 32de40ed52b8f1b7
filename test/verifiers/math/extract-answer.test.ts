import { describe, expect, it } from 'vitest';
import { extractAnswer, findBoxes, lastBoxedAnswer, type ExtractionStyle } from '../../../harness/verifiers/math/extract-answer.ts';

describe('extractAnswer: boxed answers', () => {
  it.each([
    ['The answer is $\\boxed{5}$.', '5', 'boxed'],
    ['so $x=\\boxed{\\frac{1}{2}}$', '\\frac{1}{2}', 'boxed'],
    ['nested $\\boxed{\\frac{\\sqrt{3}}{2}}$ done', '\\frac{\\sqrt{3}}{2}', 'boxed'],
    ['First $\\boxed{3}$. Wait, that is wrong; recomputing gives $\\boxed{4}$.', '4', 'boxed'],
    ['The answer is \\boxed 5.', '5', 'boxed'],
    ['The answer is $\\fbox{12}$.', '12', 'boxed'],
    ['matrix $\\boxed{\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}}$', '\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}', 'boxed'],
  ])('%j → %j (%s)', (text, answer, reason) => {
    expect(extractAnswer(text, { style: 'math' })).toEqual({ answer, reason });
  });

  it.each([
    ['The roots are $\\boxed{2}$ and $\\boxed{-3}$.', ['2', '-3']],
    ['\\[ \\boxed{-2} \\quad \\text{and} \\quad \\boxed{1}. \\]', ['-2', '1']],
    ['$\\boxed{(1, 2)}, \\boxed{(2, 1)}$', ['(1, 2)', '(2, 1)']],
    ['\\boxed{1} papers and \\boxed{2} bins', ['1', '2']],
  ])('adjacent boxes %j are joined', (text, boxes) => {
    expect(extractAnswer(text, { style: 'math' })).toEqual({ answer: boxes.join(', '), reason: 'boxed-joined', boxes });
  });

  it('an empty box is no answer', () => {
    expect(extractAnswer('The sum is $\\boxed{}$.', { style: 'math' })).toEqual({ answer: null, reason: 'empty-box' });
  });

  it('finds every box with its contents, braces balanced', () => {
    expect(findBoxes('a \\boxed{x^{2}} b \\fbox{\\{1\\}} c \\boxed 7').map((box) => box.content)).toEqual(['x^{2}', '\\{1\\}', '7']);
    expect(lastBoxedAnswer('no box here')).toBe(null);
  });
});

describe('extractAnswer: phrases', () => {
  it.each([
    ['Final Answer: The final answer is $[2,5)$. I hope it is correct.', '$[2,5)$', 'final-answer'],
    ['Final Answer: The largest $n$ is 34.', '34', 'final-answer'],
    ['Final Answer: Jane started growing Sphere 3 hours ago. I hope it is correct.', '3', 'final-answer'],
    ['So she pays $18 in total. The answer is $18.', '$18', 'answer-is'],
    ['The answer is: 3.50', '3.50', 'answer-is'],
    ['Answer \\( (9+1) \\)', '\\( (9+1) \\)', 'answer-label'],
    ['We add them up.\n\n**Answer:** 42', '42', 'answer-label'],
    // A box followed by a later "Final Answer" line: the later marker wins.
    ['so $\\boxed{255}$ more. Total $10,455. Final Answer: The final answer is $10,455$. I hope it is correct.', '$10,455$', 'final-answer'],
  ])('%j → %j', (text, answer, reason) => {
    expect(extractAnswer(text, { style: 'auto' })).toEqual({ answer, reason });
  });

  it('a judgement about an answer is not an answer: "our answer is correct" falls back to the box', () => {
    expect(extractAnswer('so $a = \\boxed{-5}$. Checking, our answer is correct.', { style: 'math' })).toEqual({ answer: '-5', reason: 'boxed' });
  });
});

describe('extractAnswer: GSM8K', () => {
  it.each<[string, ExtractionStyle, string, string]>([
    ['She has 3 + 4 = 7 apples.\n#### 7', 'gsm8k', '7', 'hash-marker'],
    ['Total is 1,000 + 234.\n#### 1,234', 'gsm8k', '1,234', 'hash-marker'],
    ['5 + 7 = 12.\n#### 12\n\nNote: he rested 2 days.', 'gsm8k', '12', 'hash-marker'],
    ['#### $18.00', 'gsm8k', '18.00', 'hash-marker'],
    ['First 12 * 3 = 36, then 36 / 4 = 9.', 'gsm8k', '9', 'last-number'],
    ['She made 9 * 2 = $<<9*2=18>>18 every day.\nA: 18', 'gsm8k', '18', 'last-number'],
    ['It dropped to -3 degrees.\n#### -3', 'auto', '-3', 'hash-marker'],
    ['The answer is 25%.', 'gsm8k', '25%', 'answer-is'],
  ])('%j (%s) → %j', (text, style, answer, reason) => {
    expect(extractAnswer(text, { style })).toEqual({ answer, reason });
  });
});

describe('extractAnswer: fallbacks and no answer', () => {
  it.each<[string, ExtractionStyle, string | null, string]>([
    ['', 'math', null, 'empty'],
    ['   \n ', 'gsm8k', null, 'empty'],
    ['I am not sure how to solve this problem.', 'gsm8k', null, 'no-answer'],
    ['AZYUK2A', 'auto', 'AZYUK2A', 'whole-text'],
    ['\\frac{1}{3}', 'math', '\\frac{1}{3}', 'whole-text'],
    ['$21,16$ or $11$', 'math', '$21,16$ or $11$', 'whole-text'],
    ['Therefore $x \\geq 5$ is the solution.', 'math', 'x \\geq 5', 'last-latex'],
    ['so there are 12 distinct sequences that meet the conditions, with $d = \\frac{90}{n}$ before. Then we count 12 of them', 'math', '12', 'last-number'],
    ['the number is not 10 which is 1,000.99€', 'auto', '1,000.99', 'last-number'],
  ])('%j (%s) → %j', (text, style, answer, reason) => {
    expect(extractAnswer(text, { style })).toEqual({ answer, reason });
  });

  it('without the fallback, prose with no marker has no answer', () => {
    expect(extractAnswer('We get 12 in the end, so that is it.', { style: 'math', lastNumberFallback: false })).toEqual({ answer: null, reason: 'no-answer' });
    expect(extractAnswer('We get 12 in the end, so that is it.', { style: 'math' })).toEqual({ answer: '12', reason: 'last-number' });
  });
});

describe('extractAnswer: adversarial texts stay bounded', () => {
  it.each<[string, string, string | null, string]>([
    ['many "answer is" phrases', 'the answer is '.repeat(10_000), null, 'no-answer'],
    ['many unclosed boxes', '\\boxed{'.repeat(5_000), null, 'no-answer'],
    ['many unclosed \\( spans', '\\( '.repeat(20_000), null, 'no-answer'],
    ['many numbers', '1, '.repeat(50_000), '1', 'last-number'],
  ])('%s', (_name, text, answer, reason) => {
    expect(extractAnswer(text, { style: 'auto' })).toEqual({ answer, reason });
  });
});

describe('extractAnswer: Markdown headings are not GSM8K markers', () => {
  it('a `#### Step 1` heading does not hide the boxed answer', () => {
    expect(extractAnswer('#### Step 1: Count the eggs\nThere are 9.\n#### Step 2: Sell them\nSo $\\boxed{18}$.', { style: 'auto' })).toEqual({ answer: '18', reason: 'boxed' });
  });

  it('the last numeric #### line wins over a later heading', () => {
    expect(extractAnswer('So 5 + 7 = 12.\n#### 12\n#### Notes: none', { style: 'gsm8k' })).toEqual({ answer: '12', reason: 'hash-marker' });
  });
});
