/**
 * Finds the final answer in a model's solution text: the last `\boxed{...}` / `\fbox{...}` /
 * `\boxed 5` (nested braces; adjacent boxes joined), "The answer is …", "Final Answer: The final
 * answer is … I hope it is correct", GSM8K `#### n`, and a last-number fallback.
 */
import { matchBrace } from './latex-text.ts';

/** Extraction rules: `math` (boxed first), `gsm8k` (`####` first, numeric answer), `auto` (all markers; `####` wins when present). */
export type ExtractionStyle = 'math' | 'gsm8k' | 'auto';

/** Options of `extractAnswer`. */
export interface ExtractAnswerOptions {
  /** Which markers are looked for (default `auto`). */
  style?: ExtractionStyle;
  /**
   * When no marker is found in a text with prose, take the last number or the last `$…$` span,
   * whichever comes later (default true; Qwen2.5-Math and Math-Verify do the same).
   */
  lastNumberFallback?: boolean;
}

/** What `extractAnswer` found. */
export interface ExtractedAnswer {
  /** The answer text as written (not normalised), or null when none could be found. */
  answer: string | null;
  /**
   * How it was found: `boxed`, `boxed-joined` (several adjacent boxes), `hash-marker` (`####`),
   * `final-answer`, `answer-is`, `answer-label`, `whole-text` (the text is only an answer),
   * `last-latex`, `last-number`; null answers: `empty` (blank text), `empty-box`, `no-answer`.
   */
  reason: string;
  /** For `boxed-joined`: the contents of each joined box, in order (the last one is the MATH last-box answer). */
  boxes?: string[];
}

/** One `\boxed{…}` found in a text. */
export interface Box {
  /** Index of the backslash of `\boxed`. */
  start: number;
  /** Index just after the closing brace (or the `\boxed 5` token). */
  end: number;
  /** What is inside the box. */
  content: string;
}

/** Every `\boxed{…}`, `\fbox{…}` and `\boxed 5` in the text, in order. */
export function findBoxes(text: string): Box[] {
  const boxes: Box[] = [];
  const pattern = /\\(?:boxed|fbox|framebox)(?![a-zA-Z])/g;
  for (const match of text.matchAll(pattern)) {
    let position = match.index + match[0].length;
    while (text[position] === ' ') position += 1;
    if (text[position] === '{') {
      const close = matchBrace(text, position, maxSpanLength);
      if (close < 0) continue;
      boxes.push({ start: match.index, end: close + 1, content: text.slice(position + 1, close) });
    } else if (position > match.index + match[0].length) {
      const token = /^[^\s$\\,.;]+(?:\.\d+)?/.exec(text.slice(position));
      if (token) boxes.push({ start: match.index, end: position + token[0].length, content: token[0] });
    }
  }
  return boxes;
}

/** The last boxed answer of a text (the MATH gold-answer rule), or null. */
export function lastBoxedAnswer(text: string): string | null {
  const boxes = findBoxes(text);
  const last = boxes[boxes.length - 1];
  return last ? last.content : null;
}

/** Longest box, math span or phrase answer looked at, in characters: bounds the work on adversarial texts. */
const maxSpanLength = 4000;

/** Characters at the end of a text searched by the last-number / last-span fallback. */
const fallbackWindow = 3000;

/** A text with this many words outside math is prose, not a bare answer. */
const proseThreshold = 3;

const mathSpanPattern = /\$\$([\s\S]{1,2000}?)\$\$|(?<!\\)\$((?:[^$]|(?<=\\)\$){1,2000}?)(?<!\\)\$|\\\(([\s\S]{1,2000}?)\\\)|\\\[([\s\S]{1,2000}?)\\\]/g;

/** Words of two or more letters outside `$…$` spans and LaTeX commands. */
function proseWords(text: string): number {
  const outside = text
    .replace(mathSpanPattern, ' ')
    .replace(/\\(?:begin|end)\{[^{}]*\}/g, ' ')
    .replace(/\\(?:text|textbf|textnormal|textrm|mbox|mathrm)\s*\{[^{}]*\}/g, ' ')
    .replace(/\\[a-zA-Z]+/g, ' ');
  return (outside.match(/[A-Za-z]{2,}/g) ?? []).length;
}

