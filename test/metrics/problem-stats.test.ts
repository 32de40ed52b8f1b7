import { describe, expect, it } from 'vitest';
import { hasAnswerClasses, problemStats, withMajorityApplicability } from '../../harness/metrics/problem-stats.ts';
import type { MetricRow, ProblemSamples } from '../../harness/metrics/types.ts';

function problem(id: string, correct: boolean[], answerKeys: Array<string | null>): ProblemSamples {
  const zeros = correct.map(() => 0);
  return { problem: id, correct, answerKeys, completionTokens: zeros, thinkingTokens: zeros, promptTokens: zeros, requestSamples: correct.map(() => 1) };
}

describe('problemStats', () => {
  it.each([
    ['majority right', [true, true, false, false], ['a', 'a', 'b', null], { samples: 4, correct: 2, distinctAnswers: 2, noAnswer: 1, majorityCorrect: 1 }],
    ['majority wrong', [true, false, false], ['a', 'b', 'b'], { samples: 3, correct: 1, distinctAnswers: 2, noAnswer: 0, majorityCorrect: 0 }],
    ['a tie between a right and a wrong class', [true, false], ['a', 'b'], { samples: 2, correct: 1, distinctAnswers: 2, noAnswer: 0, majorityCorrect: 0.5 }],
    ['programs (no answer classes)', [true, false, true], [null, null, null], { samples: 3, correct: 2, distinctAnswers: 0, noAnswer: 3, majorityCorrect: null }],
  ])('%s', (_name, correct, keys, expected) => {
    expect(problemStats([problem('p', correct, keys)])).toEqual([{ problem: 'p', ...expected }]);
  });
});

describe('withMajorityApplicability', () => {
  const row: MetricRow = {
    cell: { id: 'c', model: 'm', dataset: 'humaneval', thinkingBudget: 0, temperature: 0.8, simulated: false },
    k: 1,
    coverage: { value: 0.5, low: 0.4, high: 0.6 },
    majority: { value: 0, low: 0, high: 0 },
    n: 3,
    problems: 1,
    meanCompletionTokens: 0,
    meanThinkingTokens: 0,
    meanPromptTokens: 0,
  };

  it('marks majority@k n/a when no sample has an answer class (programs), instead of 0%', () => {
    const programs = [problem('HumanEval/0', [true, false, true], [null, null, null])];
    expect(hasAnswerClasses(programs)).toBe(false);
    const [marked] = withMajorityApplicability([row], hasAnswerClasses(programs));
    expect(marked?.majority.value).toBeNaN();
    expect(marked?.coverage).toEqual(row.coverage);
  });

  it('keeps majority@k when answers are grouped', () => {
    const answers = [problem('p', [true, false], ['1', null])];
    expect(withMajorityApplicability([row], hasAnswerClasses(answers))).toEqual([row]);
  });
});
