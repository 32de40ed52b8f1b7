/**
 * Reads a normalised answer string into a structure: a scalar expression, text, a tuple, an
 * interval, an unordered list (sets, multiple answers, unions, `\pm`), a matrix, named values
 * (`a = 1, b = 2`) or a relation (`2x + y = 0`, `x \leq 5`). Scalars stay LaTeX strings here; the
 * computer-algebra step evaluates them.
 */
import { isWrapped, matchBracket, splitTopLevel, splitTopLevelWith } from './latex-text.ts';

/** Comparison operator of a relation, after flipping `>`/`\geq` to `<`/`\leq`. */
export type RelationOperator = '=' | '!=' | '<' | '<=';

/** An equation or inequality `left op right`. */
export interface Relation {
  /** Operator. */
  operator: RelationOperator;
  /** Left side (LaTeX). */
  left: string;
  /** Right side (LaTeX). */
  right: string;
}

/** The structure of one answer. */
export type AnswerNode =
  | { kind: 'scalar'; latex: string; equation?: Relation }
  | { kind: 'text'; text: string }
  | { kind: 'tuple'; items: AnswerNode[] }
  | { kind: 'interval'; left: '(' | '['; right: ')' | ']'; low: AnswerNode; high: AnswerNode }
  | { kind: 'list'; items: AnswerNode[] }
  | { kind: 'matrix'; rows: AnswerNode[][] }
  | { kind: 'named'; names: string[]; values: AnswerNode[] }
  | { kind: 'relation'; relation: Relation };

const maxDepth = 8;

