/**
 * A small evaluator for constant LaTeX arithmetic (numbers, `+ - \cdot \times / ^`, `\frac`,
 * `\sqrt`, `\sqrt[n]`, `\pi`, parentheses, implicit multiplication). It answers the common radical
 * and π answers without the CAS; anything else (variables, functions, `e`, `i`) returns undefined
 * and goes to the CAS.
 */

class Unsupported extends Error {}

interface Cursor {
  text: string;
  index: number;
}

function skipSpaces(cursor: Cursor): void {
  while (cursor.text[cursor.index] === ' ') cursor.index += 1;
}

function peek(cursor: Cursor): string {
  skipSpaces(cursor);
  return cursor.text[cursor.index] ?? '';
}

function readCommand(cursor: Cursor): string | undefined {
  skipSpaces(cursor);
  const match = /^\\[a-zA-Z]+/.exec(cursor.text.slice(cursor.index, cursor.index + 12));
  return match ? match[0] : undefined;
}

function expect(cursor: Cursor, char: string): void {
  if (peek(cursor) !== char) throw new Unsupported();
  cursor.index += 1;
}

function readGroup(cursor: Cursor): number {
  expect(cursor, '{');
  const value = readSum(cursor);
  expect(cursor, '}');
  return value;
}

function readNumber(cursor: Cursor): number {
  skipSpaces(cursor);
  const match = /^(?:\d+\.?\d*|\.\d+)/.exec(cursor.text.slice(cursor.index));
  if (!match) throw new Unsupported();
  cursor.index += match[0].length;
  return Number(match[0]);
}

/** An atom: a number, `\pi`, `\frac{}{}`, `\sqrt{}`, a parenthesised or braced sum. */
function readAtom(cursor: Cursor): number {
  const char = peek(cursor);
  if (char === '(') {
    cursor.index += 1;
    const value = readSum(cursor);
    expect(cursor, ')');
    return value;
  }
  if (char === '{') return readGroup(cursor);
  if (char === '\\') {
    const command = readCommand(cursor);
    if (command === '\\pi') {
      cursor.index += command.length;
      return Math.PI;
    }
    if (command === '\\frac') {
      cursor.index += command.length;
      const numerator = readGroup(cursor);
      return numerator / readGroup(cursor);
    }
    if (command === '\\sqrt') {
      cursor.index += command.length;
      let root = 2;
      if (peek(cursor) === '[') {
        cursor.index += 1;
        root = readSum(cursor);
        expect(cursor, ']');
      }
      const radicand = readGroup(cursor);
      if (radicand < 0 && root === 2) throw new Unsupported();
      return root === 3 ? Math.cbrt(radicand) : radicand ** (1 / root);
    }
    throw new Unsupported();
  }
  return readNumber(cursor);
}

/** A power: an atom with optional `^{…}` or `^d` exponents (right-associative). */
function readPower(cursor: Cursor): number {
  const base = readAtom(cursor);
  if (peek(cursor) !== '^') return base;
  cursor.index += 1;
  let exponent: number;
  if (peek(cursor) === '{') exponent = readGroup(cursor);
  else {
    const digit = cursor.text[cursor.index] ?? '';
    if (!/\d/.test(digit)) throw new Unsupported();
    cursor.index += 1;
    exponent = Number(digit);
  }
  const value = base ** exponent;
  if (Number.isNaN(value)) throw new Unsupported();
  return value;
}

function startsFactor(char: string): boolean {
  return char === '(' || char === '{' || char === '\\' || char === '.' || /\d/.test(char);
}

/** A product: powers joined by `\cdot`, `\times`, `*`, `/` or written side by side. */
function readProduct(cursor: Cursor): number {
  let value = readPower(cursor);
  for (;;) {
    const char = peek(cursor);
    const command = char === '\\' ? readCommand(cursor) : undefined;
    if (command === '\\cdot' || command === '\\times') {
      cursor.index += command.length;
      value *= readPower(cursor);
    } else if (char === '*') {
      cursor.index += 1;
      value *= readPower(cursor);
    } else if (char === '/') {
      cursor.index += 1;
      value /= readPower(cursor);
    } else if (startsFactor(char) && (command === undefined || command === '\\pi' || command === '\\frac' || command === '\\sqrt')) {
      value *= readPower(cursor);
    } else {
      return value;
    }
  }
}

/** A signed term: leading `-`/`+` bind looser than `^` (`-2^8` is −256). */
function readTerm(cursor: Cursor): number {
  const char = peek(cursor);
  if (char === '-' || char === '+') {
    cursor.index += 1;
    const value = readTerm(cursor);
    return char === '-' ? -value : value;
  }
  return readProduct(cursor);
}

function readSum(cursor: Cursor): number {
  let value = readTerm(cursor);
  for (;;) {
    const char = peek(cursor);
    if (char !== '+' && char !== '-') return value;
    cursor.index += 1;
    const term = readTerm(cursor);
    value = char === '+' ? value + term : value - term;
  }
}

/** The value of a constant LaTeX expression, or undefined when it is not plain arithmetic (or not finite). */
export function evaluateNumericLatex(latex: string): number | undefined {
  if (latex.length > 200 || /[a-zA-Z]/.test(latex.replace(/\\(?:frac|sqrt|pi|cdot|times)(?![a-zA-Z])/g, ''))) return undefined;
  // `2\frac{1}{2}` is a mixed number (2.5), as the CAS reads it, not a product.
  const text = latex.replace(/(^|[^\d.}])(\d+)\s*\\frac\{(\d+)\}\{(\d+)\}/g, '$1($2+\\frac{$3}{$4})');
  const cursor: Cursor = { text, index: 0 };
  try {
    const value = readSum(cursor);
    skipSpaces(cursor);
    if (cursor.index !== text.length || !Number.isFinite(value)) return undefined;
    return value;
  } catch (error) {
    if (error instanceof Unsupported || error instanceof RangeError) return undefined;
    throw error;
  }
}
