import { tempDir } from '../helpers/temp-dir.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatasetError, ProviderError } from '../../harness/core/errors.ts';
import { importSamples } from '../../harness/import/import-samples.ts';
import { majorityAtK } from '../../harness/metrics/majority-at-k.ts';
import { bestOfKAtK, weightedMajorityAtK } from '../../harness/metrics/selection-at-k.ts';
import { createRecordedScorer, loadRecordedScores, readQwenMathScores, recordedScoreKey, type RecordedScore } from '../../harness/selection/recorded-scores.ts';
import { scoreRun } from '../../harness/selection/score-run.ts';
import { selectionCurves, sigmoid } from '../../harness/selection/selection-curves.ts';
import { hasSharedData, sharedDataDir } from '../helpers/shared-data.ts';
import { collect } from './run-fixture.ts';

const qwenFile = join(sharedDataDir(), 'samples-math-qwen25-math-8', 'math_cot_100.jsonl');

interface QwenProblem {
  scores: number[];
  correct: boolean[];
  answers: Array<string | null>;
}

async function qwenProblems(): Promise<Map<string, QwenProblem>> {
  const problems = new Map<string, QwenProblem>();
  for await (const entry of readQwenMathScores(qwenFile)) {
    let problem = problems.get(entry.problem);
    if (!problem) problems.set(entry.problem, (problem = { scores: [], correct: [], answers: [] }));
    expect(entry.index).toBe(problem.scores.length);
    problem.scores.push(entry.score);
    problem.correct.push(entry.correct === true);
    problem.answers.push(entry.answer ?? null);
  }
  return problems;
}

const mean = (values: number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;

describe('readQwenMathScores', () => {
  it('reads idx as the problem id, list positions as indices, and [float] or plain rewards', async () => {
    const path = join(tempDir('sb-qwen-'), 'rows.jsonl');
    writeFileSync(
      path,
      [
        JSON.stringify({ idx: 7, pred_score: [[1.5], [-0.25]], score: [true, false], pred: ['4', null] }),
        '',
        JSON.stringify({ pred_score: [2, [0.1, 0.9]] }),
      ].join('\n'),
    );
    expect(await collect(readQwenMathScores(path))).toEqual<RecordedScore[]>([
      { problem: '7', index: 0, score: 1.5, correct: true, answer: '4' },
      { problem: '7', index: 1, score: -0.25, correct: false, answer: null },
      { problem: '1', index: 0, score: 2 },
      { problem: '1', index: 1, score: 0.9 },
    ]);
  });

  it('a row without pred_score is RECORDED_SCORES_INVALID naming the line', async () => {
    const path = join(tempDir('sb-qwen-'), 'rows.jsonl');
    writeFileSync(path, `${JSON.stringify({ idx: 0, pred_score: [[1]] })}\n${JSON.stringify({ idx: 1, code: ['x'] })}\n`);
    const error = await collect(readQwenMathScores(path)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as DatasetError).message).toBe(`${path}:2 has no per-sample pred_score list`);
  });

  it('the recorded scorer serves a stored score and fails (not retryable) for a sample it does not have', async () => {
    const scorer = createRecordedScorer({ scores: new Map([[recordedScoreKey('3', 1), 2.5]]) });
    const base = { cell: 'c', question: '', solution: '', answerKey: null, correct: false };
    expect(await scorer.score({ ...base, problem: '3', index: 1 }, new AbortController().signal)).toEqual({ score: 2.5, scale: 'logit' });
    const error = await scorer.score({ ...base, problem: '3', index: 2 }, new AbortController().signal).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).retryable).toBe(false);
    expect((error as ProviderError).code).toBe('RECORDED_SCORE_MISSING');
  });
});

describe.skipIf(!hasSharedData())('Qwen2.5-Math recorded reward-model scores (100 problems × 8 samples)', () => {
  it('best-of-8 by the recorded scores is 94%; the reward-weighted vote is reported beside majority@8', async () => {
    const problems = [...(await qwenProblems()).values()];
    expect(problems).toHaveLength(100);
    const bestOf8 = mean(problems.map((problem) => bestOfKAtK(problem.scores, problem.correct, 8)));
    const weightedVote8 = mean(problems.map((problem) => weightedMajorityAtK(problem.answers, problem.scores.map(sigmoid), problem.correct, 8, { draws: 10_000, seed: 1 })));
    const majority8 = mean(problems.map((problem) => majorityAtK(problem.answers, problem.correct, 8)));
    const passAt1 = mean(problems.map((problem) => problem.correct.filter(Boolean).length / 8));
    expect(Math.abs(bestOf8 - 0.94)).toBeLessThanOrEqual(0.01);
    expect(bestOf8).toBeCloseTo(0.94, 12);
    expect(weightedVote8).toBeCloseTo(0.94, 12);
    // Ties broken uniformly (the README's 93% gives each tie to the first-seen answer).
    expect(majority8).toBeCloseTo(0.925, 12);
    expect(passAt1).toBeCloseTo(0.91, 12);
  });

  it('imported, scored with the recorded scorer and summarised by selectionCurves: the same best-of-k', async () => {
    const outDir = join(tempDir('sb-qwen-run-'), 'run');
    await importSamples({ source: qwenFile, format: 'qwen-math', outDir });
    const scorer = createRecordedScorer({ scores: await loadRecordedScores(readQwenMathScores(qwenFile)) });
    const summary = await scoreRun(outDir, { scorer, concurrency: 8, signal: new AbortController().signal });
    // The import writes problems.jsonl: every sample reaches the scorer with its question.
    expect({ scored: summary.scored, errors: summary.errors, promptTokens: summary.promptTokens, withoutQuestion: summary.withoutQuestion }).toEqual({ scored: 800, errors: 0, promptTokens: 0, withoutQuestion: 0 });
    const result = await selectionCurves(outDir, [1, 2, 4, 8]);
    const problems = [...(await qwenProblems()).values()];
    const best = result.curves.find((curve) => curve.selection === 'best-of-k');
    expect(best?.method).toBe('best-of-k (recorded reward model)');
    expect(best?.simulated).toBe(false);
    expect(best?.points.map((point) => point.k)).toEqual([1, 2, 4, 8]);
    for (const point of best?.points ?? []) {
      expect(point.value).toBeCloseTo(mean(problems.map((problem) => bestOfKAtK(problem.scores, problem.correct, point.k))), 12);
    }
    expect(best?.points.at(-1)?.value).toBeCloseTo(0.94, 12);
    expect(result.compute).toEqual([{ cellId: best?.cellId, scorer: 'recorded', kind: 'recorded', scoredSamples: 800, promptTokensPerSample: 0, completionTokensPerSample: 0, estimated: false }]);
  });
});
