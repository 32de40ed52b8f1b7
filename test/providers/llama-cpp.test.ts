/**
 * The llama-cpp provider on a tiny GGUF the test writes itself, with the real engine. The tests
 * skip (with the reason) only when node-llama-cpp is not installed and CI is not set; in CI they run.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { llamaCppModelSchema } from '../../harness/config/model-schema.ts';
import { createLlamaCppProvider, type LlamaCppProvider } from '../../harness/providers/llama-cpp.ts';
import { loadEngineModule, type EngineSequence } from '../../harness/providers/llama-cpp/engine-module.ts';
import { promptTokens } from '../../harness/providers/llama-cpp/prompt-tokens.ts';
import { sampleOnSequence } from '../../harness/providers/llama-cpp/sample-on-sequence.ts';
import type { GenerateRequest } from '../../harness/providers/types.ts';
import { writeTinyGguf } from '../fakes/tiny-gguf.ts';

function engineInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('node-llama-cpp');
    return true;
  } catch {
    return false;
  }
}
const runEngine = engineInstalled() || process.env.CI !== undefined;
if (!runEngine) console.warn('llama-cpp provider tests skipped: node-llama-cpp is not installed (npm i -E --no-save node-llama-cpp@3.21.1) and CI is not set');

describe('loadEngineModule', () => {
  it('says LLAMA_CPP_NOT_INSTALLED with the install command when the package is absent', async () => {
    const importer = (): Promise<unknown> => Promise.reject(new Error("Cannot find package 'node-llama-cpp'"));
    await expect(loadEngineModule(importer)).rejects.toMatchObject({ code: 'LLAMA_CPP_NOT_INSTALLED', hint: expect.stringContaining('npm i -E node-llama-cpp@3.21.1') });
  });
});

describe.runIf(runEngine)('llama-cpp provider on a tiny test-built GGUF', () => {
  let folder: string;
  let provider: LlamaCppProvider;
  const signal = new AbortController().signal;
  const request = (overrides: Partial<GenerateRequest>): GenerateRequest => ({
    prompt: { kind: 'chat', messages: [{ role: 'user', content: 'What is 1+1?' }] },
    seeds: [1],
    temperature: 0.8,
    maxTokens: 24,
    thinkingBudget: 0,
    endpoint: 'llama-cpp',
    problemId: 'p1',
    signal,
    ...overrides,
  });
  // One thread: on a busy shared machine more threads than free cores make llama.cpp's spinning workers crawl.
  const entry = (modelPath: string, extra: Record<string, unknown> = {}) =>
    llamaCppModelSchema.parse({ id: 'tiny', provider: 'llama-cpp', modelPath, gpuLayers: 0, threads: 1, parallel: 2, contextSize: 256, ...extra });

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'sb-llama-'));
    await writeTinyGguf(join(folder, 'tiny.gguf'));
    provider = createLlamaCppProvider(entry(join(folder, 'tiny.gguf')));
    await provider.engine(signal);
  }, 120_000);
  afterAll(async () => {
    await provider?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('gives the same text for the same seed and different texts across seeds; usage by the model tokenizer', async () => {
    const first = await provider.generate(request({ seeds: [11, 12, 13, 11] }));
    const texts = first.completions.map((completion) => completion.text);
    expect(texts[0]).toBe(texts[3]);
    expect(new Set(texts.slice(0, 3)).size).toBe(3);
    const again = await provider.generate(request({ seeds: [11] }));
    expect(again.completions[0]?.text).toBe(texts[0]);
    const open = await provider.engine(signal);
    const promptTokens = open.chatWrapper.generateContextState({ chatHistory: [{ type: 'user', text: 'What is 1+1?' }, { type: 'model', response: [] }] }).contextText.tokenize(open.model.tokenizer).length;
    for (const completion of first.completions) {
      expect(completion.usage.promptTokens).toBe(promptTokens);
      expect(completion.usage.completionTokens).toBeLessThanOrEqual(24);
      expect(completion.usage.thinkingTokens).toBe(0);
      if (completion.finishReason === 'length') expect(completion.usage.completionTokens).toBe(24);
    }
  }, 120_000);

  it('evaluates a request prompt once and copies its state; a copy samples the same text as the original', async () => {
    const scratch = mkdtempSync(join(folder, 'scratch-'));
    const four = createLlamaCppProvider(entry(join(folder, 'tiny.gguf'), { parallel: 4 }), { scratchRoot: scratch });
    try {
      const open = await four.engine(signal);
      const tokens = promptTokens(open.model, open.chatWrapper, request({}).prompt);
      const sequences = await open.sequences.acquire(signal, 4);
      expect(await open.promptStates.share(sequences, tokens)).toEqual({ evaluatedTokens: tokens.length - 1, copies: 3 });
      for (const sequence of sequences) expect(sequence.contextTokens).toEqual(tokens.slice(0, -1));
      expect(readdirSync(scratch)).toEqual([]); // the state file and its folder are gone once loaded (a run never closes the engine)
      expect(await open.promptStates.share(sequences, tokens)).toEqual({ evaluatedTokens: 0, copies: 0 });
      const alone = async (sequence: EngineSequence | undefined): Promise<string> =>
        (await sampleOnSequence(open.model, sequence as EngineSequence, { tokens, maxTokens: 16, temperature: 0.8, seed: 7, stop: [], signal })).text;
      const original = await alone(sequences[0]); // all were empty, so the first was the source
      expect(await alone(sequences[3])).toBe(original);
      open.sequences.release(sequences);
    } finally {
      await four.close();
    }
    expect(readdirSync(scratch)).toEqual([]);
  }, 120_000);

  it('loads a test-built model with q8_0 matrices and samples from it', async () => {
    const path = join(folder, 'tiny-q8.gguf');
    await writeTinyGguf(path, { weightType: 'q8_0' });
    const quantized = createLlamaCppProvider(entry(path));
    try {
      const completion = (await quantized.generate(request({ seeds: [3] }))).completions[0];
      expect(completion?.usage.completionTokens).toBeGreaterThan(0);
      expect(completion?.usage.completionTokens).toBeLessThanOrEqual(24);
    } finally {
      await quantized.close();
    }
  }, 120_000);

  it('ends the text before a stop string', async () => {
    const plain = (await provider.generate(request({ seeds: [21] }))).completions[0]?.text ?? '';
    const stop = plain.slice(5, 7);
    const stopped = (await provider.generate(request({ seeds: [21], stop: [stop] }))).completions[0];
    expect(stopped?.text).toBe(plain.slice(0, plain.indexOf(stop)));
    expect(stopped?.finishReason).toBe('stop');
  }, 120_000);

  it('keeps thinking within the budget by budget forcing', async () => {
    const completion = (await provider.generate(request({ seeds: [31], thinkingBudget: 8 }))).completions[0];
    expect(completion?.usage.thinkingTokens).toBeLessThanOrEqual(8);
    expect(completion?.thinkingBudget?.strategy).toBe('budget-forcing');
    expect(completion?.thinkingBudget?.requested).toBe(8);
  }, 120_000);

  it.each([
    ['missing.gguf', 'MODEL_FILE_NOT_FOUND', undefined],
    ['text.gguf', 'MODEL_NOT_GGUF', 'not a model'],
  ])('%s → %s, with the path', async (name, code, content) => {
    const path = join(folder, name);
    if (content !== undefined) writeFileSync(path, content);
    const broken = createLlamaCppProvider(entry(path));
    await expect(broken.check?.('llama-cpp', signal)).rejects.toMatchObject({ code, message: expect.stringContaining(path) });
  });

  it('says MODEL_UNSUPPORTED_ARCHITECTURE for an architecture the engine does not know', async () => {
    const path = join(folder, 'odd.gguf');
    await writeTinyGguf(path, { architecture: 'not-an-architecture' });
    const broken = createLlamaCppProvider(entry(path));
    await expect(broken.check?.('llama-cpp', signal)).rejects.toMatchObject({ code: 'MODEL_UNSUPPORTED_ARCHITECTURE', message: expect.stringContaining(path) });
    expect(existsSync(path)).toBe(true);
  });
});
