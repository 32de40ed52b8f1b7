import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openaiModelSchema } from '../../harness/config/model-schema.ts';
import { createOpenAIProvider } from '../../harness/providers/openai.ts';
import { pairwiseTieBreak, parsePairwiseVerdict } from '../../harness/selection/pairwise-tie-break.ts';
import { openScoreLog, readScoreLog, SCORES_FILE } from '../../harness/selection/score-log.ts';
import { selectionCurves } from '../../harness/selection/selection-curves.ts';
import { countWords, type FakeServer } from '../fakes/fake-http.ts';
import { startFakeJudge } from '../fakes/fake-judge.ts';
import { bruteBestOfK, collect, fixtureCell, writeRun } from './run-fixture.ts';

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe('parsePairwiseVerdict', () => {
  it.each<[string, 'A' | 'B' | null]>([
    ['Better: A', 'A'],
    ['**Better:** B', 'B'],
    ['The correct one is Solution B', 'B'],
    ['\\boxed{A}', 'A'],
    ['Solution B is correct.', 'B'],
    ['Better: A\nOn second thought, Better: B', 'B'],
    ['Both look plausible.', null],
    ['The answer is a number, better to check.', null],
  ])('%j → %s', (reply, choice) => {
    expect(parsePairwiseVerdict(reply)).toBe(choice);
  });
});

describe('pairwiseTieBreak', () => {
  it('compares tied top candidates with different answers and raises the winners below the next score', async () => {
    const judge = await startFakeJudge({ accuracy: 1 });
    servers.push(judge);
    const correct = [true, false, true, false, false, false];
    const keys = ['7', '3', '7', '5', '3', '2'];
    const baseScores = [1, 1, 1, 0.5, 0, 0];
    const runDir = writeRun([
      {
        id: 'p0',
        question: 'What is the answer?',
        samples: correct.map((isCorrect, index) => ({ text: `Candidate ${index} truth=${isCorrect ? 'correct' : 'wrong'} answer ${keys[index]}`, correct: isCorrect, answerKey: keys[index] ?? null })),
      },
    ]);
    const log = openScoreLog(join(runDir, SCORES_FILE));
    baseScores.forEach((score, index) =>
      log.append({ v: 1, cell: fixtureCell.id, problem: 'p0', index, scorer: 'judge:m', kind: 'judge', simulated: false, status: 'ok', score, scale: 'probability', usage: { promptTokens: 100, completionTokens: 10 } }),
    );
    log.close();
    const provider = createOpenAIProvider(openaiModelSchema.parse({ id: 'judge', provider: 'openai', model: 'judge-model', endpoints: [judge.url] }));
    const summary = await pairwiseTieBreak(runDir, { baseScorer: 'judge:m', provider, endpoint: judge.url, concurrency: 2, signal: new AbortController().signal });
    // Ties at score 1 among the top 4 (0, 1, 2, 3): 0–1 and 1–2 differ in answer; 0–2 agree and are not compared.
    expect({ problems: summary.problems, comparisons: summary.comparisons, failed: summary.failed }).toEqual({ problems: 1, comparisons: 2, failed: 0 });
    expect(judge.comparisons).toHaveLength(2);
    expect(judge.comparisons.every((comparison) => (comparison.chose === 'A' ? comparison.truthA : comparison.truthB))).toBe(true);
    const records = (await collect(readScoreLog(join(runDir, SCORES_FILE)))).filter((record) => record.scorer === 'judge:m+pairwise');
    expect(records.map((record) => record.score)).toEqual([1.25, 1, 1.25, 0.5, 0, 0]);
    const comparisonPrompt = judge.comparisons[0]?.prompt ?? '';
    expect(records[0]?.usage?.promptTokens).toBe(100 + countWords(comparisonPrompt) / 2);
    expect(records[3]?.usage).toEqual({ promptTokens: 100, completionTokens: 10 });

    const curves = await selectionCurves(runDir, [2, 3], { scorers: ['judge:m', 'judge:m+pairwise'] });
    const best = curves.curves.filter((curve) => curve.selection === 'best-of-k');
    expect(best.map((curve) => curve.method)).toEqual(['best-of-k (self-verification: judge:m)', 'best-of-k (self-verification: judge:m+pairwise)']);
    expect(best[0]?.points.map((point) => point.value)).toEqual([2, 3].map((k) => expect.closeTo(bruteBestOfK(baseScores, correct, k), 12)));
    expect(best[1]?.points.map((point) => point.value)).toEqual([2, 3].map((k) => expect.closeTo(bruteBestOfK([1.25, 1, 1.25, 0.5, 0, 0], correct, k), 12)));
    expect(best[1]?.points[1]?.value).toBeGreaterThan(best[0]?.points[1]?.value ?? 1);

    const again = await pairwiseTieBreak(runDir, { baseScorer: 'judge:m', provider, endpoint: judge.url, concurrency: 2, signal: new AbortController().signal });
    expect({ problems: again.problems, skipped: again.skipped, comparisons: again.comparisons }).toEqual({ problems: 0, skipped: 1, comparisons: 0 });
    expect(judge.comparisons).toHaveLength(2);
  });
});
