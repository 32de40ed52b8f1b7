/**
 * The embedded engine on the test-built tiny GGUF: (a) the harness path (provider.generate) against
 * a bare node-llama-cpp loop generating the same tokens (same seeds, prompt, limit), and (b) 8
 * samples of one prompt as parallel sequences against one at a time. Skips when node-llama-cpp
 * is absent. Run: node harness/cli/run-ts.mjs test/bench/llama-cpp.bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { llamaCppModelSchema } from '../../harness/config/model-schema.ts';
import { createLlamaCppProvider } from '../../harness/providers/llama-cpp.ts';
import type { EngineToken } from '../../harness/providers/llama-cpp/engine-module.ts';
import { promptTokens } from '../../harness/providers/llama-cpp/prompt-tokens.ts';
import { writeTinyGguf } from '../fakes/tiny-gguf.ts';

const samples = 8;
const maxTokens = 64;
const threads = Number(process.env.BENCH_THREADS ?? 1);
const folder = mkdtempSync(join(tmpdir(), 'sb-llama-bench-'));
try {
  const path = join(folder, 'tiny.gguf');
  // A larger tiny model so that evaluation, not bookkeeping, dominates.
  await writeTinyGguf(path, { layers: 4, embeddingLength: 256, feedForwardLength: 512 });
  const signal = new AbortController().signal;
  const make = (parallel: number) => createLlamaCppProvider(llamaCppModelSchema.parse({ id: 'tiny', provider: 'llama-cpp', modelPath: path, gpuLayers: 0, threads, parallel, contextSize: 256 }));
  const seeds = Array.from({ length: samples }, (_, index) => index + 1);
  const request = { prompt: { kind: 'chat' as const, messages: [{ role: 'user' as const, content: 'What is 6 times 7?' }] }, temperature: 0.8, maxTokens, thinkingBudget: 0, endpoint: 'llama-cpp', problemId: 'p', signal };

  const parallel = make(samples);
  const open = await parallel.engine(signal);
  await parallel.generate({ ...request, seeds: [99] }); // warm-up
  let started = performance.now();
  const harness = await parallel.generate({ ...request, seeds });
  const harnessMs = performance.now() - started;
  const harnessTokens = harness.completions.reduce((sum, completion) => sum + completion.usage.completionTokens, 0);

  // Bare loop: the same prompt tokens, seeds and limits straight on node-llama-cpp sequences.
  const tokens = promptTokens(open.model, open.chatWrapper, request.prompt);
  const sequences = await Promise.all(seeds.map(() => open.sequences.acquire(signal)));
  for (const sequence of sequences) await sequence.clearHistory();
  started = performance.now();
  const bareCounts = await Promise.all(
    sequences.map(async (sequence, index) => {
      let count = 0;
      for await (const token of sequence.evaluate(tokens as EngineToken[], { temperature: 0.8, seed: seeds[index] as number })) {
        void token;
        count += 1;
        if (count >= maxTokens) break;
      }
      return count;
    }),
  );
  const bareMs = performance.now() - started;
  for (const sequence of sequences) open.sequences.release(sequence);
  const bareTokens = bareCounts.reduce((sum, count) => sum + count, 0);
  await parallel.close();

  const single = make(1);
  await single.generate({ ...request, seeds: [99] });
  started = performance.now();
  const oneByOne = await single.generate({ ...request, seeds });
  const singleMs = performance.now() - started;
  const singleTokens = oneByOne.completions.reduce((sum, completion) => sum + completion.usage.completionTokens, 0);
  await single.close();

  const rate = (count: number, ms: number): number => (1000 * count) / ms;
  process.stdout.write(`tiny GGUF (4 layers, d_model 256), ${samples} samples × ≤${maxTokens} tokens, threads ${threads}\n`);
  process.stdout.write(`bare node-llama-cpp loop: ${bareTokens} tokens in ${bareMs.toFixed(0)} ms = ${rate(bareTokens, bareMs).toFixed(0)} tokens/s\n`);
  process.stdout.write(`harness provider.generate: ${harnessTokens} tokens in ${harnessMs.toFixed(0)} ms = ${rate(harnessTokens, harnessMs).toFixed(0)} tokens/s\n`);
  process.stdout.write(`ratio harness/bare (tokens/s): ${(rate(harnessTokens, harnessMs) / rate(bareTokens, bareMs)).toFixed(2)} (target ≥ 0.9)\n`);
  process.stdout.write(`one sequence at a time: ${singleTokens} tokens in ${singleMs.toFixed(0)} ms = ${rate(singleTokens, singleMs).toFixed(0)} tokens/s\n`);
  process.stdout.write(`parallel sequences speed-up (tokens/s): ${(rate(harnessTokens, harnessMs) / rate(singleTokens, singleMs)).toFixed(2)}× (target ≥ 2×)\n`);
} catch (error) {
  if (error instanceof Error && 'code' in error && error.code === 'LLAMA_CPP_NOT_INSTALLED') process.stdout.write('skipped: node-llama-cpp is not installed (npm i -E --no-save node-llama-cpp@3.21.1)\n');
  else throw error;
} finally {
  rmSync(folder, { recursive: true, force: true });
}
