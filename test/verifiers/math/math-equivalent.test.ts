import { describe, expect, it } from 'vitest';
import { createMathEquivalence, mathEquivalent } from '../../../harness/verifiers/math/math-equivalent.ts';
import { normalizeAnswer } from '../../../harness/verifiers/math/normalize-answer.ts';

describe('normalizeAnswer', () => {
  it.each([
    ['$\\boxed{\\dfrac{1}{2}}$', '\\frac{1}{2}'],
    ['\\left( 3, \\frac{\\pi}{2} \\right)', '( 3, \\frac{\\pi}{2} )'],
    ['\\tfrac83', '\\frac{8}{3}'],
    ['10\\sqrt3', '10\\sqrt{3}'],
    ['90^\\circ', '90'],
    ['90^{\\circ}', '90'],
    ['28\\%', '28'],
    ['\\$32,\\!348', '32348'],
    ['11,\\! 111,\\! 111,\\! 100', '11111111100'],
    ['14{,}916', '14916'],
    ['15\\text{ cm}^2', '15'],
    ['8\\pi \\text{ square units}', '8\\pi'],
    ['5.4 cents', '5.4'],
    ['1 000', '1000'],
    ['x >= 5', 'x \\geq 5'],
    ['\\text{Evelyn}', 'Evelyn'],
    ['3\\!\\sqrt{5}', '3\\sqrt{5}'],
    ['\\displaystyle -\\frac{3}{8}\\;', '-\\frac{3}{8}'],
    ['−50', '-50'],
  ])('%j → %j', (input, output) => {
    expect(normalizeAnswer(input)).toBe(output);
  });
});

describe('mathEquivalent: equal pairs', () => {
  it.each([
    // numbers
    ['\\frac12', '0.5'],
    ['\\dfrac{1}{2}', '1/2'],
    ['1000', '1000.0'],
    ['7425000', '7,425,000'],
    ['0.4', '.4'],
    ['.0000672', '6.72\\times 10^{-5}'],
    ['.0000672', '6.72e-5'],
    ['\\frac{1}{12}', '0.0833333333333333'],
    ['-125', '-125.0'],
    ['-\\frac{35}{9}', '\\frac{-35}{9}'],
    ['4.5', '4\\frac{1}{2}'],
    ['25\\%', '25 percent'],
    ['\\$18.90', '18.9'],
    ['-256', '-2^8'],
    ['004', '4'],
    // radicals, pi, complex
    ['\\frac{\\sqrt{3}}{3}', '\\frac{1}{\\sqrt{3}}'],
    ['3\\sqrt{13}', '\\sqrt{117}'],
    ['\\sqrt{51}', '51^{1/2}'],
    ['4.123105625617661', '\\sqrt{17}'],
    ['\\frac{20000}{\\pi}', '20000/\\pi'],
    ['-2 + 7i', '7i - 2'],
    // expressions
    ['x^5 - x^4 + x^3 - x^2 + x - 1', '(x-1)(x^4+x^2+1)'],
    ['\\tan^2(y)+1', '\\sec^2(y)'],
    ['\\frac{x+2}{7}', '\\frac{x}{7}+\\frac{2}{7}'],
    ['p - q', '-q + p'],
    // equations and labels
    ['y = -2x', '2x + y = 0'],
    ['x^2/4 + y^2/3 = 1', 'x^2/16 + y^2/12 = 1/4'],
    ['-4', 'x = -4'],
    ['k=1', '1'],
    ['x \\leq 5', '5 \\geq x'],
    ['x < 1', '-x > -1'],
    // structures
    ['(3,4]', '(3, 4]'],
    ['(1, +\\infty)', '(1,\\infty)'],
    ['\\left(\\frac{3}{5},\\frac{8}{3}\\right]', '(0.6, 8/3]'],
    ['(-\\infty, 2) \\cup (3, \\infty)', '(3, \\infty) \\cup (-\\infty, 2)'],
    ['-2 \\le x \\le 7', 'x \\in [-2,7]'],
    ['(1,\\frac{9}{2})', '(1,4.5)'],
    ['1 \\pm \\sqrt{19}', '1+\\sqrt{19}, 1-\\sqrt{19}'],
    ['\\{1\\pm\\sqrt{5},-2\\}', '\\{-2, 1+\\sqrt{5}, 1-\\sqrt{5}\\}'],
    ['-2,1', 'x=-2 \\text{ or } x=1'],
    ['a_3 = 2, a_{37} = 19', 'a_{37} = 19, a_3 = 2'],
    ['p=5,q=2;p=7,q=2', '(5,2),(7,2)'],
    ['\\begin{pmatrix} -1/3 \\\\ 2/3 \\end{pmatrix}', '\\begin{bmatrix} -\\frac{1}{3} \\\\ \\frac{2}{3} \\end{bmatrix}'],
    ['\\begin{pmatrix} 16/49 \\\\ 48/49 \\end{pmatrix}', '\\frac{1}{49}\\begin{pmatrix} 16 \\\\ 48 \\end{pmatrix}'],
    ['\\begin{pmatrix}6 & 8 \\\\ 10 & 12\\end{pmatrix}', '\\begin{pmatrix}1 & 2 \\\\ 3 & 4\\end{pmatrix} + \\begin{pmatrix}5 & 6 \\\\ 7 & 8\\end{pmatrix}'],
    ['\\begin{pmatrix}19 & 22 \\\\ 43 & 50\\end{pmatrix}', '\\begin{pmatrix}1 & 2 \\\\ 3 & 4\\end{pmatrix} \\begin{pmatrix}5 & 6 \\\\ 7 & 8\\end{pmatrix}'],
    ['\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}', '\\mathbf{v} = \\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}'],
    // text and choices
    ['\\text{Evelyn}', 'evelyn'],
    ['\\text{(C)}', 'C'],
  ])('%j = %j', (a, b) => {
    expect(mathEquivalent(a, b)).toBe(true);
    expect(mathEquivalent(b, a)).toBe(true);
  });
});

