import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HarnessError, InterruptedError } from '../../harness/core/errors.ts';
import { openaiModelSchema } from '../../harness/config/model-schema.ts';
import { createOpenAIProvider } from '../../harness/providers/openai.ts';
import { readScoreLog, SCORES_FILE, type ScoreRecord } from '../../harness/selection/score-log.ts';
import { scoreRun } from '../../harness/selection/score-run.ts';
import { selectionCurves, sigmoid } from '../../harness/selection/selection-curves.ts';
import { createJudgeScorer, DEFAULT_JUDGE_PROMPT } from '../../harness/selection/scorers/judge.ts';
import { createSimulatedVerifier } from '../../harness/selection/scorers/simulated-verifier.ts';
import type { Scorer } from '../../harness/selection/scorers/types.ts';
import { createVllmRewardScorer } from '../../harness/selection/scorers/vllm-reward.ts';
import { countWords, type FakeServer } from '../fakes/fake-http.ts';
import { startFakeJudge } from '../fakes/fake-judge.ts';
import { rewardInText, startFakeReward } from '../fakes/fake-reward.ts';
import { bruteBestOfK, bruteWeightedVote, collect, fixtureCell, writeRun, type FixtureProblem } from './run-fixture.ts';

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** 4 problems × 6 samples: rewards with ties, a popular wrong answer, samples without an answer. */
const rewards = [
  [2.5, -1, 0.5, 2.5, -3, 1],
  [0.25, 0.25, 0.25, -0.5, 1.5, 1.5],
  [-2, -1.5, 3, 0, -1, -1],
  [1, 1, 1, 1, 1, 1],
];
const correctness = [
  [true, false, false, false, true, true],
  [false, false, true, true, false, true],
  [false, true, false, false, true, false],
  [true, false, false, true, false, false],
];
const keys: Array<Array<string | null>> = [
  ['7', '3', '3', '5', '7', '7'],
  ['2', '2', '9', '9', null, '9'],
  ['1', '4', '1', '1', '4', null],
  ['6', '8', '8', '6', '8', null],
];
const problems: FixtureProblem[] = rewards.map((row, problem) => ({
  id: `p${problem}`,
  question: `Question number ${problem}: what is the value?`,
  samples: row.map((reward, index) => {
    const correct = correctness[problem]?.[index] === true;
    return {
      text: `Sample p${problem}#${index} reasons carefully, reward=${reward} truth=${correct ? 'correct' : 'wrong'} so the answer is ${keys[problem]?.[index] ?? 'unclear'}.`,
      correct,
      answerKey: keys[problem]?.[index] ?? null,
    };
  }),
}));

async function scoresOf(runDir: string): Promise<ScoreRecord[]> {
  return collect(readScoreLog(join(runDir, SCORES_FILE)));
}

function pointsOf(result: Awaited<ReturnType<typeof selectionCurves>>, selection: 'best-of-k' | 'weighted-vote'): Array<{ k: number; value: number }> {
  return result.curves.find((curve) => curve.selection === selection)?.points ?? [];
}

