import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../harness/core/errors.ts';
import { createRandom, randomBeta } from '../../harness/core/random.ts';
import { majorityAtK } from '../../harness/metrics/majority-at-k.ts';
import { passAtK } from '../../harness/metrics/pass-at-k.ts';
import { findSimProfile } from '../../harness/providers/sim/sim-profiles.ts';
import { scoreRun } from '../../harness/selection/score-run.ts';
import { selectionCurves } from '../../harness/selection/selection-curves.ts';
import {
  createSimulatedVerifier,
  createSimulatedVerifierForProfile,
  normalCdf,
  normalQuantile,
  simulatedScore,
} from '../../harness/selection/scorers/simulated-verifier.ts';
import { writeRun, type FixtureProblem } from './run-fixture.ts';

describe('normal distribution helpers', () => {
  it.each([
    [0, 0.5],
    [1, 0.8413447460685429],
    [-1.959963984540054, 0.025],
    [2.5, 0.9937903346742238],
  ])('Φ(%s) = %s', (x, p) => {
    expect(normalCdf(x)).toBeCloseTo(p, 7);
  });

  it.each([
    [0.5, 0],
    [0.75, 0.6744897501960817],
    [0.975, 1.959963984540054],
    [0.01, -2.3263478740408408],
  ])('Φ⁻¹(%s) = %s', (p, x) => {
    expect(normalQuantile(p)).toBeCloseTo(x, 8);
  });
});

describe('simulated verifier', () => {
  it('judges correct and wrong samples right with the set accuracy (score > 0.5 = judged correct)', () => {
    const accuracy = 0.75;
    let rightOnCorrect = 0;
    let rightOnWrong = 0;
    const samples = 20_000;
    for (let index = 0; index < samples; index += 1) {
      if (simulatedScore(accuracy, 1, { cell: 'c', problem: 'p', index, correct: true }) > 0.5) rightOnCorrect += 1;
      if (simulatedScore(accuracy, 1, { cell: 'c', problem: 'q', index, correct: false }) < 0.5) rightOnWrong += 1;
    }
    expect(Math.abs(rightOnCorrect / samples - accuracy)).toBeLessThan(0.01);
    expect(Math.abs(rightOnWrong / samples - accuracy)).toBeLessThan(0.01);
  });

  it('is deterministic per sample and seed, and labelled simulated', async () => {
    const scorer = createSimulatedVerifier({ accuracy: 0.8, seed: 2 });
    const candidate = { cell: 'c', problem: 'p', index: 3, question: 'q', solution: 'a solution of some length', answerKey: '1', correct: true };
    const first = await scorer.score(candidate, new AbortController().signal);
    const second = await scorer.score(candidate, new AbortController().signal);
    expect(first).toEqual(second);
    expect(first.usage).toEqual({ promptTokens: 1 + 7, completionTokens: 16, estimated: true });
    expect({ id: scorer.id, kind: scorer.kind, label: scorer.label, simulated: scorer.simulated }).toEqual({ id: 'simulated:0.8', kind: 'simulated', label: 'simulated verifier', simulated: true });
    expect(createSimulatedVerifierForProfile('llama-3-8b-instruct-math').id).toBe('simulated:llama-3-8b-instruct-math');
  });

  it.each([0.5, 1, 0.3])('accuracy %s is a ConfigError', (accuracy) => {
    expect(() => createSimulatedVerifier({ accuracy })).toThrow(ConfigError);
  });

  it('on a sim-like sample set, best-of-k lies between majority@k and coverage@k, labelled simulated', async () => {
    const profile = findSimProfile('llama-3-8b-instruct-math');
    const random = createRandom(17);
    const n = 32;
    const problems: FixtureProblem[] = Array.from({ length: 120 }, (_, problem) => {
      const solveRate = randomBeta(random, profile.alpha, profile.beta);
      return {
        id: `p${problem}`,
        question: `Problem ${problem}`,
        samples: Array.from({ length: n }, (_, index) => {
          if (random.next() < profile.noAnswerRate) return { text: `sample ${index}`, correct: false, answerKey: null };
          if (random.next() < solveRate) return { text: `sample ${index}`, correct: true, answerKey: 'gold' };
          const answerKey = random.next() < profile.topDistractorShare ? 'distractor' : `wrong-${Math.floor(random.next() * 40)}`;
          return { text: `sample ${index}`, correct: false, answerKey };
        }),
      };
    });
    const runDir = writeRun(problems, { cell: { id: 'sim-8b/toy/think0/t0.6', model: 'sim-8b', dataset: 'toy', thinkingBudget: 0, temperature: 0.6, simulated: true } });
    await scoreRun(runDir, { scorer: createSimulatedVerifierForProfile(profile.id, { seed: 1 }), concurrency: 8, signal: new AbortController().signal });
    const ks = [1, 2, 4, 8, 16, 32];
    const result = await selectionCurves(runDir, ks, { draws: 400 });
    const best = result.curves.find((curve) => curve.selection === 'best-of-k');
    expect(best?.method).toBe('best-of-k (simulated verifier)');
    expect(result.curves.every((curve) => curve.simulated)).toBe(true);
    const mean = (values: number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;
    for (const point of best?.points ?? []) {
      const coverage = mean(problems.map((problem) => passAtK(n, problem.samples.filter((sample) => sample.correct).length, point.k)));
      const majority = mean(problems.map((problem) => majorityAtK(problem.samples.map((sample) => sample.answerKey), problem.samples.map((sample) => sample.correct), point.k)));
      if (point.k === 1) {
        expect(point.value).toBeCloseTo(coverage, 12);
        continue;
      }
      expect(point.value).toBeGreaterThan(majority);
      expect(point.value).toBeLessThan(coverage);
    }
    expect(best?.points.map((point) => point.k)).toEqual(ks);
  });
});
