/**
 * Provider + withRetry + endpoint pool against two fake servers that fail 30% of requests
 * transiently: every sample must come back exactly once, with the text its seed determines.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../../harness/core/errors.ts';
import { createRandom } from '../../harness/core/random.ts';
import { openaiModelSchema } from '../../harness/config/model-schema.ts';
import { createOpenAIProvider } from '../../harness/providers/openai.ts';
import type { Completion, Provider } from '../../harness/providers/types.ts';
import { createDuplicateDetector } from '../../harness/run/duplicates.ts';
import { createEndpointPool, type EndpointPool } from '../../harness/run/endpoint-pool.ts';
import { withRetry } from '../../harness/run/retry.ts';
import { defaultGeneration, type FakeFault, type FakeServer } from '../fakes/fake-http.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const transientFaults: FakeFault[] = [
  { kind: 'status', status: 429, retryAfter: '0' },
  { kind: 'status', status: 500 },
  { kind: 'status', status: 503 },
  { kind: 'reset' },
  { kind: 'malformed' },
  { kind: 'truncated' },
];

/** Fails `rate` of the generation requests with a transient fault, seeded. */
function flaky(seed: number, rate: number): (request: unknown, number: number) => FakeFault | undefined {
  const random = createRandom(seed);
  return () => {
    const draw = random.next();
    return draw < rate ? transientFaults[Math.floor((draw / rate) * transientFaults.length)] : undefined;
  };
}

/** One batch of samples through the harness path: retry around (acquire endpoint → generate → release). */
function sampleBatch(provider: Provider, pool: EndpointPool, problem: string, seeds: number[]): Promise<Completion[]> {
  return withRetry(
    async (signal) => {
      const lease = await pool.acquire(signal);
      try {
        const result = await provider.generate({
          prompt: { kind: 'chat', messages: [{ role: 'user', content: problem }] },
          seeds,
          temperature: 0.8,
          maxTokens: 512,
          thinkingBudget: 0,
          endpoint: lease.endpoint,
          problemId: problem,
          signal,
        });
        lease.release('ok');
        return result.completions;
      } catch (error) {
        lease.release(error instanceof ProviderError && error.retryable ? 'failure' : 'ok');
        throw error;
      }
    },
    { attempts: 30, baseDelayMs: 0, maxDelayMs: 0, timeoutMs: 20_000 },
    { sleep: async () => undefined },
    new AbortController().signal,
  );
}

/** Runs `tasks` with at most `limit` in flight. */
async function runLimited(tasks: Array<() => Promise<void>>, limit: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < tasks.length) {
        const task = tasks[next];
        next += 1;
        await task?.();
      }
    }),
  );
}

describe('30% transient failures', () => {
  it.each([
    { samplesPerRequest: 1, stream: false },
    { samplesPerRequest: 4, stream: true },
  ])('completes every sample exactly once (samplesPerRequest $samplesPerRequest, stream $stream)', async ({ samplesPerRequest, stream }) => {
    const first = await startFakeOpenAI({ faults: flaky(1, 0.3) });
    const second = await startFakeOpenAI({ faults: flaky(2, 0.3) });
    servers.push(first, second);
    const model = openaiModelSchema.parse({ id: 'flaky', provider: 'openai', model: 'fake-model', endpoints: [first.url, second.url], samplesPerRequest, stream });
    const provider = createOpenAIProvider(model);
    const pool = createEndpointPool(model.endpoints, { concurrencyPerEndpoint: 4, cooldownMs: 50 });
    const problems = Array.from({ length: 16 }, (_, index) => `problem ${index}: what is ${index} squared?`);
    const samplesPerProblem = 8;
    const baseSeed = 100;
    const stored = new Map<string, { text: string; count: number }>();
    const expected = new Map<string, string>();
    const tasks: Array<() => Promise<void>> = [];
    for (const problem of problems) {
      for (let start = 0; start < samplesPerProblem; start += samplesPerRequest) {
        const indices = Array.from({ length: samplesPerRequest }, (_, offset) => start + offset);
        const seeds = indices.map((index) => baseSeed + index);
        indices.forEach((index, choice) =>
          expected.set(`${problem}#${index}`, defaultGeneration({ model: 'fake-model', prompt: problem, seed: seeds[0] ?? 0, choice, think: false }).text),
        );
        tasks.push(async () => {
          const completions = await sampleBatch(provider, pool, problem, seeds);
          completions.forEach((completion, offset) => {
            const key = `${problem}#${indices[offset] ?? -1}`;
            const entry = stored.get(key);
            stored.set(key, { text: completion.text, count: (entry?.count ?? 0) + 1 });
          });
        });
      }
    }
    await runLimited(tasks, 8);

    expect(stored.size).toBe(problems.length * samplesPerProblem);
    expect([...stored.values()].every((entry) => entry.count === 1)).toBe(true);
    expect([...stored.entries()].filter(([key, entry]) => expected.get(key) !== entry.text)).toEqual([]);
    const requests = [...first.generationRequests(), ...second.generationRequests()];
    const faulted = requests.filter((request) => request.fault !== undefined).length;
    expect(requests.length - faulted).toBe((problems.length * samplesPerProblem) / samplesPerRequest);
    expect(faulted).toBeGreaterThan(0);
    expect(first.generationRequests().length).toBeGreaterThan(0);
    expect(second.generationRequests().length).toBeGreaterThan(0);
  });
});

describe('a server that ignores seeds', () => {
  it('shows up as duplicate samples', async () => {
    const server = await startFakeOpenAI({ ignoreSeed: true });
    servers.push(server);
    const provider = createOpenAIProvider(openaiModelSchema.parse({ id: 'same', provider: 'openai', model: 'fake-model', endpoints: [server.url] }));
    const detector = createDuplicateDetector();
    for (let index = 0; index < 4; index += 1) {
      const result = await provider.generate({
        prompt: { kind: 'chat', messages: [{ role: 'user', content: 'What is 2 + 2?' }] },
        seeds: [1 + index],
        temperature: 0.8,
        maxTokens: 256,
        thinkingBudget: 0,
        endpoint: server.url,
        problemId: 'p',
        signal: new AbortController().signal,
      });
      detector.add('cell', 'p', index, result.completions[0]?.text ?? '');
    }
    expect(detector.report()).toEqual({ duplicates: 3, groups: [{ cell: 'cell', problem: 'p', indices: [0, 1, 2, 3] }] });
  });
});
