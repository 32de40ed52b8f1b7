/**
 * Thinking budgets, measured rather than trusted: from a completion's usage and the requested
 * budget, whether the budget was hit, whether the server ignored it (realised thinking far above
 * it), and whether budget exhaustion left the answer empty.
 */
import type { Completion } from '../types.ts';

/** Tolerance of the "ignored" test: realised thinking tokens above `factor × budget + slackTokens`. */
export interface BudgetTolerance {
  /** Multiplier on the budget (default 1.2). */
  factor: number;
  /** Tokens allowed above the scaled budget: delimiters, the token that crossed it, tokenizer differences (default 32). */
  slackTokens: number;
}

/** Default tolerance: 1.2 × budget + 32 tokens. */
export const defaultBudgetTolerance: BudgetTolerance = { factor: 1.2, slackTokens: 32 };

/** A problem the audit found. */
export interface BudgetFinding {
  /** `THINKING_BUDGET_IGNORED` (thinking far above the budget) or `THINKING_ANSWER_EMPTY` (the budget was spent and no answer came). */
  code: 'THINKING_BUDGET_IGNORED' | 'THINKING_ANSWER_EMPTY';
  /** What happened, with the numbers. */
  message: string;
}

/** The audit of one sample. */
export interface BudgetAudit {
  /** Requested thinking budget, tokens. */
  requested: number;
  /** Realised thinking tokens (the server's count, or an estimate when it gave none). */
  thinkingTokens: number;
  /** True when `thinkingTokens` is an estimate: the server reported no thinking count but returned thinking text. */
  thinkingTokensEstimated: boolean;
  /** True when the thinking reached the budget (or the strategy reported the budget hit). */
  hit: boolean;
  /** True when realised thinking exceeded the tolerance: the server did not enforce the budget. */
  ignored: boolean;
  /** True when the answer text is empty (whitespace only). */
  emptyAnswer: boolean;
  /** True when the answer is empty because the budget or the token limit was spent on thinking. */
  emptyAnswerFromBudget: boolean;
  /** Findings, empty when all is well. */
  findings: BudgetFinding[];
}

/**
 * Realised thinking tokens of a completion: `usage.thinkingTokens` when the server counted them;
 * when it did not (0) but thinking text came back, the completion tokens split in proportion to
 * the characters of thinking and answer (an estimate, flagged).
 */
export function realisedThinkingTokens(completion: Completion): { tokens: number; estimated: boolean } {
  const thinking = completion.thinking ?? '';
  if (completion.usage.thinkingTokens > 0 || thinking.trim() === '') return { tokens: completion.usage.thinkingTokens, estimated: false };
  const characters = thinking.length + completion.text.length;
  return { tokens: Math.round((completion.usage.completionTokens * thinking.length) / characters), estimated: true };
}

/**
 * Audits one completion against the budget it was asked for. `ignored` when realised thinking >
 * factor × budget + slack (default 1.2 × budget + 32); `hit` when realised ≥ budget for a budget
 * above 0, or when the strategy reported it; `emptyAnswerFromBudget` when the answer is empty and
 * the budget was hit or generation stopped at the token limit.
 */
export function auditThinkingBudget(completion: Completion, requested: number, tolerance: BudgetTolerance = defaultBudgetTolerance): BudgetAudit {
  const realised = realisedThinkingTokens(completion);
  const limit = tolerance.factor * requested + tolerance.slackTokens;
  const ignored = realised.tokens > limit;
  const hit = completion.thinkingBudget?.hit === true || (requested > 0 && realised.tokens >= requested) || ignored;
  const emptyAnswer = completion.text.trim() === '';
  const emptyAnswerFromBudget = emptyAnswer && (hit || completion.finishReason === 'length');
  const findings: BudgetFinding[] = [];
  if (ignored) {
    findings.push({
      code: 'THINKING_BUDGET_IGNORED',
      message: `thinking used ${realised.tokens}${realised.estimated ? ' (estimated)' : ''} tokens for a budget of ${requested} (limit ${Math.floor(limit)}): the server did not enforce it`,
    });
  }
  if (emptyAnswerFromBudget) {
    findings.push({
      code: 'THINKING_ANSWER_EMPTY',
      message: `the answer is empty after ${realised.tokens} thinking tokens (budget ${requested}, finish ${completion.finishReason}): the limit was spent on thinking`,
    });
  }
  return { requested, thinkingTokens: realised.tokens, thinkingTokensEstimated: realised.estimated, hit, ignored, emptyAnswer, emptyAnswerFromBudget, findings };
}

/** Audit figures over many samples (one cell, one budget). */
export interface BudgetAuditSummary {
  /** Samples audited. */
  samples: number;
  /** Samples that hit the budget. */
  hit: number;
  /** Samples whose thinking went past the tolerance. */
  ignored: number;
  /** Samples left without an answer by the budget. */
  emptyAnswers: number;
  /** Mean realised thinking tokens (0 for no samples). */
  meanThinkingTokens: number;
  /** Largest realised thinking tokens. */
  maxThinkingTokens: number;
}

/** Sums audits of one cell for the report. */
export function summarizeBudgetAudits(audits: ReadonlyArray<BudgetAudit>): BudgetAuditSummary {
  const total = audits.reduce((sum, audit) => sum + audit.thinkingTokens, 0);
  return {
    samples: audits.length,
    hit: audits.filter((audit) => audit.hit).length,
    ignored: audits.filter((audit) => audit.ignored).length,
    emptyAnswers: audits.filter((audit) => audit.emptyAnswerFromBudget).length,
    meanThinkingTokens: audits.length === 0 ? 0 : total / audits.length,
    maxThinkingTokens: audits.reduce((largest, audit) => Math.max(largest, audit.thinkingTokens), 0),
  };
}
