import { describe, expect, it } from 'vitest';
import type { Problem } from '../../../harness/core/types.ts';
import { createMathVerifier } from '../../../harness/verifiers/math/math-verifier.ts';

const problem = (answer: string): Problem => ({ id: 'p1', question: 'q', answer });

describe('createMathVerifier (math style)', () => {
  const verifier = createMathVerifier();

  it('has kind math', () => {
    expect(verifier.kind).toBe('math');
  });

  it.each([
    ['\\frac{1}{2}', 'So the probability is $\\boxed{0.5}$.', { correct: true, answer: '0.5', answerKey: '1/2', reason: 'equal' }],
    ['\\frac{1}{2}', 'So the probability is $\\boxed{\\frac13}$.', { correct: false, answer: '\\frac13', answerKey: '1/3', reason: 'not-equal' }],
    ['10,\\!080', 'There are $7!\\times 2! = \\boxed{10080}$ ways.', { correct: true, answer: '10080', answerKey: '10080', reason: 'equal' }],
    ['-3, 2', 'The roots are $\\boxed{2}$ and $\\boxed{-3}$.', { correct: true, answer: '2, -3', answerKey: '{-3,2}', reason: 'equal' }],
    // A single-valued gold: the last of several boxes is the answer (MATH's last-box rule).
    ['\\frac{5\\pi}{4}', '$\\theta = \\boxed{\\frac{\\pi}{4}}$ or $\\boxed{\\frac{5\\pi}{4}}$', { correct: true, answer: '\\frac{5\\pi}{4}', answerKey: '3.926990817', reason: 'equal' }],
    ['5', 'I could not solve it.', { correct: false, answer: null, answerKey: null, reason: 'no-answer: no-answer' }],
    ['0', 'The sum is $\\boxed{}$.', { correct: false, answer: null, answerKey: null, reason: 'no-answer: empty-box' }],
    ['5', '', { correct: false, answer: null, answerKey: null, reason: 'no-answer: empty' }],
  ])('gold %j, sample %j', async (gold, text, verdict) => {
    expect(await verifier.verify(problem(gold), text)).toEqual(verdict);
  });
});

describe('createMathVerifier (gsm8k style)', () => {
  const verifier = createMathVerifier({ style: 'gsm8k' });

  it('has kind gsm8k', () => {
    expect(verifier.kind).toBe('gsm8k');
  });

  it.each([
    ['14000', 'Boris made 50,000-36,000 = <<50000-36000=14000>>14,000 bars.\n#### 14,000', { correct: true, answer: '14,000', answerKey: '14000', reason: 'equal' }],
    ['12', '5 + 7 = 12.\n#### 12\n\nNote: he rested 2 days.', { correct: true, answer: '12', answerKey: '12', reason: 'equal' }],
    ['93', 'She counts 3 + 6 + 12 + 24 + 48 = <<3+6+12+24+48=93>>93 clouds.\nA: 93', { correct: true, answer: '93', answerKey: '93', reason: 'equal' }],
    ['2', 'so 2.75/2 = 1.375 days.\nA: 1.375', { correct: false, answer: '1.375', answerKey: '11/8', reason: 'not-equal' }],
  ])('gold %j, sample %j', async (gold, text, verdict) => {
    expect(await verifier.verify(problem(gold), text)).toEqual(verdict);
  });

  it('without the last-number fallback a bare calculation has no answer', async () => {
    const strict = createMathVerifier({ style: 'gsm8k', lastNumberFallback: false });
    expect(await strict.verify(problem('9'), 'First 12 * 3 = 36, then we divide 36 / 4 = 9 and that is all of them.')).toEqual({ correct: false, answer: null, answerKey: null, reason: 'no-answer: no-answer' });
  });
});