/** Whether the gap between two boxes is only a short connector (`, `, ` and `, `\quad \text{and} \quad`). */
function isConnector(gap: string): boolean {
  const cleaned = gap
    .replace(/\\text\{([^{}]*)\}/g, '$1')
    .replace(/\\\(|\\\)|\\\[|\\\]|\$|\\quad|\\qquad|\\[,;!: ]/g, ' ')
    .trim();
  if (cleaned.length > 30 || /[.;!?:]/.test(cleaned) || /\n\s*\n/.test(gap)) return false;
  return (cleaned.match(/[A-Za-z]+/g) ?? []).length <= 5;
}

function boxedAnswer(text: string, boxes: Box[]): ExtractedAnswer {
  const last = boxes[boxes.length - 1];
  if (!last) return { answer: null, reason: 'no-answer' };
  const contents = [last.content];
  for (let index = boxes.length - 2; index >= 0; index -= 1) {
    const box = boxes[index];
    const next = boxes[index + 1];
    if (!box || !next || !isConnector(text.slice(box.end, next.start))) break;
    contents.unshift(box.content);
  }
  const parts = contents.map((content) => content.trim()).filter((content) => content !== '');
  if (parts.length === 0) return { answer: null, reason: 'empty-box' };
  if (parts.length === 1) return { answer: parts[0] ?? '', reason: 'boxed' };
  return { answer: parts.join(', '), reason: 'boxed-joined', boxes: parts };
}

const numberPattern = /(?<![A-Za-z0-9_.])[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\/\d+)?(?![\d])/g;

/** The last number of a text (GSM8K style), with its position; thousands commas kept. */
function lastNumber(text: string): { value: string; index: number } | undefined {
  let found: { value: string; index: number } | undefined;
  for (const match of text.matchAll(numberPattern)) found = { value: match[0].replace(/−/g, '-'), index: match.index };
  return found;
}

/** The last `$…$` / `\(…\)` / `\[…\]` span, with its end position. */
function lastMathSpan(text: string): { value: string; end: number } | undefined {
  let found: { value: string; end: number } | undefined;
  for (const match of text.matchAll(mathSpanPattern)) {
    const value = (match[1] ?? match[2] ?? match[3] ?? match[4] ?? '').trim();
    if (value !== '') found = { value, end: match.index + match[0].length };
  }
  return found;
}

/** The fallback for prose: the last number or the last math span, whichever comes later. */
function fallbackAnswer(text: string): ExtractedAnswer {
  const span = lastMathSpan(text);
  const number = lastNumber(text.replace(mathSpanPattern, (whole) => ' '.repeat(whole.length)));
  if (span && (!number || number.index < span.end)) return { answer: span.value, reason: 'last-latex' };
  if (number) return { answer: number.value, reason: 'last-number' };
  return { answer: null, reason: 'no-answer' };
}

