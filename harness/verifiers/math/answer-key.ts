/**
 * Canonical keys of extracted answers, so majority vote counts `\frac12`, `0.5` and `\dfrac{1}{2}`
 * as one answer. Numbers become reduced rationals (or 10 significant digits), expressions with
 * variables become their values at the seeded sample points, structures keep their shape.
 */
import type { ComplexValue, ScalarValue } from './cas.ts';
import { defaultMathEquivalence, type MathEquivalence } from './math-equivalent.ts';
import type { AnswerNode } from './parse-answer.ts';

/** Largest denominator a float is snapped to when it is (numerically) a simple fraction. */
const maxDenominator = 1000;

/** `p/q` when `value` is a fraction with a small denominator (within 1e-12 relative), else undefined. */
function asFraction(value: number): string | undefined {
  if (!Number.isFinite(value)) return undefined;
  let previousNumerator = 1;
  let numerator = Math.floor(value);
  let previousDenominator = 0;
  let denominator = 1;
  let rest = value - Math.floor(value);
  for (let step = 0; step < 20; step += 1) {
    if (Math.abs(numerator / denominator - value) <= 1e-12 * Math.max(1, Math.abs(value))) {
      return denominator === 1 ? String(numerator) : `${numerator}/${denominator}`;
    }
    if (rest < 1e-12) break;
    const inverse = 1 / rest;
    const whole = Math.floor(inverse);
    rest = inverse - whole;
    [previousNumerator, numerator] = [numerator, whole * numerator + previousNumerator];
    [previousDenominator, denominator] = [denominator, whole * denominator + previousDenominator];
    if (denominator > maxDenominator) break;
  }
  return undefined;
}

function formatReal(value: number, digits: number, snap: boolean): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  const fraction = snap ? asFraction(value) : undefined;
  if (fraction !== undefined) return fraction;
  const rounded = Number(value.toPrecision(digits));
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

/** A complex value as text; `snap` turns near-simple fractions into `p/q` (constants only, not sampled values). */
function formatComplex(value: ComplexValue, digits: number, snap = false): string {
  const scale = Math.max(Math.abs(value.re), Math.abs(value.im));
  if (Math.abs(value.im) <= 1e-12 * Math.max(1, scale)) return formatReal(value.re, digits, snap);
  return `${formatReal(value.re, digits, snap)}${value.im < 0 ? '-' : '+'}${formatReal(Math.abs(value.im), digits, snap)}i`;
}

function scalarKey(value: ScalarValue): string {
  if (value.exact) {
    const { numerator, denominator } = value.exact;
    return denominator === 1n ? String(numerator) : `${numerator}/${denominator}`;
  }
  const first = value.samples?.[0];
  if (value.samples && first) {
    if (value.variables.length === 0) return formatComplex(first, 10, true);
    return `f(${value.variables.join(',')})[${value.samples.map((sample) => formatComplex(sample, 8)).join(';')}]`;
  }
  return `expr:${value.canonical}`;
}

function relationKey(node: Extract<AnswerNode, { kind: 'relation' }>, session: MathEquivalence): string {
  const { operator, left, right } = node.relation;
  const difference = session.scalar(`(${left})-(${right})`);
  const samples = difference.samples;
  const pivot = samples?.find((sample) => Math.hypot(sample.re, sample.im) > 1e-12);
  if (!samples || !pivot) return `${operator}:expr:${difference.canonical}`;
  // Scale so `2x + y = 0` and `-4x - 2y = 0` share a key; inequalities only by positive factors.
  const divisor = operator === '<' || operator === '<=' ? { re: Math.hypot(pivot.re, pivot.im), im: 0 } : pivot;
  const norm = divisor.re * divisor.re + divisor.im * divisor.im;
  const scaled = samples.map((sample) => ({ re: (sample.re * divisor.re + sample.im * divisor.im) / norm, im: (sample.im * divisor.re - sample.re * divisor.im) / norm }));
  return `${operator}:[${scaled.map((sample) => formatComplex(sample, 8)).join(';')}]`;
}

function nodeKey(node: AnswerNode, session: MathEquivalence): string {
  switch (node.kind) {
    case 'scalar': {
      const value = session.scalar(node.latex);
      // `y = -2x` keys as the equation (so it groups with `2x + y = 0`); `x = 3` keys as its value.
      if (node.equation && value.variables.length > 0) return relationKey({ kind: 'relation', relation: node.equation }, session);
      return scalarKey(value);
    }
    case 'text':
      return `text:${node.text}`;
    case 'tuple':
      return `(${node.items.map((item) => nodeKey(item, session)).join(',')})`;
    case 'interval':
      return `${node.left}${nodeKey(node.low, session)},${nodeKey(node.high, session)}${node.right}`;
    case 'named':
      return `(${node.values.map((item) => nodeKey(item, session)).join(',')})`;
    case 'list': {
      const keys = [...new Set(node.items.map((item) => nodeKey(item, session)))].sort();
      return keys.length === 1 ? (keys[0] ?? '') : `{${keys.join(',')}}`;
    }
    case 'matrix':
      return `[${node.rows.map((row) => row.map((cell) => nodeKey(cell, session)).join(',')).join(';')}]`;
    case 'relation':
      return relationKey(node, session);
  }
}

/**
 * A canonical key for an extracted answer: equivalent answers share a key as far as a canonical
 * form allows (`\frac12`, `0.5`, `\dfrac{1}{2}` → `1/2`; `x = 3` → `3`; `\{2, 1\}` → `{1,2}`;
 * `(x+1)^2` and `x^2+2x+1` → the same sampled-values key). '' for an empty answer. Uses the
 * default session unless one is given.
 */
export function answerKey(answer: string, session: MathEquivalence = defaultMathEquivalence()): string {
  const { normalized, node } = session.analyze(answer);
  if (normalized === '') return '';
  return nodeKey(node, session);
}
