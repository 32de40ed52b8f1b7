/**
 * Are two final answers the same mathematical answer? Normalisation (see `normalizeAnswer`), then
 * structure (tuples, sets, intervals, matrices, `\pm`, several answers, named values, relations),
 * then element by element: exact rationals, numeric comparison with a relative tolerance, and
 * symbolic comparison through the compute-engine CAS, under a time limit per check. Verdicts are
 * cached on the normalised pair (bounded LRU).
 */
import { createCas, type Cas, type ComplexValue, type ScalarValue } from './cas.ts';
import { LruCache } from './lru-cache.ts';
import { normalizeAnswer } from './normalize-answer.ts';
import { parseNode, type AnswerNode, type Relation } from './parse-answer.ts';

/** Per-check options of `mathEquivalent`. */
export interface MathEquivalentOptions {
  /** Time limit of one check in milliseconds (default 1000); past it the answers are judged different, reason `timeout`. */
  timeoutMs?: number;
  /** Relative tolerance of numeric comparison (default 1e-6): |a − b| ≤ tol · max(|a|, |b|). */
  relativeTolerance?: number;
}

/** Options of a math-equivalence session. */
export interface MathEquivalenceOptions extends MathEquivalentOptions {
  /** Most verdicts kept in the pair cache (default 100,000). */
  pairCacheSize?: number;
  /** Most parsed answers and scalar evaluations kept (default 50,000 each). */
  answerCacheSize?: number;
  /** Clock in milliseconds (default `performance.now`). */
  now?: () => number;
}

/** The detailed outcome of one check. */
export interface EquivalenceResult {
  /** True when the answers are judged equal. */
  equivalent: boolean;
  /** `identical` (same normalised text), `equal`, `not-equal`, `timeout` or `empty`. */
  reason: 'identical' | 'equal' | 'not-equal' | 'timeout' | 'empty';
  /** True when the verdict came from the pair cache. */
  cached: boolean;
}

/** A session: its own CAS instance and caches. */
export interface MathEquivalence {
  /** True when `a` and `b` are the same answer. */
  equivalent(a: string, b: string, options?: MathEquivalentOptions): boolean;
  /** Like `equivalent`, with the reason and whether it was cached. */
  check(a: string, b: string, options?: MathEquivalentOptions): EquivalenceResult;
  /** The structure of a (normalised) answer, cached. */
  analyze(answer: string): { normalized: string; node: AnswerNode };
  /** Evaluates a scalar's LaTeX through the CAS, cached. */
  scalar(latex: string, deadline?: number): ScalarValue;
  /** The CAS session (shared with `answerKey`). */
  readonly cas: Cas;
}

const defaultTimeoutMs = 1000;
/** Longest normalised answer that is parsed into a structure, in characters. */
const maxAnswerLength = 2000;
const defaultTolerance = 1e-6;

interface CompareContext {
  deadline: number;
  tolerance: number;
  timedOut: boolean;
  scalar: (latex: string) => ScalarValue;
}

/** True when two complex values agree within the relative tolerance (with a small absolute floor near zero). */
export function closeValues(a: ComplexValue, b: ComplexValue, tolerance: number): boolean {
  const difference = Math.hypot(a.re - b.re, a.im - b.im);
  const scale = Math.max(Math.hypot(a.re, a.im), Math.hypot(b.re, b.im));
  if (!Number.isFinite(scale)) return a.re === b.re && a.im === b.im;
  return difference <= tolerance * scale + 1e-12;
}

function isBad(value: ComplexValue): boolean {
  return Number.isNaN(value.re) || Number.isNaN(value.im);
}

function compareScalarValues(a: ScalarValue, b: ScalarValue, tolerance: number): boolean {
  if (a.exact && b.exact) {
    if (a.exact.numerator === b.exact.numerator && a.exact.denominator === b.exact.denominator) return true;
    if (a.exact.denominator === 1n && b.exact.denominator === 1n) return false;
  }
  if (a.samples && b.samples) {
    let compared = 0;
    for (let index = 0; index < a.samples.length; index += 1) {
      const x = a.samples[index];
      const y = b.samples[index];
      if (!x || !y) return false;
      if (isBad(x) && isBad(y)) continue;
      if (isBad(x) || isBad(y)) return false;
      if (!closeValues(x, y, tolerance)) return false;
      compared += 1;
    }
    if (compared > 0) return true;
  }
  return a.canonical === b.canonical;
}

/** Values of `left − right` of a relation at the sample points. */
function relationSamples(relation: Relation, context: CompareContext): ComplexValue[] | undefined {
  return context.scalar(`(${relation.left})-(${relation.right})`).samples;
}

