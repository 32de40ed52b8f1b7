/**
 * The embedded engine on test-built GGUF models, 8 samples of one prompt (seeds 1…8, temperature
 * 0.8, ≤64 tokens, no stop strings), every variant starting from empty sequences:
 *  - harness: provider.generate on 8 parallel sequences (prompt evaluated once, its state copied);
 *  - bare: the same work written straight on node-llama-cpp (prompt evaluated once on one sequence,
 *    saveStateToFile/loadStateFromFile to the others, then 8 evaluate() loops kept in step so they
 *    ask for tokens in sequence order, with the same lockstep helper), same seeds and limit;
 *  - bare, plain: the same without the lockstep (8 evaluate() loops left to themselves);
 *  - bare, prompt per sequence: plain loops, each given the whole prompt (one batch);
 *  - one at a time: provider.generate on a 1-sequence engine (the prompt state reused after the first).
 * Three models: tiny f32 (per-token fixed costs dominate), small q8_0, and medium f32 (172 MB, more
 * than the CPU caches hold, so a single-token decode waits on memory and batching amortizes the
 * weight reads: the case parallel sequences are for). The medium model runs only harness, bare and
 * one at a time (its plain loops take half a minute a round).
 * Variants alternate within each round (reversed every other round), so a busy machine slows them
 * alike; ratios are taken per round and their median is reported with every round's value. Texts
 * are compared per seed. Ratios are given by wall-clock time and by this process's CPU time (all its
 * threads), which a machine shared with other work disturbs less. The ceiling: llama.cpp's own cost
 * of one token on each of 8 sequences (one decode, in sequence order) against 8 single-token
 * decodes, with no sampling: what batching can give on this machine.
 * Skips when node-llama-cpp is absent. Run: node harness/cli/run-ts.mjs test/bench/llama-cpp.bench.ts
 * (BENCH_ROUNDS, default 5; BENCH_THREADS, default 1; BENCH_MODELS, default tiny,q8,medium).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { llamaCppModelSchema } from '../../harness/config/model-schema.ts';
import { createLlamaCppProvider, type LlamaCppProvider } from '../../harness/providers/llama-cpp.ts';
import type { EngineSequence, EngineToken } from '../../harness/providers/llama-cpp/engine-module.ts';
import type { LlamaEngine } from '../../harness/providers/llama-cpp/engine.ts';
import { createLockstep, type Lockstep } from '../../harness/providers/llama-cpp/lockstep.ts';
import { promptTokens } from '../../harness/providers/llama-cpp/prompt-tokens.ts';
import type { GenerateRequest } from '../../harness/providers/types.ts';
import { writeTinyGguf, type TinyGgufOptions } from '../fakes/tiny-gguf.ts';

const samples = 8;
const maxTokens = 64;
const temperature = 0.8;
const threads = Number(process.env.BENCH_THREADS ?? 1);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const seeds = Array.from({ length: samples }, (_, index) => index + 1);
const signal = new AbortController().signal;
const request: GenerateRequest = { prompt: { kind: 'chat', messages: [{ role: 'user', content: 'What is 6 times 7? Think step by step, then give the answer.' }] }, seeds, temperature, maxTokens, thinkingBudget: 0, endpoint: 'llama-cpp', problemId: 'p', signal };

const allVariants: Variant[] = ['harness', 'bare', 'plain', 'perSequence', 'single'];
/** The medium model runs only the variants of the two targets: its plain loops take half a minute a round. */
const targetVariants: Variant[] = ['harness', 'bare', 'single'];
const models: Array<{ name: string; label: string; shape: TinyGgufOptions; variants: Variant[] }> = [
  { name: 'tiny', label: 'tiny f32 (4 layers, d_model 256, 11 MB)', shape: { layers: 4, embeddingLength: 256, feedForwardLength: 512 }, variants: allVariants },
  { name: 'q8', label: 'small q8_0 (8 layers, d_model 512, 30 MB)', shape: { layers: 8, embeddingLength: 512, feedForwardLength: 1536, weightType: 'q8_0' }, variants: allVariants },
  { name: 'medium', label: 'medium f32 (6 layers, d_model 768, 172 MB)', shape: { layers: 6, embeddingLength: 768, feedForwardLength: 2048 }, variants: targetVariants },
];
const wantedModels = (process.env.BENCH_MODELS ?? models.map((model) => model.name).join(',')).split(',');

interface Timed {
  /** Wall-clock time, milliseconds. */
  ms: number;
  /** CPU time of this process (every thread: the engine decodes and samples on worker threads), milliseconds. */
  cpuMs: number;
  texts: string[];
  tokens: number;
}

/** Empties every sequence of an engine, so each variant evaluates the prompt from scratch. */
async function clearAll(engine: LlamaEngine): Promise<void> {
  const sequences = await engine.sequences.acquire(signal, engine.sequences.size);
  for (const sequence of sequences) await sequence.clearHistory();
  engine.sequences.release(sequences);
}

