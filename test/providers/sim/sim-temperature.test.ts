/**
 * The sim models temperature (harness/providers/sim/sim-temperature.ts): a sweep of 0.2/0.6/1.0 draws
 * coverage curves that differ in the direction real models show (lower temperature, less
 * diversity, coverage rises more slowly), and temperature 0 is greedy.
 */
import { describe, expect, it } from 'vitest';
import { passAtK } from '../../../harness/metrics/pass-at-k.ts';
import { createSimProvider } from '../../../harness/providers/sim/sim-provider.ts';
import { REFERENCE_TEMPERATURE, temperCumulative, temperSolveRate } from '../../../harness/providers/sim/sim-temperature.ts';
import type { GenerateRequest } from '../../../harness/providers/types.ts';

const problems = 120;
const samples = 64;
const seeds = Array.from({ length: samples }, (_, index) => 1 + index);

function request(problemId: string, temperature: number): GenerateRequest {
  return {
    prompt: { kind: 'chat', messages: [{ role: 'user', content: 'Compute it.' }] },
    seeds,
    temperature,
    maxTokens: 1024,
    thinkingBudget: 0,
    endpoint: 'sim',
    problemId,
    signal: new AbortController().signal,
    simulationReference: { dataset: 'sweep', answer: '42', style: 'boxed' },
  };
}

/** Per problem: stated answers of every sample and the texts. */
async function draw(temperature: number): Promise<{ answers: (string | null)[][]; texts: string[][] }> {
  const provider = createSimProvider({ id: 'sim-8b', provider: 'sim', profile: 'llama-3-8b-instruct-math' });
  const answers: (string | null)[][] = [];
  const texts: string[][] = [];
  for (let problem = 0; problem < problems; problem += 1) {
    const result = await provider.generate(request(`p${problem}`, temperature));
    texts.push(result.completions.map((completion) => completion.text));
    answers.push(result.completions.map((completion) => /\\boxed\{([^}]*)\}/.exec(completion.text)?.[1] ?? null));
  }
  return { answers, texts };
}

/** Mean coverage@k over the problems (Chen et al. estimator). */
function coverage(answers: (string | null)[][], k: number): number {
  return answers.reduce((sum, row) => sum + passAtK(row.length, row.filter((answer) => answer === '42').length, k), 0) / answers.length;
}

describe('sim temperature sweep 0.2 / 0.6 / 1.0', () => {
  it('lower temperature: coverage rises more slowly with k, fewer distinct answers', async () => {
    const sweep = await Promise.all([0.2, 0.6, 1.0].map(async (temperature) => ({ temperature, ...(await draw(temperature)) })));
    const curve = (answers: (string | null)[][]): number[] => [1, 4, 16, 64].map((k) => coverage(answers, k));
    const [cold, reference, hot] = sweep.map((entry) => curve(entry.answers)) as [number[], number[], number[]];
    // At k = 64 the order is strict and wide; at k = 1 the curves stay close (temperature moves pass@1 little).
    expect((cold[3] as number) + 0.05).toBeLessThan(reference[3] as number);
    expect((reference[3] as number) + 0.03).toBeLessThan(hot[3] as number);
    const rise = (values: number[]): number => (values[3] as number) - (values[0] as number);
    expect(rise(cold)).toBeLessThan(rise(reference));
    expect(rise(reference)).toBeLessThan(rise(hot));
    expect(Math.abs((cold[0] as number) - (reference[0] as number))).toBeLessThan(Math.abs((cold[3] as number) - (reference[3] as number)));
    const distinct = (answers: (string | null)[][]): number => answers.reduce((sum, row) => sum + new Set(row).size, 0) / answers.length;
    const [coldDistinct, referenceDistinct, hotDistinct] = sweep.map((entry) => distinct(entry.answers)) as [number, number, number];
    expect(coldDistinct).toBeLessThan(referenceDistinct);
    expect(referenceDistinct).toBeLessThan(hotDistinct);
  });

  it('temperature 0 gives identical samples per problem, right exactly when the reference rate is above one half', async () => {
    const greedy = await draw(0);
    const reference = await draw(REFERENCE_TEMPERATURE);
    let right = 0;
    for (let problem = 0; problem < problems; problem += 1) {
      expect(new Set(greedy.texts[problem]).size).toBe(1);
      const greedyRight = greedy.answers[problem]?.[0] === '42';
      if (greedyRight) right += 1;
      // The greedy verdict follows the majority of the reference-temperature samples, except near one half.
      const share = (reference.answers[problem] ?? []).filter((answer) => answer === '42').length / samples;
      if (share > 0.75) expect(greedyRight).toBe(true);
      if (share < 0.25) expect(greedyRight).toBe(false);
    }
    expect(right).toBeGreaterThan(0);
    expect(right).toBeLessThan(problems);
  });
});

describe('temperSolveRate and temperCumulative', () => {
  it.each([
    [0.3, 0.6, 0.3],
    [0.5, 0.2, 0.5],
    [0, 0.2, 0],
    [1, 1.5, 1],
    [0.7, 0, 1],
    [0.3, 0, 0],
    [0.5, 0, 0],
  ])('p = %f at temperature %f is %f', (rate, temperature, expected) => {
    expect(temperSolveRate(rate, temperature)).toBe(expected);
  });

  it('sharpens below the reference temperature and flattens above it, monotone in p, without underflow', () => {
    expect(temperSolveRate(0.3, 0.2)).toBeCloseTo(0.3 ** 3 / (0.3 ** 3 + 0.7 ** 3), 12);
    expect(temperSolveRate(0.3, 1.2)).toBeCloseTo(0.3 ** 0.5 / (0.3 ** 0.5 + 0.7 ** 0.5), 12);
    expect(temperSolveRate(0.8, 0.2)).toBeGreaterThan(0.8);
    expect(temperSolveRate(0.8, 1.0)).toBeLessThan(0.8);
    const tiny = temperSolveRate(1e-6, 0.01);
    expect(Number.isNaN(tiny)).toBe(false);
    expect(tiny).toBeGreaterThanOrEqual(0);
    const rates = [0.01, 0.1, 0.4, 0.6, 0.9, 0.99].map((rate) => temperSolveRate(rate, 0.3));
    expect([...rates].sort((a, b) => a - b)).toEqual(rates);
  });

  it('answer shares: unchanged at the reference, gathered on the largest below it, all on it at 0', () => {
    const cumulative = [0.5, 0.8, 1];
    expect(temperCumulative(cumulative, REFERENCE_TEMPERATURE)).toEqual(cumulative);
    expect(temperCumulative(cumulative, 0)).toEqual([1, 1, 1]);
    expect(temperCumulative([0.2, 0.9, 1], 0)).toEqual([0, 1, 1]);
    const cold = temperCumulative(cumulative, 0.3);
    expect(cold[0]).toBeCloseTo(0.25 / (0.25 + 0.09 + 0.04), 12);
    expect(cold[2]).toBe(1);
    expect((temperCumulative(cumulative, 1.2)[0] as number)).toBeLessThan(0.5);
  });
});