describe('mathEquivalent: different pairs', () => {
  it.each([
    ['-\\frac{35}{9}', '-3.89'],
    ['12\\pi', '37.699'],
    ['\\sqrt{51}', '7.14'],
    ['58,500', '58.5'],
    ['3.21', '3.2'],
    ['-50', '50'],
    ['6 - 5i', '6+5i'],
    ['-128', '(-2)^{8}'],
    ['(15,-29)', '(-29,15)'],
    ['(2,\\infty)', '[2,\\infty)'],
    ['(0,9) \\cup (9,36)', '(0,36)'],
    ['3, 5, 7', '3, 5'],
    ['1 \\pm \\sqrt{19}', '1+\\sqrt{19}'],
    ['x < 1', 'x > -1'],
    ['y = -2x', 'y = 2x'],
    ['a +3z = 0', '0'],
    ['x+2n+1', 'x+1'],
    ['\\text{even}', '\\text{odd}'],
    ['\\begin{pmatrix} -7 \\\\ 16 \\\\ 5 \\end{pmatrix}', '\\begin{pmatrix} -7 \\\\ 5 \\\\ 16 \\end{pmatrix}'],
    ['12345678901234567891', '12345678901234567890'],
    ['2^{2005}', '3^{2005}'],
    ['(1, \\infty)', '(1, -\\infty)'],
    ['5', ''],
  ])('%j ≠ %j', (a, b) => {
    expect(mathEquivalent(a, b)).toBe(false);
    expect(mathEquivalent(b, a)).toBe(false);
  });
});

describe('mathEquivalent: options, cache and time limit', () => {
  it('a wider relative tolerance accepts a rounded answer', () => {
    expect(mathEquivalent('12\\pi', '37.699', { relativeTolerance: 1e-4 })).toBe(true);
    expect(mathEquivalent('12\\pi', '37.699')).toBe(false);
  });

  it('caches verdicts on the normalised pair, in either order', () => {
    const session = createMathEquivalence();
    expect(session.check('\\frac{1}{\\sqrt{3}}', '\\frac{\\sqrt3}{3}')).toEqual({ equivalent: true, reason: 'equal', cached: false });
    expect(session.check('$\\frac{\\sqrt{3}}{3}$', '\\dfrac{1}{\\sqrt{3}}')).toEqual({ equivalent: true, reason: 'equal', cached: true });
    expect(session.check('0.5', '\\frac12')).toEqual({ equivalent: true, reason: 'equal', cached: false });
    expect(session.check('\\tfrac12', '.5')).toEqual({ equivalent: true, reason: 'equal', cached: true });
    expect(session.check('x=2', '2')).toEqual({ equivalent: true, reason: 'equal', cached: false });
    expect(session.check('$2$', '$2$')).toEqual({ equivalent: true, reason: 'identical', cached: false });
  });

  it('a check past its time limit is judged different with reason `timeout` (injected clock)', () => {
    let clockMs = 0;
    // Every reading of the clock moves it 600 ms on: the CAS evaluation runs past a 1000 ms limit.
    const session = createMathEquivalence({ now: () => (clockMs += 600), timeoutMs: 1000 });
    expect(session.check('(x+1)^2', 'x^2+2x+1')).toEqual({ equivalent: false, reason: 'timeout', cached: false });
    expect(session.check('3', '3.0')).toEqual({ equivalent: true, reason: 'identical', cached: false });
    expect(session.check('3', '\\frac{6}{2}')).toEqual({ equivalent: true, reason: 'equal', cached: false });
  });

  it('expensive constructs are not evaluated: a sum is compared by its canonical form only', () => {
    const session = createMathEquivalence();
    const sum = session.scalar('\\sum_{k=1}^{100000} k');
    expect(sum.samples).toBe(undefined);
    expect(sum.timedOut).toBe(false);
    expect(session.equivalent('\\sum_{k=1}^{n} k', '\\sum_{k=1}^{n} k')).toBe(true);
  });
});
