import { describe, expect, it } from 'vitest';
import type { Completion } from '../../../harness/providers/types.ts';
import { auditThinkingBudget, realisedThinkingTokens, summarizeBudgetAudits } from '../../../harness/providers/thinking/budget-audit.ts';

function completion(thinkingTokens: number, text = '\\boxed{4}', extra: Partial<Completion> = {}): Completion {
  return { text, usage: { promptTokens: 10, completionTokens: thinkingTokens + 5, thinkingTokens }, finishReason: 'stop', ...extra };
}

describe('auditThinkingBudget', () => {
  it.each<[string, Completion, number, { hit: boolean; ignored: boolean; emptyAnswerFromBudget: boolean; codes: string[] }]>([
    ['well under the budget', completion(100), 1024, { hit: false, ignored: false, emptyAnswerFromBudget: false, codes: [] }],
    ['exactly at the budget', completion(1024), 1024, { hit: true, ignored: false, emptyAnswerFromBudget: false, codes: [] }],
    ['at the tolerance edge (1.2 × 100 + 32 = 152)', completion(152), 100, { hit: true, ignored: false, emptyAnswerFromBudget: false, codes: [] }],
    ['one past the tolerance', completion(153), 100, { hit: true, ignored: true, emptyAnswerFromBudget: false, codes: ['THINKING_BUDGET_IGNORED'] }],
    ['budget 0 with a little thinking (delimiters)', completion(2), 0, { hit: false, ignored: false, emptyAnswerFromBudget: false, codes: [] }],
    ['budget 0 ignored', completion(400), 0, { hit: true, ignored: true, emptyAnswerFromBudget: false, codes: ['THINKING_BUDGET_IGNORED'] }],
    [
      'limit spent on thinking, empty answer',
      completion(256, '', { finishReason: 'length' }),
      256,
      { hit: true, ignored: false, emptyAnswerFromBudget: true, codes: ['THINKING_ANSWER_EMPTY'] },
    ],
    [
      'ignored and empty',
      completion(2000, '  ', { finishReason: 'length' }),
      256,
      { hit: true, ignored: true, emptyAnswerFromBudget: true, codes: ['THINKING_BUDGET_IGNORED', 'THINKING_ANSWER_EMPTY'] },
    ],
    ['reported hit by budget forcing', completion(10, 'x', { thinkingBudget: { requested: 0, strategy: 'budget-forcing', hit: true } }), 0, { hit: true, ignored: false, emptyAnswerFromBudget: false, codes: [] }],
    ['empty answer without the budget spent', completion(10, ''), 1024, { hit: false, ignored: false, emptyAnswerFromBudget: false, codes: [] }],
  ])('%s', (_name, input, budget, expected) => {
    const audit = auditThinkingBudget(input, budget);
    expect({ hit: audit.hit, ignored: audit.ignored, emptyAnswerFromBudget: audit.emptyAnswerFromBudget, codes: audit.findings.map((finding) => finding.code) }).toEqual(expected);
  });

  it('says what it found with the numbers', () => {
    const audit = auditThinkingBudget(completion(2000, '', { finishReason: 'length' }), 256);
    expect(audit.findings.map((finding) => finding.message)).toEqual([
      'thinking used 2000 tokens for a budget of 256 (limit 339): the server did not enforce it',
      'the answer is empty after 2000 thinking tokens (budget 256, finish length): the limit was spent on thinking',
    ]);
  });

  it('takes another tolerance', () => {
    expect(auditThinkingBudget(completion(110), 100, { factor: 1, slackTokens: 5 }).ignored).toBe(true);
  });

  it('estimates thinking tokens from the text when the server counted none, and says so', () => {
    const input: Completion = { text: 'abcd', thinking: 'x'.repeat(12), usage: { promptTokens: 3, completionTokens: 100, thinkingTokens: 0 }, finishReason: 'stop' };
    expect(realisedThinkingTokens(input)).toEqual({ tokens: 75, estimated: true });
    const audit = auditThinkingBudget(input, 10);
    expect(audit).toMatchObject({ thinkingTokens: 75, thinkingTokensEstimated: true, ignored: true });
    expect(audit.findings[0]?.message).toBe('thinking used 75 (estimated) tokens for a budget of 10 (limit 44): the server did not enforce it');
  });
});

describe('summarizeBudgetAudits', () => {
  it('counts hits, ignored budgets and empty answers', () => {
    const audits = [completion(50), completion(100), completion(400), completion(100, '', { finishReason: 'length' })].map((input) => auditThinkingBudget(input, 100));
    expect(summarizeBudgetAudits(audits)).toEqual({ samples: 4, hit: 3, ignored: 1, emptyAnswers: 1, meanThinkingTokens: 162.5, maxThinkingTokens: 400 });
  });

  it('is all zeros for no samples', () => {
    expect(summarizeBudgetAudits([])).toEqual({ samples: 0, hit: 0, ignored: 0, emptyAnswers: 0, meanThinkingTokens: 0, maxThinkingTokens: 0 });
  });
});
