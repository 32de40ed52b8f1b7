/**
 * The computer-algebra step. Plain rationals and constant arithmetic (radicals, π) are evaluated
 * directly; everything else goes to @cortex-js/compute-engine, which parses the LaTeX of a scalar answer into a
 * canonical MathJSON expression, which is evaluated exactly where it is a constant and at seeded
 * points where it has free variables (a probabilistic identity test: two expressions that agree at
 * several generic points are treated as the same function).
 */
import { ComputeEngine } from '@cortex-js/compute-engine';
import { hashSeed } from '../../core/random.ts';
import { evaluateNumericLatex } from './numeric-latex.ts';

/** A complex value: real and imaginary parts. */
export interface ComplexValue {
  /** Real part. */
  re: number;
  /** Imaginary part (0 for reals). */
  im: number;
}

/** An exact rational number, numerator over positive denominator, lowest terms. */
export interface Rational {
  /** Numerator (sign carried here). */
  numerator: bigint;
  /** Denominator, > 0. */
  denominator: bigint;
}

/** What the algebra step learned about one scalar answer. */
export interface ScalarValue {
  /** Exact value when the answer is a plain rational (integer, decimal, fraction, scientific). */
  exact?: Rational;
  /** Values at the sample points (one per point; constants repeat), or undefined when it cannot be evaluated. */
  samples?: ComplexValue[];
  /** Free variable names, sorted. */
  variables: string[];
  /** Canonical form: the CAS's MathJSON as a string, or the normalised LaTeX when it does not parse. */
  canonical: string;
  /** True when evaluation stopped at the time limit. */
  timedOut: boolean;
}

/** Number of seeded points an expression with variables is evaluated at. */
export const samplePointCount = 4;

/** Value of variable `name` at sample point `round`: in [0.37, 1.97), the same for both sides of a comparison. */
export function samplePoint(name: string, round: number): number {
  return 0.37 + (hashSeed('math-sample', name, round) % 100_003) / 100_003 * 1.6;
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** The rational `numerator/denominator` in lowest terms; undefined for a zero denominator. */
export function makeRational(numerator: bigint, denominator: bigint): Rational | undefined {
  if (denominator === 0n) return undefined;
  const sign = denominator < 0n ? -1n : 1n;
  const divisor = gcd(numerator, denominator) || 1n;
  return { numerator: (sign * numerator) / divisor, denominator: (sign * denominator) / divisor };
}

/** Reads a decimal literal (`-12.50`, `.4`, `6.72e-5`) exactly. */
export function parseDecimal(text: string): Rational | undefined {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,4}))?$/.exec(text);
  if (!match) return undefined;
  const whole = match[2] ?? '';
  const fraction = match[3] ?? '';
  if (whole === '' && fraction === '') return undefined;
  const exponent = Number(match[4] ?? '0') - fraction.length;
  let numerator = BigInt(`${whole}${fraction}` || '0');
  let denominator = 1n;
  if (exponent >= 0) numerator *= 10n ** BigInt(exponent);
  else denominator = 10n ** BigInt(-exponent);
  if (match[1] === '-') numerator = -numerator;
  return makeRational(numerator, denominator);
}

/** Exact value of the common plain numeric spellings: decimals, `a/b`, `\frac{a}{b}`, `a\times10^{b}`. */
export function parseExactNumber(latex: string): Rational | undefined {
  const text = latex.replace(/\s+/g, '');
  const decimal = parseDecimal(text);
  if (decimal) return decimal;
  const slash = /^([+-]?)(\d+)\/(\d+)$/.exec(text);
  if (slash) return makeRational(BigInt(`${slash[1] === '-' ? '-' : ''}${slash[2]}`), BigInt(slash[3] ?? '1'));
  const frac = /^([+-]?)\\frac\{([+-]?)(\d+(?:\.\d+)?)\}\{([+-]?)(\d+(?:\.\d+)?)\}$/.exec(text);
  if (frac) {
    const top = parseDecimal(`${frac[2]}${frac[3]}`);
    const bottom = parseDecimal(`${frac[4]}${frac[5]}`);
    if (!top || !bottom || bottom.numerator === 0n) return undefined;
    const negative = frac[1] === '-';
    return makeRational((negative ? -1n : 1n) * top.numerator * bottom.denominator, top.denominator * bottom.numerator);
  }
  const scientific = /^([+-]?\d*\.?\d+)(?:\\times|\\cdot|\*)10\^\{?([+-]?\d{1,4})\}?$/.exec(text);
  if (scientific) return parseDecimal(`${scientific[1]}e${scientific[2]}`);
  return undefined;
}

/** The float value of a rational. */
export function rationalToNumber(value: Rational): number {
  const scale = 10n ** 20n;
  const whole = Number(value.numerator / value.denominator);
  const remainder = Number(((value.numerator % value.denominator) * scale) / value.denominator) / 1e20;
  return whole + remainder;
}

function isInfinite(value: number): boolean {
  return value === Number.POSITIVE_INFINITY || value === Number.NEGATIVE_INFINITY;
}

/** Constructs that can make evaluation arbitrarily slow: left to structural comparison only. */
const slowConstructs = /\\(?:sum|prod|int|iint|oint|lim|bigcup|bigcap)(?![a-zA-Z])/;

