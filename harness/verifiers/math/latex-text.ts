/** Small scanners over LaTeX text: balanced groups, top-level splitting, command unwrapping. */

const openers = new Set(['(', '[', '{']);
const closers = new Set([')', ']', '}']);

/**
 * Index of the `}` closing the `{` at `openIndex`, or -1 when unbalanced or when it does not close
 * within `maxLength` characters (default: no limit). Escaped braces (`\{`) count too.
 */
export function matchBrace(text: string, openIndex: number, maxLength = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  const end = Math.min(text.length, openIndex + maxLength);
  for (let index = openIndex; index < end; index += 1) {
    const char = text[index];
    if (char === '{') depth += 1;
    else if (char === '}') {
      depth -= 1;
      if (depth === 0) return index;
    }
  }
  return -1;
}

/**
 * Index of the bracket closing the opener at `openIndex`, counting `(`, `[`, `{` as openers and
 * `)`, `]`, `}` as closers regardless of kind (so half-open intervals like `[0,1)` balance).
 */
export function matchBracket(text: string, openIndex: number): number {
  let depth = 0;
  for (let index = openIndex; index < text.length; index += 1) {
    const char = text[index] ?? '';
    if (openers.has(char)) depth += 1;
    else if (closers.has(char)) {
      depth -= 1;
      if (depth === 0) return index;
    }
  }
  return -1;
}

/** Bracket depth at every index (the depth before reading that character). */
function depthProfile(text: string): Int32Array {
  const depths = new Int32Array(text.length);
  let depth = 0;
  for (let index = 0; index < text.length; index += 1) {
    depths[index] = depth;
    const char = text[index] ?? '';
    if (openers.has(char)) depth += 1;
    else if (closers.has(char)) depth = Math.max(0, depth - 1);
  }
  return depths;
}

/** Splits at every match of `separator` outside brackets and braces; also returns the separators found. */
export function splitTopLevelWith(text: string, separator: RegExp): { parts: string[]; separators: string[] } {
  const depths = depthProfile(text);
  const flags = separator.flags.includes('g') ? separator.flags : `${separator.flags}g`;
  const pattern = new RegExp(separator.source, flags);
  const parts: string[] = [];
  const separators: string[] = [];
  let start = 0;
  for (const match of text.matchAll(pattern)) {
    const index = match.index;
    if (depths[index] !== 0 || match[0].length === 0 || index < start) continue;
    parts.push(text.slice(start, index));
    separators.push(match[0]);
    start = index + match[0].length;
  }
  parts.push(text.slice(start));
  return { parts, separators };
}

/** Splits at every match of `separator` that lies outside brackets and braces. */
export function splitTopLevel(text: string, separator: RegExp): string[] {
  return splitTopLevelWith(text, separator).parts;
}

/** True when the bracket opening at index 0 closes at the last character. */
export function isWrapped(text: string): boolean {
  return text.length >= 2 && matchBracket(text, 0) === text.length - 1;
}

/**
 * Replaces `\name{content}` by `before + content + after` for each listed command, innermost
 * last; a command without a braced argument is removed.
 */
export function unwrapCommands(text: string, names: readonly string[], before = '', after = ''): string {
  const pattern = new RegExp(`\\\\(?:${names.join('|')})(?![a-zA-Z])\\s*`, 'g');
  let result = text;
  for (let guard = 0; guard < 50; guard += 1) {
    pattern.lastIndex = 0;
    const match = pattern.exec(result);
    if (!match) break;
    const argumentStart = match.index + match[0].length;
    if (result[argumentStart] === '{') {
      const close = matchBrace(result, argumentStart);
      if (close < 0) {
        result = result.slice(0, match.index) + result.slice(argumentStart + 1);
        continue;
      }
      result = result.slice(0, match.index) + before + result.slice(argumentStart + 1, close) + after + result.slice(close + 1);
    } else {
      result = result.slice(0, match.index) + result.slice(argumentStart);
    }
  }
  return result;
}

/** Reads one macro argument at `index` (a `{group}`, a `\command` or one character), skipping spaces. */
export function readArgument(text: string, index: number): { value: string; end: number } | undefined {
  let position = index;
  while (text[position] === ' ') position += 1;
  const char = text[position];
  if (char === undefined) return undefined;
  if (char === '{') {
    const close = matchBrace(text, position);
    if (close < 0) return undefined;
    return { value: text.slice(position + 1, close), end: close + 1 };
  }
  if (char === '\\') {
    const command = /^\\[a-zA-Z]+/.exec(text.slice(position));
    if (command) return { value: command[0], end: position + command[0].length };
  }
  if (char === '}' || char === ')' || char === ']') return undefined;
  return { value: char, end: position + 1 };
}

/** Rewrites `\frac12`, `\frac 59`, `\frac3{3}` and `\sqrt2` into braced form (`\frac{1}{2}`, `\sqrt{2}`). */
export function braceArguments(text: string): string {
  let result = '';
  let index = 0;
  while (index < text.length) {
    const rest = text.slice(index);
    const frac = /^\\frac(?![a-zA-Z])/.exec(rest);
    const sqrt = frac ? null : /^\\sqrt(?![a-zA-Z])/.exec(rest);
    if (frac) {
      const numerator = readArgument(text, index + frac[0].length);
      const denominator = numerator ? readArgument(text, numerator.end) : undefined;
      if (numerator && denominator) {
        result += `\\frac{${braceArguments(numerator.value)}}{${braceArguments(denominator.value)}}`;
        index = denominator.end;
        continue;
      }
    } else if (sqrt) {
      let position = index + sqrt[0].length;
      let root = '';
      while (text[position] === ' ') position += 1;
      if (text[position] === '[') {
        const close = text.indexOf(']', position);
        if (close > 0) {
          root = text.slice(position, close + 1);
          position = close + 1;
        }
      }
      const radicand = readArgument(text, position);
      if (radicand) {
        result += `\\sqrt${root}{${braceArguments(radicand.value)}}`;
        index = radicand.end;
        continue;
      }
    }
    result += text[index];
    index += 1;
  }
  return result;
}
