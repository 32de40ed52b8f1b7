import { describe, expect, it } from 'vitest';
import type { ModelConfig } from '../../../harness/config/model-schema.ts';
import { createSimProvider } from '../../../harness/providers/sim/sim-provider.ts';
import { findSimProfile, simProfiles } from '../../../harness/providers/sim/sim-profiles.ts';
import type { GenerateRequest } from '../../../harness/providers/types.ts';

type SimModel = Extract<ModelConfig, { provider: 'sim' }>;
const model8b: SimModel = { id: 'sim-8b', provider: 'sim', profile: 'llama-3-8b-instruct-math' };

function request(problemId: string, seeds: number[], overrides: Partial<GenerateRequest> = {}): GenerateRequest {
  return {
    prompt: { kind: 'chat', messages: [{ role: 'user', content: 'What is 6 times 7?' }] },
    seeds,
    temperature: 0.6,
    maxTokens: 1024,
    thinkingBudget: 0,
    endpoint: 'sim',
    problemId,
    signal: new AbortController().signal,
    simulationReference: { dataset: 'demo', answer: '42', style: 'boxed' },
    ...overrides,
  };
}

/** log B(a, b) via lgamma (Lanczos), for the expected coverage of a Beta profile. */
function logGamma(x: number): number {
  const g = 7;
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = c[0] as number;
  for (let i = 1; i < g + 2; i += 1) sum += (c[i] as number) / (z + i);
  const t = z + g + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

describe('sim provider', () => {
  it('is labelled as a simulation and deterministic: same seed, same sample', async () => {
    const provider = createSimProvider(model8b);
    expect(provider.simulated).toBe(true);
    const first = await provider.generate(request('p1', [1, 2, 3]));
    const again = await provider.generate(request('p1', [1, 2, 3]));
    expect(again.completions).toEqual(first.completions);
    expect(first.modelName).toBe('sim:llama-3-8b-instruct-math');
    expect(first.completions[0]?.text).toMatch(/^Simulated solution \(sim profile llama-3-8b-instruct-math; not a real model\)\. Intermediate values: \d+, \d+, \d+, \d+\./);
  });

  it('a sample depends on its own seed only, not on the batch it came in', async () => {
    const provider = createSimProvider(model8b);
    const batch = await provider.generate(request('p2', [5, 6, 7, 8]));
    const single = await provider.generate(request('p2', [7]));
    expect(single.completions[0]).toEqual(batch.completions[2]);
  });

  it('temperature 0 gives the same sample for every seed', async () => {
    const provider = createSimProvider(model8b);
    const result = await provider.generate(request('p3', [1, 2, 3, 4], { temperature: 0 }));
    expect(new Set(result.completions.map((completion) => completion.text)).size).toBe(1);
  });

  it('states the gold answer in \\boxed{} when correct, a distractor otherwise, and #### for gsm8k', async () => {
    const provider = createSimProvider(model8b);
    const seeds = Array.from({ length: 200 }, (_, index) => index);
    const math = await provider.generate(request('p4', seeds));
    const answers = math.completions.map((completion) => /\\boxed\{([^}]*)\}/.exec(completion.text)?.[1] ?? null);
    expect(answers).toContain('42');
    expect(answers.some((answer) => answer !== null && answer !== '42')).toBe(true);
    const gsm = await provider.generate(request('p4', [1, 2, 3], { simulationReference: { dataset: 'demo', answer: '42', style: 'gsm8k' } }));
    for (const completion of gsm.completions) if (!/trails off/.test(completion.text)) expect(completion.text).toMatch(/\n#### -?\d+$/);
  });

  it('reports token counts, and thinking tokens within the budget', async () => {
    const provider = createSimProvider(model8b);
    const result = await provider.generate(request('p5', [1, 2, 3, 4, 5, 6, 7, 8], { thinkingBudget: 512 }));
    for (const completion of result.completions) {
      expect(completion.usage.promptTokens).toBe(Math.ceil(('What is 6 times 7?'.length + 4) / 4));
      expect(completion.usage.thinkingTokens).toBeGreaterThan(0);
      expect(completion.usage.thinkingTokens).toBeLessThanOrEqual(512);
      expect(completion.usage.completionTokens).toBeGreaterThan(completion.usage.thinkingTokens);
      expect(completion.thinkingBudget?.requested).toBe(512);
    }
  });

  it('a thinking budget raises the solve rate', async () => {
    const provider = createSimProvider({ id: 'r', provider: 'sim', profile: 'small-reasoner' });
    const seeds = Array.from({ length: 40 }, (_, index) => index);
    const rate = async (thinkingBudget: number): Promise<number> => {
      let correct = 0;
      let total = 0;
      for (let problem = 0; problem < 60; problem += 1) {
        const result = await provider.generate(request(`q${problem}`, seeds, { thinkingBudget }));
        for (const completion of result.completions) {
          total += 1;
          if (completion.text.includes('\\boxed{42}')) correct += 1;
        }
      }
      return correct / total;
    };
    const none = await rate(0);
    const some = await rate(1024);
    const more = await rate(8192);
    expect(some).toBeGreaterThan(none + 0.05);
    expect(more).toBeGreaterThan(some);
  });

  it.each(simProfiles.filter((profile) => profile.calibratedTo).map((profile) => [profile.id]))(
    'profile %s: the expected coverage curve follows its published fit within 0.02',
    (id) => {
      const profile = findSimProfile(id);
      const fit = profile.calibratedTo as { a: number; b: number };
      for (const k of [1, 2, 5, 10, 50, 100, 250, 1000, 10_000]) {
        const logRatio = logGamma(profile.alpha + profile.beta) - logGamma(profile.beta) + logGamma(profile.beta + k) - logGamma(profile.alpha + profile.beta + k);
        const expected = 1 - Math.exp(logRatio);
        expect(Math.abs(expected - Math.exp(fit.a * Math.pow(k, fit.b)))).toBeLessThan(0.02);
      }
    },
  );

  it('the empirical pass@1 over many problems matches the profile mean solve rate', async () => {
    const provider = createSimProvider(model8b);
    const profile = findSimProfile('llama-3-8b-instruct-math');
    let correct = 0;
    let total = 0;
    for (let problem = 0; problem < 600; problem += 1) {
      const result = await provider.generate(request(`m${problem}`, [1, 2, 3, 4, 5, 6, 7, 8]));
      for (const completion of result.completions) {
        total += 1;
        if (completion.text.includes('\\boxed{42}')) correct += 1;
      }
    }
    const expected = profile.alpha / (profile.alpha + profile.beta);
    expect(Math.abs(correct / total - expected)).toBeLessThan(0.04);
  });

  it('an unknown profile is a config error listing the valid ones', () => {
    expect(() => createSimProvider({ id: 'x', provider: 'sim', profile: 'gpt-5' })).toThrowError(
      expect.objectContaining({ code: 'SIM_PROFILE_UNKNOWN', hint: `Use one of: ${simProfiles.map((profile) => profile.id).join(', ')}.` }),
    );
  });
});
