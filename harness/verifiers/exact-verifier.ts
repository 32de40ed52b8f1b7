/** Exact-match checker for short-answer datasets: compares the stated answer after light normalisation. */
import type { Problem, Verdict } from '../core/types.ts';
import type { Verifier } from './types.ts';

/** Lower-case, trim, collapse white space, drop surrounding punctuation and `$`. */
export function normaliseExact(text: string): string {
  return text
    .trim()
    .replace(/^\$+|\$+$/g, '')
    .replace(/\s+/g, ' ')
    .replace(/^[\s"'.,:;()]+|[\s"'.,:;()]+$/g, '')
    .toLowerCase();
}

/** The text after the last "The answer is" / "Answer:", else the last non-empty line. */
export function extractExactAnswer(text: string): string | null {
  const marker = /(?:the (?:final )?answer is|answer:)\s*(.+)/gi;
  let last: string | undefined;
  for (const match of text.matchAll(marker)) last = match[1];
  if (last !== undefined) return last.split('\n')[0]?.trim() ?? null;
  const lines = text.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  return lines.at(-1) ?? null;
}

/** Creates the exact-match verifier. */
export function createExactVerifier(): Verifier {
  return {
    kind: 'exact',
    async verify(problem: Problem, text: string): Promise<Verdict> {
      const answer = extractExactAnswer(text);
      if (answer === null) return { correct: false, answer: null, answerKey: null, reason: 'no-answer' };
      const key = normaliseExact(answer);
      const correct = key === normaliseExact(problem.answer);
      return { correct, answer, answerKey: key, reason: correct ? 'equal' : 'not-equal' };
    },
  };
}
