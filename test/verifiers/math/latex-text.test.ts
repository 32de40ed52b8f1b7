import { describe, expect, it } from 'vitest';
import { braceArguments, isWrapped, matchBrace, splitTopLevel, unwrapCommands } from '../../../harness/verifiers/math/latex-text.ts';

describe('latex-text scanners', () => {
  it.each([
    ['\\frac12', '\\frac{1}{2}'],
    ['\\frac 59', '\\frac{5}{9}'],
    ['\\frac3{3}', '\\frac{3}{3}'],
    ['\\frac{270}7', '\\frac{270}{7}'],
    ['\\sqrt3+\\sqrt 2', '\\sqrt{3}+\\sqrt{2}'],
    ['\\sqrt[3]{x}', '\\sqrt[3]{x}'],
    ['\\frac\\pi2', '\\frac{\\pi}{2}'],
  ])('braceArguments %j → %j', (input, output) => {
    expect(braceArguments(input)).toBe(output);
  });

  it('splits only outside brackets, half-open intervals included', () => {
    expect(splitTopLevel('(1,2), [3,4), \\{5,6\\}', /,/)).toEqual(['(1,2)', ' [3,4)', ' \\{5,6\\}']);
  });

  it('matches braces and wrapped brackets', () => {
    expect(matchBrace('{a{b}c}d', 0)).toBe(6);
    expect(matchBrace('{abc', 0)).toBe(-1);
    expect(matchBrace('{abcdef}', 0, 4)).toBe(-1);
    expect(isWrapped('(1,2]')).toBe(true);
    expect(isWrapped('(x-2)(x+2)')).toBe(false);
  });

  it('unwraps commands, keeping their argument', () => {
    expect(unwrapCommands('\\boxed{\\text{x}} and \\boxed{y}', ['boxed'])).toBe('\\text{x} and y');
  });
});
