import { describe, expect, it } from 'vitest';
import { evaluateNumericLatex } from '../../../harness/verifiers/math/numeric-latex.ts';

describe('evaluateNumericLatex', () => {
  it.each([
    ['\\frac{\\sqrt{3}}{3}', Math.sqrt(3) / 3],
    ['3\\sqrt{13}', 3 * Math.sqrt(13)],
    ['\\sqrt[3]{27}', 3],
    ['\\sqrt[3]{-8}', -2],
    ['-2^8', -256],
    ['(-2)^{8}', 256],
    ['2^{10}', 1024],
    ['6.72\\times 10^{-5}', 6.72e-5],
    ['18+2\\pi', 18 + 2 * Math.PI],
    ['\\frac{20000}{\\pi}', 20000 / Math.PI],
    ['2 \\cdot \\sqrt{113}', 2 * Math.sqrt(113)],
    ['11(\\sqrt{5}+1)', 11 * (Math.sqrt(5) + 1)],
    ['51^{1/2}', Math.sqrt(51)],
    ['1-2-3', -4],
    ['20000/\\pi', 20000 / Math.PI],
    ['\\frac{1}{3}\\pi', Math.PI / 3],
    ['2\\frac{1}{2}', 2.5],
    ['-3\\frac{8}{9}', -35 / 9],
    ['1\\frac{9}{5}+1', 3.8],
    ['2\\frac{\\sqrt{3}}{2}', Math.sqrt(3)],
  ])('%j = %d', (latex, value) => {
    expect(evaluateNumericLatex(latex)).toBeCloseTo(value, 12);
  });

  it.each([['x+1'], ['\\sqrt{-4}'], ['2^{2005}'], ['\\frac{1}{0}'], ['(1,2)'], ['\\sin(1)'], ['2e'], ['3i'], ['\\frac{1}{2'], ['']])('%j is left to the CAS', (latex) => {
    expect(evaluateNumericLatex(latex)).toBe(undefined);
  });
});
