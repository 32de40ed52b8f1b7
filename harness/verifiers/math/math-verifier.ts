/** The math checker: extract the final answer from a sample, compare it with the problem's gold answer. */
import type { Problem, Verdict } from '../../core/types.ts';
import type { Verifier } from '../types.ts';
import { answerKey } from './answer-key.ts';
import { extractAnswer, type ExtractedAnswer } from './extract-answer.ts';
import { createMathEquivalence, type EquivalenceResult, type MathEquivalence } from './math-equivalent.ts';

/** Options of `createMathVerifier`. */
export interface MathVerifierOptions {
  /** Extraction rules: `math` (boxed answers; default) or `gsm8k` (`####` answers, numeric). */
  style?: 'math' | 'gsm8k';
  /** Take the last number / last `$…$` of a text without any answer marker (default true). */
  lastNumberFallback?: boolean;
  /** Time limit of one equivalence check in milliseconds (default 1000). */
  timeoutMs?: number;
  /** Relative tolerance of numeric comparison (default 1e-6). */
  relativeTolerance?: number;
  /** Session (CAS instance and caches) to use; default: a new one per verifier. */
  equivalence?: MathEquivalence;
}

/** The answer to compare and the outcome of the comparison. */
export interface MathJudgement {
  /** The answer compared with the gold (for joined boxes and a single-valued gold: the last box). */
  answer: string;
  /** The equivalence check. */
  result: EquivalenceResult;
}

/**
 * Compares an extraction with a gold answer. Several adjacent boxes are compared as one list,
 * except when the gold is a single value: then the last box is the answer (the MATH convention).
 */
export function judgeMathAnswer(gold: string, extracted: ExtractedAnswer & { answer: string }, session: MathEquivalence, options: { timeoutMs?: number; relativeTolerance?: number } = {}): MathJudgement {
  let answer = extracted.answer;
  const lastBox = extracted.boxes?.[extracted.boxes.length - 1];
  if (lastBox !== undefined) {
    const goldKind = session.analyze(gold).node.kind;
    if (goldKind !== 'list' && goldKind !== 'named') answer = lastBox;
  }
  const checkOptions = { ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }), ...(options.relativeTolerance === undefined ? {} : { relativeTolerance: options.relativeTolerance }) };
  return { answer, result: session.check(gold, answer, checkOptions) };
}

/** Creates the math (or GSM8K) checker: a sample is correct when its extracted answer is equivalent to `problem.answer`. */
export function createMathVerifier(options: MathVerifierOptions = {}): Verifier {
  const style = options.style ?? 'math';
  const session = options.equivalence ?? createMathEquivalence();
  return {
    kind: style === 'gsm8k' ? 'gsm8k' : 'math',
    verify(problem: Problem, text: string): Promise<Verdict> {
      const extracted = extractAnswer(text, { style, ...(options.lastNumberFallback === undefined ? {} : { lastNumberFallback: options.lastNumberFallback }) });
      if (extracted.answer === null) {
        return Promise.resolve({ correct: false, answer: null, answerKey: null, reason: `no-answer: ${extracted.reason}` });
      }
      const judgement = judgeMathAnswer(problem.answer, { ...extracted, answer: extracted.answer }, session, options);
      const { result } = judgement;
      const reason = result.reason === 'timeout' ? 'timeout' : result.equivalent ? 'equal' : 'not-equal';
      return Promise.resolve({ correct: result.equivalent, answer: judgement.answer, answerKey: answerKey(judgement.answer, session), reason });
    },
  };
}
