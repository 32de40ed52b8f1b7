import { describe, expect, it } from 'vitest';
import { parseJudgeVerdict } from '../../harness/selection/scorers/judge-verdict.ts';

describe('parseJudgeVerdict', () => {
  it.each<[string, number | null]>([
    ['Verdict: Yes', 1],
    ['Verdict: No', 0],
    ['verdict - no', 0],
    ['**Verdict:** yes', 1],
    ['Final answer: **Incorrect**', 0],
    ['Judgement = correct', 1],
    ['The steps look fine.\nVerdict: No\n\nWait, let me re-check.\nVerdict: Yes', 1],
    ['The answer is correct, so: \\boxed{No}', 1],
    ['\\boxed{Yes}', 1],
    ['\\boxed{\\text{No}}', 0],
    ['Score: 8/10', 0.8],
    ['Probability: 0.35', 0.35],
    ['confidence: 90%', 0.9],
    ['Rating: 7', 0.7],
    ['Score: 85', 0.85],
    ['After checking the reasoning, the solution is incorrect.', 0],
    ['After checking the reasoning, the solution is correct.', 1],
    ['The solution is not correct.', 0],
    ['Everything checks out. Yes.', 1],
    ['I am not able to decide this one.', null],
    ['', null],
  ])('%j → %s', (reply, vote) => {
    expect(parseJudgeVerdict(reply)).toBe(vote);
  });

  it('looks for a loose verdict word only in the closing 300 characters', () => {
    expect(parseJudgeVerdict(`Yes, I will check. ${'x '.repeat(200)}`)).toBe(null);
  });
});