/** Cuts a phrase's answer at the end of its sentence ("… is $5$. I hope it is correct."). */
function sentence(segment: string): string {
  let text = segment.replace(/^[\s:*]+/, '');
  const opening = /^(\$\$|\$|\\\(|\\\[)/.exec(text);
  if (opening) {
    const closing = { $$: '\\$\\$', $: '(?<!\\\\)\\$', '\\(': '\\\\\\)', '\\[': '\\\\\\]' }[opening[0]] ?? '\\$';
    const end = new RegExp(closing).exec(text.slice(opening[0].length));
    if (end) return text.slice(0, opening[0].length + end.index + end[0].length).trim();
  }
  const cut = /\n|\.\s+(?=[A-Z[<(\\])|\.\s*$|\bI hope\b|<\||\s\(?(?:Note|Therefore|So|Thus|Hence)\b/.exec(text);
  if (cut) text = text.slice(0, cut.index);
  return text.replace(/[\s.,;*]+$/, '').trim();
}

/** "our answer is correct", "the answer is not …": a judgement about an answer, not an answer. */
const verdictWords = /^(?:correct|incorrect|wrong|right|indeed|consistent|valid|invalid|reasonable|plausible|not|also|given|as follows|below|above|that|this|the same|in|to|because|likely|probably|clearly|obviously|still)\b/i;

/** Occurrences of each answer phrase that are tried, counted from the end. */
const maxPhraseMatches = 8;

interface Candidate {
  position: number;
  produce: () => ExtractedAnswer;
}

/** The answer phrases, each with how its answer is read; phrases are matched case-insensitively. */
const phrases: ReadonlyArray<{ pattern: RegExp; reason: string; takeAfterIs: boolean }> = [
  { pattern: /final answer is/gi, reason: 'final-answer', takeAfterIs: false },
  { pattern: /final answer\s*:/gi, reason: 'final-answer', takeAfterIs: true },
  { pattern: /(?<!final )\banswer is\b/gi, reason: 'answer-is', takeAfterIs: false },
  { pattern: /(?:^|\n)[ \t]*\**[ \t]*answer[ \t]*\**[ \t]*:?[ \t]*\**(?=\s)/gi, reason: 'answer-label', takeAfterIs: true },
];

function phraseCandidates(text: string): Candidate[] {
  const candidates: Candidate[] = [];
  // Every phrase contains "answer": most texts are ruled out by one native search.
  if (!/answer/i.test(text)) return candidates;
  for (const phrase of phrases) {
    // Only the last few occurrences of each phrase can hold the final answer.
    for (const match of [...text.matchAll(phrase.pattern)].slice(-maxPhraseMatches)) {
      const start = match.index + match[0].length;
      candidates.push({
        position: match.index,
        produce: () => {
          let segment = sentence(text.slice(start, start + maxSpanLength));
          if (phrase.takeAfterIs) {
            const is = [...segment.matchAll(/\b(?:is|are|was|=)\s/gi)].pop();
            if (is) segment = segment.slice(is.index + is[0].length).trim();
          }
          segment = segment.replace(/^[\s:]+/, '').replace(/^\\?"|\\?"$/g, '').trim();
          if (segment === '' || verdictWords.test(segment)) return { answer: null, reason: 'no-answer' };
          if (proseWords(segment) >= proseThreshold) {
            const inner = fallbackAnswer(segment);
            return inner.answer === null ? inner : { answer: inner.answer, reason: phrase.reason };
          }
          return { answer: segment, reason: phrase.reason };
        },
      });
    }
  }
  return candidates;
}

/** The GSM8K `#### n` answer: the last `####` line that starts with a number (a Markdown heading `#### Step 1: …` is not one). */
function hashAnswer(text: string): ExtractedAnswer | undefined {
  let found: string | undefined;
  for (const match of text.matchAll(/####[ \t]*([-−+$]?[ \t]*\.?\d[^\n]*)/g)) found = match[1];
  if (found === undefined) return undefined;
  const number = /[-−]?\$?\s*(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\/\d+)?/.exec(found);
  if (!number) return undefined;
  return { answer: number[0].replace(/[$\s]/g, '').replace(/−/g, '-'), reason: 'hash-marker' };
}

/**
 * Extracts the final answer from a solution text. The marker that comes last in the text wins
 * (a "Final Answer:" line after a box overrides it); GSM8K `####` wins over everything in the
 * `gsm8k` and `auto` styles. A text that is only an answer (no prose) is returned whole. No answer:
 * `answer` is null and `reason` says why.
 */
export function extractAnswer(text: string, options: ExtractAnswerOptions = {}): ExtractedAnswer {
  const style = options.style ?? 'auto';
  const fallback = options.lastNumberFallback ?? true;
  const source = style === 'math' ? text : text.replace(/<<[^<>]*>>/g, '');
  if (source.trim() === '') return { answer: null, reason: 'empty' };

  if (style !== 'math') {
    const hash = hashAnswer(source);
    if (hash) return hash;
  }

  const boxes = findBoxes(source);
  const candidates: Candidate[] = phraseCandidates(source);
  const lastBox = boxes[boxes.length - 1];
  if (lastBox) candidates.push({ position: lastBox.start, produce: () => boxedAnswer(source, boxes) });
  candidates.sort((a, b) => b.position - a.position);
  for (const candidate of candidates) {
    const found = candidate.produce();
    if (found.answer !== null || found.reason === 'empty-box') {
      if (style === 'gsm8k' && found.answer !== null) {
        const number = lastNumber(found.answer);
        if (number && proseWords(found.answer) > 0) return { answer: number.value, reason: found.reason };
      }
      return found;
    }
  }

  const trimmed = source.trim().replace(/^[A-Za-z][A-Za-z ]{0,40}:\s*(?=\S)/, '');
  if (trimmed.length <= 120 && proseWords(trimmed) < proseThreshold) {
    if (style === 'gsm8k') {
      const number = lastNumber(trimmed);
      if (number && proseWords(trimmed) > 0) return { answer: number.value, reason: 'last-number' };
    }
    return { answer: trimmed, reason: 'whole-text' };
  }
  if (!fallback) return { answer: null, reason: 'no-answer' };
  // The fallbacks look at the end of the text only: a final answer is written last, and the work stays bounded.
  const tail = source.slice(-fallbackWindow);
  if (style === 'gsm8k') {
    const number = lastNumber(tail);
    return number ? { answer: number.value, reason: 'last-number' } : { answer: null, reason: 'no-answer' };
  }
  return fallbackAnswer(tail);
}