/** Same relation: `left − right` of one is a constant multiple of the other's (positive for inequalities). */
function compareRelations(a: Relation, b: Relation, context: CompareContext): boolean {
  if (a.operator !== b.operator) return false;
  const x = relationSamples(a, context);
  const y = relationSamples(b, context);
  if (!x || !y) return false;
  let ratio: ComplexValue | undefined;
  for (let index = 0; index < x.length; index += 1) {
    const p = x[index];
    const q = y[index];
    if (!p || !q || isBad(p) || isBad(q)) return false;
    const pZero = Math.hypot(p.re, p.im) < 1e-12;
    const qZero = Math.hypot(q.re, q.im) < 1e-12;
    if (pZero || qZero) {
      if (pZero !== qZero) return false;
      continue;
    }
    const denominator = q.re * q.re + q.im * q.im;
    const current = { re: (p.re * q.re + p.im * q.im) / denominator, im: (p.im * q.re - p.re * q.im) / denominator };
    if (ratio === undefined) ratio = current;
    else if (!closeValues(ratio, current, context.tolerance * 10)) return false;
  }
  if (ratio === undefined) return true;
  if (a.operator === '<' || a.operator === '<=') return ratio.re > 0 && Math.abs(ratio.im) < 1e-9;
  return true;
}

function dedupe(items: AnswerNode[], context: CompareContext): AnswerNode[] {
  const unique: AnswerNode[] = [];
  for (const item of items) if (!unique.some((kept) => compareNodes(kept, item, context))) unique.push(item);
  return unique;
}

function compareOrdered(a: AnswerNode[], b: AnswerNode[], context: CompareContext): boolean {
  return a.length === b.length && a.every((item, index) => {
    const other = b[index];
    return other !== undefined && compareNodes(item, other, context);
  });
}

function compareUnordered(a: AnswerNode[], b: AnswerNode[], context: CompareContext): boolean {
  const left = dedupe(a, context);
  const right = dedupe(b, context);
  if (left.length !== right.length) return false;
  const used = new Array<boolean>(right.length).fill(false);
  for (const item of left) {
    const index = right.findIndex((other, position) => !used[position] && compareNodes(item, other, context));
    if (index < 0) return false;
    used[index] = true;
  }
  return true;
}

function nodeText(node: AnswerNode): string | undefined {
  if (node.kind === 'text') return node.text;
  if (node.kind === 'scalar') return node.latex.toLowerCase().replace(/\s+/g, '');
  return undefined;
}

/** Compares two answer structures element by element. */
function compareNodes(a: AnswerNode, b: AnswerNode, context: CompareContext): boolean {
  if (context.timedOut) return false;
  const textA = nodeText(a);
  const textB = nodeText(b);
  if (textA !== undefined && textA === textB) return true;
  if (a.kind === 'list' && a.items.length === 1 && a.items[0]) return compareNodes(a.items[0], b, context);
  if (b.kind === 'list' && b.items.length === 1 && b.items[0]) return compareNodes(a, b.items[0], context);
  switch (a.kind) {
    case 'scalar': {
      if (b.kind === 'scalar') {
        if (compareScalarValues(context.scalar(a.latex), context.scalar(b.latex), context.tolerance)) return true;
        if (a.equation && b.equation) return compareRelations(a.equation, b.equation, context);
        return false;
      }
      if (b.kind === 'relation' && a.equation) return compareRelations(a.equation, b.relation, context);
      if (b.kind === 'list') {
        const unique = dedupe(b.items, context);
        return unique.length === 1 && unique[0] !== undefined && compareNodes(a, unique[0], context);
      }
      return false;
    }
    case 'text':
      return false;
    case 'relation':
      if (b.kind === 'relation') return compareRelations(a.relation, b.relation, context);
      if (b.kind === 'scalar' && b.equation) return compareRelations(a.relation, b.equation, context);
      return false;
    case 'tuple':
      if (b.kind === 'tuple' || b.kind === 'list') return compareOrdered(a.items, b.items, context);
      if (b.kind === 'named') return compareOrdered(a.items, b.values, context);
      if (b.kind === 'interval') return b.left === '(' && b.right === ')' && compareOrdered(a.items, [b.low, b.high], context);
      if (b.kind === 'matrix') return compareVector(b, a.items, context);
      return false;
    case 'interval':
      if (b.kind === 'interval') return a.left === b.left && a.right === b.right && compareNodes(a.low, b.low, context) && compareNodes(a.high, b.high, context);
      if (b.kind === 'tuple') return compareNodes(b, a, context);
      return false;
    case 'list':
      if (b.kind === 'list') return compareUnordered(a.items, b.items, context);
      if (b.kind === 'named') return compareUnordered(a.items, b.values, context);
      if (b.kind === 'tuple') return compareOrdered(a.items, b.items, context);
      if (b.kind === 'scalar') return compareNodes(b, a, context);
      return false;
    case 'named':
      if (b.kind === 'named') {
        const sameNames = a.names.length === b.names.length && a.names.every((name) => b.names.includes(name));
        if (sameNames) {
          return a.names.every((name, index) => {
            const value = a.values[index];
            const other = b.values[b.names.indexOf(name)];
            return value !== undefined && other !== undefined && compareNodes(value, other, context);
          });
        }
        return compareOrdered(a.values, b.values, context);
      }
      if (b.kind === 'tuple') return compareOrdered(a.values, b.items, context);
      if (b.kind === 'list') return compareUnordered(a.values, b.items, context);
      return false;
    case 'matrix':
      if (b.kind === 'matrix') {
        return a.rows.length === b.rows.length && a.rows.every((row, index) => {
          const other = b.rows[index];
          return other !== undefined && compareOrdered(row, other, context);
        });
      }
      if (b.kind === 'tuple') return compareVector(a, b.items, context);
      return false;
  }
}