async function harness(provider: LlamaCppProvider): Promise<Timed> {
  await clearAll(await provider.engine(signal));
  const cpu = cpuNow();
  const started = performance.now();
  const result = await provider.generate(request);
  const ms = performance.now() - started;
  return { ms, cpuMs: cpuNow() - cpu, texts: result.completions.map((completion) => completion.text), tokens: result.completions.reduce((sum, completion) => sum + completion.usage.completionTokens, 0) };
}

/** One sample straight on node-llama-cpp: the last prompt token, then generated tokens up to the limit. */
async function bareSample(sequence: EngineSequence, input: EngineToken[], seed: number, step?: { barrier: Lockstep; position: number }): Promise<EngineToken[]> {
  const generated: EngineToken[] = [];
  try {
    for await (const token of sequence.evaluate(input, { temperature, seed })) {
      generated.push(token);
      if (generated.length >= maxTokens) break;
      await step?.barrier.arrive(step.position);
    }
  } finally {
    step?.barrier.leave(step.position);
  }
  return generated;
}

type BareMode = 'same work' | 'plain' | 'prompt per sequence';

async function bare(engine: LlamaEngine, folder: string, mode: BareMode): Promise<Timed> {
  await clearAll(engine);
  // Timed from the same point as provider.generate: templating, taking sequences, the prompt.
  const cpu = cpuNow();
  const started = performance.now();
  const tokens = promptTokens(engine.model, engine.chatWrapper, request.prompt);
  const sequences = await engine.sequences.acquire(signal, samples);
  const share = mode !== 'prompt per sequence';
  if (share) {
    const [first, ...others] = sequences as [EngineSequence, ...EngineSequence[]];
    await first.evaluateWithoutGeneratingNewTokens(tokens.slice(0, -1));
    await first.saveStateToFile(join(folder, 'bare.state'));
    for (const sequence of others) await sequence.loadStateFromFile(join(folder, 'bare.state'), { acceptRisk: true });
  }
  const barrier = mode === 'same work' ? createLockstep(samples) : undefined;
  const outputs = await Promise.all(
    sequences.map((sequence, index) => bareSample(sequence, share ? tokens.slice(-1) : tokens, seeds[index] as number, barrier && { barrier, position: index })),
  );
  const ms = performance.now() - started;
  const cpuMs = cpuNow() - cpu;
  engine.sequences.release(sequences);
  return { ms, cpuMs, texts: outputs.map((output) => engine.model.detokenize(output)), tokens: outputs.reduce((sum, output) => sum + output.length, 0) };
}

/** 8 single-token decodes on one sequence against one decode of a token on each of 8 sequences (in order), no sampling: the ratio by wall-clock and by CPU time. */
async function ceiling(engine: LlamaEngine): Promise<{ wall: number; cpu: number }> {
  await clearAll(engine);
  const sequences = await engine.sequences.acquire(signal, samples);
  const token = engine.model.tokenize('a')[0] as EngineToken;
  let cpu = cpuNow();
  let started = performance.now();
  for (let index = 0; index < samples; index++) await (sequences[0] as EngineSequence).evaluateWithoutGeneratingNewTokens([token]);
  const oneByOne = { wall: performance.now() - started, cpu: cpuNow() - cpu };
  cpu = cpuNow();
  started = performance.now();
  await Promise.all(sequences.map((sequence) => sequence.evaluateWithoutGeneratingNewTokens([token])));
  const together = { wall: performance.now() - started, cpu: cpuNow() - cpu };
  engine.sequences.release(sequences);
  return { wall: oneByOne.wall / together.wall, cpu: oneByOne.cpu / together.cpu };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};
const rate = (timed: Timed): number => (1000 * timed.tokens) / timed.ms;
const cpuRate = (timed: Timed): number => (1000 * timed.tokens) / timed.cpuMs;
const cpuNow = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};
const same = (a: Timed, b: Timed): number => a.texts.filter((text, index) => text === b.texts[index]).length;
const list = (values: number[]): string => values.map((value) => value.toFixed(2)).join(' ');

type Variant = 'harness' | 'bare' | 'plain' | 'perSequence' | 'single';

/** Runs one round's variants, in `order`; each variant starts from empty sequences. */
async function runRound(order: Variant[], run: Record<Variant, () => Promise<Timed>>): Promise<Partial<Record<Variant, Timed>>> {
  const timed: Partial<Record<Variant, Timed>> = {};
  for (const variant of order) timed[variant] = await run[variant]();
  return timed;
}