/** True when `latex` reads as a name rather than a value: `x`, `a_3`, `f(x)`, `(p,q)`, `|AB|`, `V_1:V_2`, `\frac{NO}{BO}`. */
export function isLabel(latex: string): boolean {
  const trimmed = latex.trim();
  if (trimmed === '' || trimmed.length > 24) return false;
  const withoutSubscripts = trimmed.replace(/_\{[^{}]*\}/g, '').replace(/_[A-Za-z0-9]/g, '');
  if (/\\(?:pi|infty|sqrt)(?![a-zA-Z])/.test(withoutSubscripts)) return false;
  const bare = withoutSubscripts.replace(/\\(?:frac|angle|overline|overrightarrow|vec|hat|bar|triangle|measuredangle|mathbf|mathrm)(?![a-zA-Z])/g, '').replace(/\\[a-zA-Z]+/g, 'a');
  return /[A-Za-z]/.test(bare) && /^[A-Za-z(),|:{}\s'*]+$/.test(bare);
}

/** True when `latex` has no free variable letters (numbers, `\pi`, `\sqrt`, `e`, `i` only). */
export function isConstantLatex(latex: string): boolean {
  const stripped = latex
    .replace(/\\(?:frac|sqrt|pi|infty|cdot|times|div|ln|log|exp|sin|cos|tan|sec|csc|cot|arcsin|arccos|arctan|binom|left|right)(?![a-zA-Z])/g, '')
    .replace(/(?<![A-Za-z])[ei](?![A-Za-z])/g, '');
  return !/[A-Za-z]/.test(stripped);
}

function parseRelationChain(text: string, depth: number): AnswerNode | undefined {
  const tokens = /\\leq|\\geq|\\neq|\\approx|\\in(?![a-zA-Z])|\\equiv|\\sim|=|<|>/g;
  const { parts: segments, separators: operators } = splitTopLevelWith(text, tokens);
  if (segments.length < 2) return undefined;
  const parts = segments.map((segment) => segment.trim());
  if (parts.some((part) => part === '')) return undefined;
  const isEquality = (operator: string): boolean => operator === '=' || operator === '\\approx' || operator === '\\in' || operator === '\\equiv' || operator === '\\sim';
  const first = parts[0] ?? '';
  if (operators.every(isEquality)) {
    if (isLabel(first) || isConstantLatex(first)) {
      // `x = 5 + 5 + 1 = 11`, `x \approx 11`, `\frac12 = \frac{10}{9}`: the value is the last exact member.
      let chosen = parts.length - 1;
      for (let index = parts.length - 1; index >= 1; index -= 1) {
        if (operators[index - 1] !== '\\approx') {
          chosen = index;
          break;
        }
      }
      const value = parseNode(parts[chosen] ?? '', depth + 1);
      if (value.kind === 'scalar' && parts.length === 2 && operators[0] === '=') {
        return { kind: 'scalar', latex: value.latex, equation: { operator: '=', left: first, right: parts[1] ?? '' } };
      }
      return value;
    }
    if (operators.length >= 1 && operators.every((operator) => operator === '=')) {
      const left = parts[parts.length - 2] ?? '';
      const right = parts[parts.length - 1] ?? '';
      return { kind: 'relation', relation: { operator: '=', left, right } };
    }
    return undefined;
  }
  const inequality = (operator: string): '<' | '<=' | '>' | '>=' | undefined =>
    operator === '<' ? '<' : operator === '>' ? '>' : operator === '\\leq' ? '<=' : operator === '\\geq' ? '>=' : undefined;
  if (parts.length === 2) {
    const operator = operators[0] ?? '';
    if (operator === '\\neq') return { kind: 'relation', relation: { operator: '!=', left: first, right: parts[1] ?? '' } };
    const kind = inequality(operator);
    if (kind === undefined) return undefined;
    if (kind === '<' || kind === '<=') return { kind: 'relation', relation: { operator: kind, left: first, right: parts[1] ?? '' } };
    return { kind: 'relation', relation: { operator: kind === '>' ? '<' : '<=', left: parts[1] ?? '', right: first } };
  }
  if (parts.length === 3) {
    const a = inequality(operators[0] ?? '');
    const b = inequality(operators[1] ?? '');
    const low = parts[0] ?? '';
    const high = parts[2] ?? '';
    if (a === undefined || b === undefined || !isConstantLatex(low) || !isConstantLatex(high)) return undefined;
    const upward = (a === '<' || a === '<=') && (b === '<' || b === '<=');
    const downward = (a === '>' || a === '>=') && (b === '>' || b === '>=');
    if (upward) {
      return { kind: 'interval', left: a === '<' ? '(' : '[', right: b === '<' ? ')' : ']', low: parseNode(low, depth + 1), high: parseNode(high, depth + 1) };
    }
    if (downward) {
      return { kind: 'interval', left: b === '>' ? '(' : '[', right: a === '>' ? ')' : ']', low: parseNode(high, depth + 1), high: parseNode(low, depth + 1) };
    }
  }
  return undefined;
}

function matrixCells(body: string, environment: string): string[][] {
  const content = environment === 'array' ? body.replace(/^\s*\{[^{}]*\}/, '') : body;
  return content
    .split(/\\\\/)
    .map((row) => row.trim())
    .filter((row) => row !== '' && row !== '\\hline')
    .map((row) => row.split('&').map((cell) => cell.trim()));
}

/**
 * `A + B`, `A - B` and `A B` (or `A \cdot B`) of written-out matrices, computed cell by cell as
 * LaTeX sums and products, so `\begin{pmatrix}1&2\\3&4\end{pmatrix} + \begin{pmatrix}5&6\\7&8\end{pmatrix}` is
 * compared as the matrix it equals.
 */
function parseMatrixArithmetic(text: string, depth: number): AnswerNode | undefined {
  const block = /\\begin\{([pbBvV]?matrix)\}([\s\S]*?)\\end\{\1\}/g;
  const matrices: string[][][] = [];
  const operators: string[] = [];
  let position = 0;
  for (const match of text.matchAll(block)) {
    const between = text.slice(position, match.index).trim();
    if (matrices.length === 0 ? between !== '' : !/^(?:\+|-|\\cdot|\\times|)$/.test(between)) return undefined;
    if (matrices.length > 0) operators.push(between);
    matrices.push(matrixCells(match[2] ?? '', match[1] ?? ''));
    position = match.index + match[0].length;
  }
  if (matrices.length < 2 || text.slice(position).trim() !== '') return undefined;
  let result = matrices[0] ?? [];
  for (let index = 1; index < matrices.length; index += 1) {
    const right = matrices[index] ?? [];
    const operator = operators[index - 1] ?? '';
    if (operator === '+' || operator === '-') {
      if (result.length !== right.length || result.some((row, r) => row.length !== (right[r] ?? []).length)) return undefined;
      result = result.map((row, r) => row.map((cell, c) => `(${cell})${operator}(${right[r]?.[c] ?? ''})`));
    } else {
      const inner = right.length;
      if (result.some((row) => row.length !== inner)) return undefined;
      const columns = right[0]?.length ?? 0;
      result = result.map((row) => Array.from({ length: columns }, (_, c) => row.map((cell, k) => `(${cell})\\cdot(${right[k]?.[c] ?? ''})`).join('+')));
    }
  }
  return { kind: 'matrix', rows: result.map((row) => row.map((cell) => parseNode(cell, depth + 1))) };
}

function parseMatrix(text: string, depth: number): AnswerNode | undefined {
  const arithmetic = parseMatrixArithmetic(text, depth);
  if (arithmetic) return arithmetic;
  const match = /^(.*?)\[?\s*\\begin\{([pbBvV]?matrix|array|smallmatrix)\}(.*)\\end\{\2\}\s*\]?$/.exec(text);
  if (!match) return undefined;
  const prefix = (match[1] ?? '').trim().replace(/\\cdot$|\\times$/, '').trim();
  // `\mathbf{v} = \begin{pmatrix}…` is a relation: the chain reader takes its value.
  if (/=|\\in(?![a-zA-Z])|\\approx|<|>|\\leq|\\geq/.test(prefix)) return undefined;
  const rows = matrixCells(match[3] ?? '', match[2] ?? '').map((row) =>
    row.map((cell) => parseNode(prefix === '' ? cell : `(${prefix})\\cdot(${cell})`, depth + 1)),
  );
  if (rows.length === 0) return undefined;
  return { kind: 'matrix', rows };
}

function splitItems(text: string): string[] {
  const words = text.replace(/(^|[\s)\]}])(?:and|or)(?=[\s([{]|$)/g, '$1,');
  return splitTopLevel(words, /,|;/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

function expandPlusMinus(text: string): string[] | undefined {
  const match = /\\(pm|mp)(?![a-zA-Z])/.exec(text);
  if (!match) return undefined;
  const before = text.slice(0, match.index);
  const after = text.slice(match.index + match[0].length);
  const plusFirst = match[1] === 'pm';
  return [`${before}${plusFirst ? '+' : '-'}${after}`, `${before}${plusFirst ? '-' : '+'}${after}`];
}

function flattenList(items: AnswerNode[]): AnswerNode[] {
  return items.flatMap((item) => (item.kind === 'list' ? item.items : [item]));
}

/** Parses a normalised answer string (see `normalizeAnswer`) into its structure. */
export function parseNode(input: string, depth = 0): AnswerNode {
  const text = input.trim();
  if (depth > maxDepth || text === '') return { kind: 'text', text };

  const matrix = parseMatrix(text, depth);
  if (matrix) return matrix;

  if (/\\(?:pm|mp)(?![a-zA-Z])/.test(text) && !text.includes('\\begin')) {
    const expanded = expandPlusMinus(text);
    if (expanded) return { kind: 'list', items: flattenList(expanded.map((part) => parseNode(part, depth + 1))) };
  }

  const groups = splitTopLevel(text, /;/).map((part) => part.trim()).filter((part) => part !== '');
  if (groups.length > 1) return { kind: 'list', items: flattenList(groups.map((group) => parseNode(group, depth + 1))) };

  if (/^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(text)) return { kind: 'scalar', latex: text.replace(/,/g, '') };

  const items = splitItems(text);
  if (items.length > 1) {
    const assignments = items.map((item) => splitTopLevel(item, /=/));
    const named = assignments.every((parts) => parts.length === 2 && isLabel(parts[0] ?? ''));
    if (named) {
      const names = assignments.map((parts) => (parts[0] ?? '').trim().replace(/\s+/g, ''));
      if (new Set(names).size === names.length) {
        return { kind: 'named', names, values: assignments.map((parts) => parseNode(parts[1] ?? '', depth + 1)) };
      }
    }
    return { kind: 'list', items: flattenList(items.map((item) => parseNode(item, depth + 1))) };
  }

  const relation = parseRelationChain(text, depth);
  if (relation) return relation;

  const unions = splitTopLevel(text, /\\cup(?![a-zA-Z])/).map((part) => part.trim());
  if (unions.length > 1 && unions.every((part) => part !== '')) {
    return { kind: 'list', items: flattenList(unions.map((part) => parseNode(part, depth + 1))) };
  }

  if (text.startsWith('\\{') && text.endsWith('\\}')) {
    const inner = text.slice(2, -2);
    return { kind: 'list', items: flattenList(splitItems(inner).map((item) => parseNode(item, depth + 1))) };
  }

  const first = text[0];
  const last = text[text.length - 1];
  if ((first === '(' || first === '[') && (last === ')' || last === ']') && isWrapped(text)) {
    const inner = text.slice(1, -1);
    const parts = splitTopLevel(inner, /,|;/).map((part) => part.trim());
    if (parts.length >= 2 && parts.every((part) => part !== '')) {
      const nodes = parts.map((part) => parseNode(part, depth + 1));
      if (first === '(' && last === ')') return { kind: 'tuple', items: nodes };
      if (nodes.length === 2 && nodes[0] && nodes[1]) return { kind: 'interval', left: first, right: last, low: nodes[0], high: nodes[1] };
      return { kind: 'tuple', items: nodes };
    }
    if (first === '(' && last === ')' && parts.length === 1) return parseNode(inner, depth + 1);
  }
  if (first === '{' && last === '}' && matchBracket(text, 0) === text.length - 1) return parseNode(text.slice(1, -1), depth + 1);

  const mixed = /^([+-]?)(\d+)\s*\\frac\{(\d+)\}\{(\d+)\}$/.exec(text);
  if (mixed) {
    return { kind: 'scalar', latex: `${mixed[1]}(${mixed[2]}+\\frac{${mixed[3]}}{${mixed[4]}})` };
  }

  const choice = /^\(([A-Za-z])\)$/.exec(text);
  if (choice) return { kind: 'text', text: (choice[1] ?? '').toLowerCase() };
  if (/^[A-Za-z][A-Za-z' ]*[A-Za-z]$/.test(text) && (text.includes(' ') || text.length >= 3)) {
    return { kind: 'text', text: text.toLowerCase().replace(/\s+/g, ' ') };
  }
  return { kind: 'scalar', latex: text };
}
