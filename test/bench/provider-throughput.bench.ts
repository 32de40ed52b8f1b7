/**
 * Provider throughput against a zero-latency fake OpenAI-compatible server on 127.0.0.1:
 * (a) a bare loop of the same `openai` client calls at the same concurrency, against
 * (b) the harness path (provider + withRetry + endpoint pool), and requests per sample with n-batching.
 * Run: node harness/cli/run-ts.mjs test/bench/provider-throughput.bench.ts
 */
import OpenAI from 'openai';
import { openaiModelSchema } from '../../harness/config/model-schema.ts';
import { createOpenAIProvider } from '../../harness/providers/openai.ts';
import { createEndpointPool } from '../../harness/run/endpoint-pool.ts';
import { withRetry } from '../../harness/run/retry.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';

const concurrency = 8;
const samples = 600;
const rounds = 11;
const batchSize = 8;
const messages = [{ role: 'user' as const, content: 'What is 6 times 7? Answer with a boxed number.' }];

/** Process CPU time (user + system) of the last `timed` run, milliseconds: robust to other load on the machine. */
let lastCpuMs = 0;

/** Runs `count` jobs with `limit` in flight; returns the elapsed wall-clock milliseconds. */
async function timed(count: number, limit: number, job: (index: number) => Promise<void>): Promise<number> {
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < count) {
        const index = next;
        next += 1;
        await job(index);
      }
    }),
  );
  const elapsed = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  lastCpuMs = (cpu.user + cpu.system) / 1000;
  return elapsed;
}

const server = await startFakeOpenAI();
const client = new OpenAI({ baseURL: server.url, apiKey: 'bench', maxRetries: 0, logLevel: 'off' });

async function bareLoop(count: number): Promise<number> {
  return timed(count, concurrency, async (index) => {
    await client.chat.completions.create({ model: 'fake-model', messages, temperature: 0.7, max_tokens: 256, seed: index });
  });
}

function harnessPath(samplesPerRequest: number): (count: number) => Promise<number> {
  const model = openaiModelSchema.parse({ id: 'bench', provider: 'openai', model: 'fake-model', endpoints: [server.url], samplesPerRequest });
  const provider = createOpenAIProvider(model, { apiKey: 'bench' });
  const pool = createEndpointPool(model.endpoints, { concurrencyPerEndpoint: concurrency });
  const policy = { attempts: 6, baseDelayMs: 500, maxDelayMs: 60_000, timeoutMs: 300_000 };
  const root = new AbortController().signal;
  return (count) =>
    timed(Math.ceil(count / samplesPerRequest), concurrency, async (batch) => {
      const seeds = Array.from({ length: samplesPerRequest }, (_, offset) => batch * samplesPerRequest + offset);
      await withRetry(
        async (signal) => {
          const lease = await pool.acquire(signal);
          try {
            const result = await provider.generate({
              prompt: { kind: 'chat', messages },
              seeds,
              temperature: 0.7,
              maxTokens: 256,
              thinkingBudget: 0,
              endpoint: lease.endpoint,
              problemId: 'bench',
              signal,
            });
            lease.release('ok');
            return result;
          } catch (error) {
            lease.release('failure');
            throw error;
          }
        },
        policy,
        {},
        root,
      );
    });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const harness = harnessPath(1);
await bareLoop(300);
await harness(300);
// Interleaved rounds, alternating which goes first, so machine noise hits both alike.
const bareRates: number[] = [];
const harnessRates: number[] = [];
const ratios: number[] = [];
const cpuRatios: number[] = [];
for (let round = 0; round < rounds; round += 1) {
  const measure = async (run: (count: number) => Promise<number>): Promise<{ rate: number; cpuMs: number }> => {
    const wallMs = await run(samples);
    return { rate: samples / (wallMs / 1000), cpuMs: lastCpuMs };
  };
  const [first, second] = round % 2 === 0 ? [bareLoop, harness] : [harness, bareLoop];
  const firstResult = await measure(first);
  const secondResult = await measure(second);
  const bareResult = round % 2 === 0 ? firstResult : secondResult;
  const harnessResult = round % 2 === 0 ? secondResult : firstResult;
  bareRates.push(bareResult.rate);
  harnessRates.push(harnessResult.rate);
  ratios.push(harnessResult.rate / bareResult.rate);
  cpuRatios.push(bareResult.cpuMs / harnessResult.cpuMs);
}
const bare = median(bareRates);
const ours = median(harnessRates);

const before = server.generationRequests().length;
const batched = harnessPath(batchSize);
const batchedMs = await batched(samples);
const batchedRequests = server.generationRequests().length - before;

console.log(`provider throughput, zero-latency fake OpenAI server, concurrency ${concurrency}, ${samples} samples per run, ${rounds} interleaved rounds (medians)`);
console.log(`  (a) bare openai client loop:          ${bare.toFixed(0)} samples/s`);
console.log(`  (b) provider + withRetry + pool:       ${ours.toFixed(0)} samples/s`);
console.log(`  ratio (b)/(a), median of per-round ratios: ${median(ratios).toFixed(3)}  (target >= 0.8; rounds: ${ratios.map((ratio) => ratio.toFixed(2)).join(' ')})`);
console.log(`  ratio by CPU time per sample (a)/(b):  ${median(cpuRatios).toFixed(3)}  (same work, insensitive to other load on the machine)`);
console.log(`  n-batching, samplesPerRequest ${batchSize}:      ${(samples / (batchedMs / 1000)).toFixed(0)} samples/s, ${batchedRequests} requests for ${samples} samples = ${(batchedRequests / samples).toFixed(4)} requests/sample (target 1/${batchSize} = ${(1 / batchSize).toFixed(4)})`);
await server.close();