/** A column or row vector against a tuple, element by element. */
function compareVector(matrix: { rows: AnswerNode[][] }, items: AnswerNode[], context: CompareContext): boolean {
  const cells = matrix.rows.length === 1 ? (matrix.rows[0] ?? []) : matrix.rows.every((row) => row.length === 1) ? matrix.rows.map((row) => row[0] as AnswerNode) : undefined;
  return cells !== undefined && compareOrdered(cells, items, context);
}

/** Creates a session with its own CAS instance and caches. */
export function createMathEquivalence(options: MathEquivalenceOptions = {}): MathEquivalence {
  const cas = createCas(options.now ? { now: options.now } : {});
  const pairs = new LruCache<string, EquivalenceResult>(options.pairCacheSize ?? 100_000);
  const answers = new LruCache<string, { normalized: string; node: AnswerNode }>(options.answerCacheSize ?? 50_000);
  const scalars = new LruCache<string, ScalarValue>(options.answerCacheSize ?? 50_000);

  const analyze = (answer: string): { normalized: string; node: AnswerNode } => {
    const hit = answers.get(answer);
    if (hit) return hit;
    const normalized = normalizeAnswer(answer);
    // A very long "answer" is not a final answer: it is compared as text only.
    const node: AnswerNode = normalized.length > maxAnswerLength ? { kind: 'text', text: normalized } : parseNode(normalized);
    const result = { normalized, node };
    answers.set(answer, result);
    return result;
  };

  const scalar = (latex: string, deadline = cas.now() + (options.timeoutMs ?? defaultTimeoutMs)): ScalarValue => {
    const hit = scalars.get(latex);
    if (hit) return hit;
    const value = cas.evaluate(latex, deadline);
    if (!value.timedOut) scalars.set(latex, value);
    return value;
  };

  const check = (a: string, b: string, checkOptions: MathEquivalentOptions = {}): EquivalenceResult => {
    const left = analyze(a);
    const right = analyze(b);
    if (left.normalized === '' || right.normalized === '') return { equivalent: false, reason: 'empty', cached: false };
    if (left.normalized === right.normalized) return { equivalent: true, reason: 'identical', cached: false };
    const tolerance = checkOptions.relativeTolerance ?? options.relativeTolerance ?? defaultTolerance;
    const pairKey = left.normalized < right.normalized ? `${left.normalized}\u0000${right.normalized}\u0000${tolerance}` : `${right.normalized}\u0000${left.normalized}\u0000${tolerance}`;
    const hit = pairs.get(pairKey);
    if (hit) return { ...hit, cached: true };
    const timeoutMs = checkOptions.timeoutMs ?? options.timeoutMs ?? defaultTimeoutMs;
    const context: CompareContext = { deadline: cas.now() + timeoutMs, tolerance, timedOut: false, scalar: (latex) => {
      const value = scalar(latex, context.deadline);
      if (value.timedOut) context.timedOut = true;
      return value;
    } };
    const equal = compareNodes(left.node, right.node, context);
    const result: EquivalenceResult = context.timedOut
      ? { equivalent: false, reason: 'timeout', cached: false }
      : { equivalent: equal, reason: equal ? 'equal' : 'not-equal', cached: false };
    if (!context.timedOut) pairs.set(pairKey, result);
    return result;
  };

  return {
    equivalent: (a, b, checkOptions) => check(a, b, checkOptions).equivalent,
    check,
    analyze,
    scalar,
    cas,
  };
}

let defaultSession: MathEquivalence | undefined;

/** The session behind `mathEquivalent` and `answerKey`, created on first use. */
export function defaultMathEquivalence(): MathEquivalence {
  defaultSession ??= createMathEquivalence();
  return defaultSession;
}

/**
 * True when two final answers (LaTeX or plain text, as extracted) are the same mathematical
 * answer: `\frac12` = `0.5` = `\dfrac{1}{2}`, `x = 3` = `3`, `10,\!080` = `10080`, `(1,2)` ≠ `(2,1)`,
 * `\{1, 2\}` = `\{2, 1\}`, `1 \pm \sqrt{19}` = `1+\sqrt{19}, 1-\sqrt{19}`, `2x+y=0` = `y=-2x`.
 * Uses a shared default session (its caches persist); `createMathEquivalence` gives an isolated one.
 */
export function mathEquivalent(a: string, b: string, options?: MathEquivalentOptions): boolean {
  return defaultMathEquivalence().equivalent(a, b, options);
}