describe('scoreRun with a vLLM reward model, and the selection curves', () => {
  it('scores every sample once; best-of-k and the weighted vote match brute force over subsets', async () => {
    const server = await startFakeReward();
    servers.push(server);
    const runDir = writeRun(problems);
    const scorer = createVllmRewardScorer({ endpoint: server.url, model: 'rm' });
    const summary = await scoreRun(runDir, { scorer, concurrency: 3, signal: new AbortController().signal });
    expect({ scored: summary.scored, errors: summary.errors, skipped: summary.skipped, withoutQuestion: summary.withoutQuestion }).toEqual({ scored: 24, errors: 0, skipped: 0, withoutQuestion: 0 });
    const records = await scoresOf(runDir);
    expect(records).toHaveLength(24);
    expect(new Set(records.map((record) => `${record.problem}#${record.index}`)).size).toBe(24);
    for (const record of records) {
      const problem = Number(record.problem.slice(1));
      expect(record.score).toBe(rewards[problem]?.[record.index]);
      expect(record).toMatchObject({ cell: fixtureCell.id, scorer: 'reward:rm', kind: 'reward-model', simulated: false, status: 'ok', scale: 'logit' });
      // The reward model read the question and the candidate (plus four tokens per message).
      expect(record.usage).toEqual({ promptTokens: countWords(problems[problem]?.question ?? '') + countWords(problems[problem]?.samples[record.index]?.text ?? '') + 8, completionTokens: 0 });
    }
    expect(server.requests[0]?.body).toEqual({
      model: 'rm',
      messages: [
        { role: 'user', content: problems[0]?.question },
        { role: 'assistant', content: problems[0]?.samples[0]?.text },
      ],
    });

    const ks = [1, 2, 3, 4, 6];
    const result = await selectionCurves(runDir, ks);
    expect(result.curves.map((curve) => ({ method: curve.method, simulated: curve.simulated, cellId: curve.cellId }))).toEqual([
      { method: 'best-of-k (reward model)', simulated: false, cellId: fixtureCell.id },
      { method: 'weighted vote (reward model)', simulated: false, cellId: fixtureCell.id },
    ]);
    const expectedBest = ks.map((k) => ({ k, value: problems.reduce((sum, _, problem) => sum + bruteBestOfK(rewards[problem] ?? [], correctness[problem] ?? [], k), 0) / problems.length }));
    const expectedVote = ks.map((k) => ({
      k,
      value: problems.reduce((sum, _, problem) => sum + bruteWeightedVote(keys[problem] ?? [], (rewards[problem] ?? []).map(sigmoid), correctness[problem] ?? [], k), 0) / problems.length,
    }));
    expect(pointsOf(result, 'best-of-k')).toHaveLength(ks.length);
    expect(pointsOf(result, 'weighted-vote')).toHaveLength(ks.length);
    pointsOf(result, 'best-of-k').forEach((point, position) => {
      expect(point.k).toBe(expectedBest[position]?.k);
      expect(point.value).toBeCloseTo(expectedBest[position]?.value ?? -1, 12);
    });
    pointsOf(result, 'weighted-vote').forEach((point, position) => {
      expect(point.k).toBe(expectedVote[position]?.k);
      expect(point.value).toBeCloseTo(expectedVote[position]?.value ?? -1, 12);
    });
    const meanTokens = records.reduce((sum, record) => sum + (record.usage?.promptTokens ?? 0), 0) / 24;
    expect(result.compute).toEqual([
      { cellId: fixtureCell.id, scorer: 'reward:rm', kind: 'reward-model', scoredSamples: 24, promptTokensPerSample: meanTokens, completionTokensPerSample: 0, estimated: false },
    ]);
    expect(result.notes).toEqual([]);
  });

  it('a k above n is noted as n/a, never dropped silently', async () => {
    const server = await startFakeReward();
    servers.push(server);
    const runDir = writeRun(problems);
    await scoreRun(runDir, { scorer: createVllmRewardScorer({ endpoint: server.url, model: 'rm' }), concurrency: 2, signal: new AbortController().signal });
    const result = await selectionCurves(runDir, [2, 8]);
    expect(pointsOf(result, 'best-of-k').map((point) => point.k)).toEqual([2]);
    expect(result.notes).toEqual([`${fixtureCell.id}: selection@8 with reward:rm is n/a: k = 8 > n = 6`]);
  });

  it('resumes: a second run scores nothing and calls no server; a failed scoring is recorded and scored again', async () => {
    const server = await startFakeReward({ faults: [{ kind: 'status', status: 500, message: 'CUDA out of memory' }] });
    servers.push(server);
    const runDir = writeRun(problems);
    const scorer = createVllmRewardScorer({ endpoint: server.url, model: 'rm' });
    const first = await scoreRun(runDir, { scorer, concurrency: 1, signal: new AbortController().signal });
    expect({ scored: first.scored, errors: first.errors, skipped: first.skipped }).toEqual({ scored: 23, errors: 1, skipped: 0 });
    const failed = (await scoresOf(runDir)).filter((record) => record.status === 'error');
    expect(failed).toEqual([
      expect.objectContaining({
        problem: 'p0',
        index: 0,
        status: 'error',
        error: { code: 'SERVER_ERROR', message: `vllm reward model ${server.url} failed (HTTP 500): CUDA out of memory`, status: 500, attempts: 1 },
      }),
    ]);
    const partial = await selectionCurves(runDir, [1]);
    expect(partial.notes).toEqual([`${fixtureCell.id}: 1 samples have no score from reward:rm (ranked last, no vote weight); run the scoring again to fill them.`]);

    const second = await scoreRun(runDir, { scorer, concurrency: 4, signal: new AbortController().signal });
    expect({ scored: second.scored, errors: second.errors, skipped: second.skipped }).toEqual({ scored: 1, errors: 0, skipped: 23 });
    const third = await scoreRun(runDir, { scorer, concurrency: 4, signal: new AbortController().signal });
    expect({ scored: third.scored, errors: third.errors, skipped: third.skipped }).toEqual({ scored: 0, errors: 0, skipped: 24 });
    expect(server.generationRequests()).toHaveLength(25);
    expect((await selectionCurves(runDir, [1])).notes).toEqual([]);
  });

  it('retries a retryable failure through withRetry (Retry-After honoured by the injected sleep)', async () => {
    const server = await startFakeReward({ faults: [{ kind: 'status', status: 503, retryAfter: '3' }] });
    servers.push(server);
    const runDir = writeRun(problems.slice(0, 1));
    const waits: number[] = [];
    const summary = await scoreRun(runDir, {
      scorer: createVllmRewardScorer({ endpoint: server.url, model: 'rm' }),
      concurrency: 1,
      signal: new AbortController().signal,
      retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 10_000, timeoutMs: 10_000 },
      retryDependencies: { sleep: (ms) => Promise.resolve(void waits.push(ms)), random: () => 0 },
    });
    expect({ scored: summary.scored, errors: summary.errors }).toEqual({ scored: 6, errors: 0 });
    expect(waits).toEqual([3000]);
  });

  it('stops with ERROR_RATE_EXCEEDED when most scorings fail', async () => {
    const server = await startFakeReward({ faults: () => ({ kind: 'status', status: 400, message: 'bad' }) });
    servers.push(server);
    const runDir = writeRun([...problems, ...problems.map((problem) => ({ ...problem, id: `${problem.id}-again` }))]);
    const error = await scoreRun(runDir, { scorer: createVllmRewardScorer({ endpoint: server.url, model: 'rm' }), concurrency: 1, signal: new AbortController().signal }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HarnessError);
    expect((error as HarnessError).code).toBe('ERROR_RATE_EXCEEDED');
    expect((error as HarnessError).message).toBe('20 of 20 scorings with reward:rm failed, above maxErrorRate 0.5');
    expect((await scoresOf(runDir)).filter((record) => record.status === 'error')).toHaveLength(20);
  });

  it('an abort flushes what is scored and throws InterruptedError; the next run finishes the rest', async () => {
    const runDir = writeRun(problems);
    const controller = new AbortController();
    const inner = createSimulatedVerifier({ accuracy: 0.8, seed: 5 });
    let calls = 0;
    const stopping: Scorer = {
      ...inner,
      score(candidate, signal) {
        calls += 1;
        if (calls === 6) controller.abort(new Error('stop'));
        return inner.score(candidate, signal);
      },
    };
    const error = await scoreRun(runDir, { scorer: stopping, concurrency: 1, signal: controller.signal }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InterruptedError);
    const stored = (await scoresOf(runDir)).length;
    expect(stored).toBe(5);
    const rest = await scoreRun(runDir, { scorer: inner, concurrency: 2, signal: new AbortController().signal });
    expect({ scored: rest.scored, skipped: rest.skipped }).toEqual({ scored: 19, skipped: 5 });
    const records = await scoresOf(runDir);
    expect(new Set(records.map((record) => `${record.problem}#${record.index}`)).size).toBe(24);
    expect(records.every((record) => record.simulated && record.kind === 'simulated')).toBe(true);
  });
});