async function benchModel(folder: string, label: string, shape: TinyGgufOptions, variants: Variant[]): Promise<void> {
  const path = join(folder, 'model.gguf');
  await writeTinyGguf(path, shape);
  const make = (parallel: number): LlamaCppProvider =>
    createLlamaCppProvider(llamaCppModelSchema.parse({ id: 'bench', provider: 'llama-cpp', modelPath: path, gpuLayers: 0, threads, parallel, contextSize: 256 }), { scratchRoot: folder });
  const parallel = make(samples);
  const single = make(1);
  try {
    const engine = await parallel.engine(signal);
    await harness(parallel); // warm-up of both engines
    await harness(single);
    const run: Record<Variant, () => Promise<Timed>> = {
      harness: () => harness(parallel),
      bare: () => bare(engine, folder, 'same work'),
      plain: () => bare(engine, folder, 'plain'),
      perSequence: () => bare(engine, folder, 'prompt per sequence'),
      single: () => harness(single),
    };
    const ratios = { harnessOverBare: [] as number[], harnessOverPlain: [] as number[], shareGain: [] as number[], speedUp: [] as number[], ceiling: [] as number[], cpuHarnessOverBare: [] as number[], cpuSpeedUp: [] as number[], cpuCeiling: [] as number[] };
    let last: Partial<Record<Variant, Timed>> = {};
    for (let round = 0; round < rounds; round++) {
      // Odd rounds run the variants in reverse, so none always runs first or last in a round.
      const timed = await runRound(round % 2 === 0 ? variants : [...variants].reverse(), run);
      for (let repeat = 0; repeat < 5; repeat++) {
        const measured = await ceiling(engine);
        ratios.ceiling.push(measured.wall);
        ratios.cpuCeiling.push(measured.cpu);
      }
      const { harness: ours, bare: same, plain, perSequence, single: alone } = timed;
      if (ours && same) ratios.harnessOverBare.push(rate(ours) / rate(same));
      if (ours && same) ratios.cpuHarnessOverBare.push(cpuRate(ours) / cpuRate(same));
      if (ours && plain) ratios.harnessOverPlain.push(rate(ours) / rate(plain));
      if (plain && perSequence) ratios.shareGain.push(rate(plain) / rate(perSequence));
      if (ours && alone) ratios.speedUp.push(rate(ours) / rate(alone));
      if (ours && alone) ratios.cpuSpeedUp.push(cpuRate(ours) / cpuRate(alone));
      last = timed;
    }
    const line = (name: string, timed: Timed | undefined): string => (timed === undefined ? '' : `  ${name}: ${timed.tokens} tokens in ${timed.ms.toFixed(0)} ms = ${rate(timed).toFixed(0)} tokens/s (CPU ${timed.cpuMs.toFixed(0)} ms)\n`);
    const print = (text: string, values: number[]): void => {
      if (values.length > 0) process.stdout.write(text.replace('MEDIAN', median(values).toFixed(2)).replace('ROUNDS', list(values)));
    };
    process.stdout.write(`${label}, ${samples} samples × ≤${maxTokens} tokens, threads ${threads}, ${rounds} rounds; last round:\n`);
    process.stdout.write(
      line('harness, 8 parallel sequences', last.harness) +
        line('bare node-llama-cpp, same work', last.bare) +
        line('bare node-llama-cpp, plain loops', last.plain) +
        line('bare node-llama-cpp, prompt per sequence', last.perSequence) +
        line('harness, one sequence at a time', last.single),
    );
    const sameText = (name: string, other: Timed | undefined): string => (last.harness && other ? ` harness = ${name} ${same(last.harness, other)}/${samples};` : '');
    process.stdout.write(`  same text per seed (last round):${sameText('bare', last.bare)}${sameText('plain', last.plain)}${sameText('one at a time', last.single)}\n`);
    print(`  ratio harness/bare same work (tokens/s): median MEDIAN (target ≥ 0.9); rounds ROUNDS\n`, ratios.harnessOverBare);
    print(`  ratio harness/bare plain loops: median MEDIAN; rounds ROUNDS\n`, ratios.harnessOverPlain);
    print(`  plain loops, prompt shared / prompt per sequence: median MEDIAN; rounds ROUNDS\n`, ratios.shareGain);
    print(`  parallel sequences speed-up (tokens/s): median MEDIAN× (target ≥ 2×); rounds ROUNDS\n`, ratios.speedUp);
    print(`  by CPU time (less sensitive to other load): harness/bare same work median MEDIAN; rounds ROUNDS\n`, ratios.cpuHarnessOverBare);
    print(`  by CPU time: parallel sequences speed-up median MEDIAN×; rounds ROUNDS\n`, ratios.cpuSpeedUp);
    process.stdout.write(`  ceiling, decode only (8 single-token decodes / one 8-sequence decode, ${ratios.ceiling.length} times): median ${median(ratios.ceiling).toFixed(2)}× wall, ${median(ratios.cpuCeiling).toFixed(2)}× CPU\n`);
  } finally {
    await parallel.close();
    await single.close();
  }
}

const folder = mkdtempSync(join(tmpdir(), 'sb-llama-bench-'));
try {
  for (const { name, label, shape, variants } of models) if (wantedModels.includes(name)) await benchModel(folder, label, shape, variants);
} catch (error) {
  if (error instanceof Error && 'code' in error && error.code === 'LLAMA_CPP_NOT_INSTALLED') process.stdout.write('skipped: node-llama-cpp is not installed (npm i -E --no-save node-llama-cpp@3.21.1)\n');
  else throw error;
} finally {
  rmSync(folder, { recursive: true, force: true });
}