function tooExpensive(latex: string): boolean {
  if (latex.length > 400 || slowConstructs.test(latex)) return true;
  for (const match of latex.matchAll(/(\d+)\s*!/g)) if (Number(match[1]) > 170) return true;
  for (const match of latex.matchAll(/\^\s*\{?\s*(\d+)/g)) if (Number(match[1]) > 100_000) return true;
  return false;
}

/** Rewrites subscripted names (`x_1`, `a_{37}`) into plain symbols, so the CAS does not read them as indexing. */
function flattenSubscripts(latex: string): string {
  return latex.replace(/([A-Za-z])_\{?([A-Za-z0-9]+)\}?/g, (_whole, base: string, index: string) => `\\operatorname{${base}sub${index}}`);
}

/** The canonical form of an expression that is not evaluated (parsing is bounded; evaluation may not be). */
function canonicalOnly(ce: ComputeEngine, latex: string): string {
  if (latex.length > 2000) return latex;
  ce.pushScope();
  try {
    const expression = ce.parse(flattenSubscripts(latex));
    return expression.isValid ? JSON.stringify(expression.json) : latex;
  } catch {
    return latex;
  } finally {
    ce.popScope();
  }
}

/** Options of a CAS session. */
export interface CasOptions {
  /** Clock in milliseconds (default `performance.now`); injected so tests need no real time. */
  now?: () => number;
  /**
   * Receives what the compute-engine library prints to the console while it works (its parser and
   * type checker report odd inputs such as `label(A,A,N)` with console.error). Default: dropped,
   * so verification never writes to the CLI's output.
   */
  onLibraryMessage?: (message: string) => void;
}

const consoleMethods = ['error', 'warn', 'log', 'info', 'debug', 'trace'] as const;

/**
 * Runs `work` (synchronous) with the console methods redirected to `sink`, and restores them after.
 * The library has no option to stay quiet and prints unconditionally; as `work` is synchronous, no
 * other code can print while the console is redirected.
 */
export function withLibraryConsole<T>(sink: (message: string) => void, work: () => T): T {
  const saved = consoleMethods.map((method) => console[method]);
  const capture = (...parts: unknown[]): void => sink(parts.map(String).join(' '));
  for (const method of consoleMethods) console[method] = capture;
  try {
    return work();
  } finally {
    consoleMethods.forEach((method, index) => {
      console[method] = saved[index] as (typeof console)[typeof method];
    });
  }
}

/** A CAS session: one compute-engine instance. */
export interface Cas {
  /** Evaluates a scalar answer's LaTeX; stops at `deadline` (a value of `now()`). */
  evaluate(latex: string, deadline: number): ScalarValue;
  /** The clock the session uses. */
  now(): number;
}

/** Creates a CAS session over a fresh compute-engine instance. */
export function createCas(options: CasOptions = {}): Cas {
  const now = options.now ?? ((): number => performance.now());
  let engine: ComputeEngine | undefined;
  const getEngine = (): ComputeEngine => {
    if (!engine) {
      engine = new ComputeEngine();
      engine.precision = 'machine';
    }
    return engine;
  };

  const sink = options.onLibraryMessage ?? ((): void => undefined);
  const evaluateLoud = (latex: string, deadline: number): ScalarValue => {
    const exact = parseExactNumber(latex);
    if (exact) {
      const value = rationalToNumber(exact);
      return { exact, samples: Array.from({ length: samplePointCount }, () => ({ re: value, im: 0 })), variables: [], canonical: `${exact.numerator}/${exact.denominator}`, timedOut: false };
    }
    const numeric = evaluateNumericLatex(latex);
    if (numeric !== undefined) {
      return { samples: Array.from({ length: samplePointCount }, () => ({ re: numeric, im: 0 })), variables: [], canonical: latex, timedOut: false };
    }
    const ce = getEngine();
    if (tooExpensive(latex)) return { variables: [], canonical: canonicalOnly(ce, latex), timedOut: false };
    // The engine stops its own loops (sums, products, big factorials) at the scope's time limit, in seconds.
    ce.pushScope({ timeLimit: Math.max((deadline - now()) / 1000, 0.001) });
    try {
      const expression = ce.parse(flattenSubscripts(latex));
      if (!expression.isValid) return { variables: [], canonical: latex, timedOut: false };
      const canonical = JSON.stringify(expression.json);
      const variables = [...expression.unknowns].sort();
      const read = (value: { re: number; im: number; isNumberLiteral: boolean }): ComplexValue | undefined =>
        value.isNumberLiteral ? { re: value.re, im: value.im } : undefined;
      const samples: ComplexValue[] = [];
      const rounds = variables.length === 0 ? 1 : samplePointCount;
      for (let round = 0; round < rounds; round += 1) {
        const remainingMs = deadline - now();
        if (remainingMs <= 0) return { variables, canonical, timedOut: true };
        const substitution: Record<string, ReturnType<ComputeEngine['number']>> = {};
        for (const name of variables) substitution[name] = ce.number(samplePoint(name, round));
        const value = read(variables.length === 0 ? expression.N() : expression.subs(substitution).N());
        // An overflowing value (2^{2005}) says nothing about equality: such answers are compared by canonical form.
        if (!value || isInfinite(value.re) || isInfinite(value.im)) return { variables, canonical, timedOut: false };
        samples.push(value);
      }
      while (samples.length < samplePointCount) samples.push(samples[0] ?? { re: Number.NaN, im: 0 });
      return { samples, variables, canonical, timedOut: now() > deadline };
    } catch {
      // The engine throws on inputs it cannot handle (and on its own time limit): such an answer is compared by its text.
      return { variables: [], canonical: latex, timedOut: now() > deadline };
    } finally {
      ce.popScope();
    }
  };
  return { evaluate: (latex, deadline) => withLibraryConsole(sink, () => evaluateLoud(latex, deadline)), now };
}