describe('scoreRun with a self-verification judge (OpenAI-compatible server)', () => {
  it('stores the fraction of "correct" votes with the judge tokens, and resumes without judging again', async () => {
    const judge = await startFakeJudge({ accuracy: 0.75, seed: 9 });
    servers.push(judge);
    const runDir = writeRun(problems);
    const provider = createOpenAIProvider(openaiModelSchema.parse({ id: 'judge', provider: 'openai', model: 'judge-model', endpoints: [judge.url], samplesPerRequest: 3 }));
    const scorer = createJudgeScorer({ provider, endpoint: judge.url, model: 'judge-model', samplesPerCandidate: 5, temperature: 0.8, seed: 4 });
    expect(scorer.id).toBe('judge:judge-model');
    const summary = await scoreRun(runDir, { scorer, concurrency: 4, signal: new AbortController().signal });
    expect({ scored: summary.scored, errors: summary.errors }).toEqual({ scored: 24, errors: 0 });
    // 5 votes with n = 3: two requests per candidate.
    expect(judge.generationRequests()).toHaveLength(48);
    expect(judge.decisions).toHaveLength(120);
    const firstBody = judge.generationRequests()[0]?.body as { temperature: number; n: number; messages: Array<{ content: string }> };
    expect({ temperature: firstBody.temperature, n: firstBody.n }).toEqual({ temperature: 0.8, n: 3 });

    const records = await scoresOf(runDir);
    for (const record of records) {
      const sample = problems.find((problem) => problem.id === record.problem)?.samples[record.index];
      const question = problems.find((problem) => problem.id === record.problem)?.question ?? '';
      const prompt = DEFAULT_JUDGE_PROMPT.replace('{question}', question).replace('{solution}', sample?.text ?? '');
      const mine = judge.decisions.filter((decision) => decision.prompt === prompt);
      expect(mine).toHaveLength(5);
      const yes = mine.filter((decision) => decision.said === true).length;
      expect(record.score).toBe(yes / 5);
      expect(record.votes).toEqual({ correct: yes, wrong: 5 - yes, abstained: 0 });
      expect(record.scale).toBe('probability');
      expect(record.kind).toBe('judge');
      expect(record.usage?.promptTokens).toBe(2 * countWords(prompt));
      expect(record.usage?.completionTokens).toBeGreaterThan(0);
    }
    // The fake judge is right with probability 0.75: its votes agree with the truth about that often.
    const agreeing = judge.decisions.filter((decision) => decision.said === decision.truth).length / judge.decisions.length;
    expect(agreeing).toBeGreaterThan(0.6);
    expect(agreeing).toBeLessThan(0.9);

    const again = await scoreRun(runDir, { scorer, concurrency: 4, signal: new AbortController().signal });
    expect({ scored: again.scored, skipped: again.skipped }).toEqual({ scored: 0, skipped: 24 });
    expect(judge.generationRequests()).toHaveLength(48);

    const result = await selectionCurves(runDir, [1, 2, 3, 6]);
    expect(result.curves.map((curve) => curve.method)).toEqual(['best-of-k (self-verification)', 'weighted vote (self-verification)']);
    const expectedBest = [1, 2, 3, 6].map(
      (k) =>
        problems.reduce((sum, problem, position) => {
          const scores = problem.samples.map((_, index) => records.find((record) => record.problem === problem.id && record.index === index)?.score ?? Number.NaN);
          return sum + bruteBestOfK(scores, correctness[position] ?? [], k);
        }, 0) / problems.length,
    );
    expect(pointsOf(result, 'best-of-k').map((point) => point.k)).toEqual([1, 2, 3, 6]);
    pointsOf(result, 'best-of-k').forEach((point, position) => expect(point.value).toBeCloseTo(expectedBest[position] ?? -1, 12));
    const compute = result.compute[0];
    expect(compute?.scoredSamples).toBe(24);
    expect(compute?.completionTokensPerSample).toBe(records.reduce((sum, record) => sum + (record.usage?.completionTokens ?? 0), 0) / 24);
  });

  it('replies without a verdict abstain; a candidate with no verdict at all scores 0.5', async () => {
    const judge = await startFakeJudge({ accuracy: 1, abstainRate: 1 });
    servers.push(judge);
    const runDir = writeRun(problems.slice(0, 1));
    const provider = createOpenAIProvider(openaiModelSchema.parse({ id: 'judge', provider: 'openai', model: 'judge-model', endpoints: [judge.url] }));
    await scoreRun(runDir, { scorer: createJudgeScorer({ provider, endpoint: judge.url, model: 'judge-model', samplesPerCandidate: 2 }), concurrency: 2, signal: new AbortController().signal });
    const records = await scoresOf(runDir);
    expect(records.map((record) => [record.score, record.votes])).toEqual(Array.from({ length: 6 }, () => [0.5, { correct: 0, wrong: 0, abstained: 2 }]));
  });
});

describe('the reward fixture', () => {
  it('writes the rewards the tests expect into the sample texts', () => {
    expect(problems.flatMap((problem) => problem.samples.map((sample) => rewardInText(sample.text)))).toEqual(rewards.flat());
    expect(readFileSync(join(writeRun(problems.slice(0, 1)), 'problems.jsonl'), 'utf8')).toBe(
      `${JSON.stringify({ dataset: 'toy', id: 'p0', question: 'Question number 0: what is the value?', answer: '' })}\n`,
    );
  });
});
