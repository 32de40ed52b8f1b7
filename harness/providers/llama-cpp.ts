/**
 * The `llama-cpp` provider: an embedded llama.cpp engine (node-llama-cpp, installed on demand) on
 * a GGUF file, local or pulled from the Hub. One endpoint whose `parallel` sequences are its slots:
 * the samples of a request are decoded as parallel sequences in the same batches, each with its
 * own seed. Thinking budgets are applied by budget forcing directly on the engine.
 */
import { tmpdir } from 'node:os';
import { basename } from 'node:path';
import type { ModelConfig } from '../config/model-schema.ts';
import { ProviderError } from '../core/errors.ts';
import type { Completion, GenerateRequest, GenerateResult, Provider } from './types.ts';
import { loadEngineModule, type ModuleImporter } from './llama-cpp/engine-module.ts';
import { openEngine, type LlamaEngine } from './llama-cpp/engine.ts';
import type { EngineSequence, EngineToken } from './llama-cpp/engine-module.ts';
import { enginePort } from './llama-cpp/engine-port.ts';
import { createLockstep, type Lockstep } from './llama-cpp/lockstep.ts';
import { promptText, promptTokens } from './llama-cpp/prompt-tokens.ts';
import { sampleOnSequence } from './llama-cpp/sample-on-sequence.ts';
import { budgetForcedCompletion } from './thinking/budget-forced-completion.ts';
import { thinkingDelimitersFor } from './thinking/delimiters.ts';

/** Settings of a `llama-cpp` model entry (the resolved config). */
export type LlamaCppModelConfig = Extract<ModelConfig, { provider: 'llama-cpp' }>;

/** What the provider needs from outside. */
export interface LlamaCppProviderDependencies {
  /** Turns `modelPath` into a local file: Hub references are pulled (default: local paths only). */
  resolveModelPath?: (modelPath: string, signal: AbortSignal) => Promise<string>;
  /** Imports node-llama-cpp (default: dynamic import). */
  importer?: ModuleImporter;
  /** Monotonic clock for latency, milliseconds (default: performance.now). */
  now?: () => number;
  /** Folder under which a private scratch folder holds prompt states while they are copied (default: os.tmpdir()). */
  scratchRoot?: string;
}

/** A provider that can also free its engine (tests, benchmarks, the end of a run). */
export interface LlamaCppProvider extends Provider {
  /** The open engine (opened on first use). */
  engine(signal: AbortSignal): Promise<LlamaEngine>;
  /** Frees the engine; a later call opens it again. */
  close(): Promise<void>;
}

/**
 * Requests to keep in flight on the engine: as many as fit its sequences side by side when each
 * carries up to `parallel` samples of one problem (at least 1), so none waits for sequences.
 */
export function llamaCppRequestsAtOnce(model: Pick<LlamaCppModelConfig, 'parallel'>, samplesPerProblem: number): number {
  return Math.max(1, Math.floor(model.parallel / Math.max(1, Math.min(model.parallel, samplesPerProblem))));
}

/** Endpoint name under which the pool sees the engine. */
export function llamaCppEndpoint(model: LlamaCppModelConfig): string {
  return `llama-cpp:${model.modelPath}`;
}

/** Creates the provider of a `llama-cpp` model entry. */
export function createLlamaCppProvider(model: LlamaCppModelConfig, deps: LlamaCppProviderDependencies = {}): LlamaCppProvider {
  const now = deps.now ?? (() => performance.now());
  let opening: Promise<LlamaEngine> | undefined;

  function engine(signal: AbortSignal): Promise<LlamaEngine> {
    opening ??= (async () => {
      const module = await loadEngineModule(deps.importer);
      const modelPath = deps.resolveModelPath ? await deps.resolveModelPath(model.modelPath, signal) : model.modelPath;
      return openEngine(module, { ...model, modelPath }, deps.scratchRoot ?? tmpdir());
    })();
    // A failed open is not cached: the next call tries again (after a pull was fixed, say).
    opening.catch(() => {
      opening = undefined;
    });
    return opening;
  }

  /** Samples `seeds` (at most the engine's sequences) on sequences of their own, the prompt evaluated once for all. */
  async function sampleGroup(open: LlamaEngine, request: GenerateRequest, seeds: number[]): Promise<Completion[]> {
    const tokens = promptTokens(open.model, open.chatWrapper, request.prompt);
    fittedMaxTokens(open, tokens.length, request.maxTokens); // a prompt that fills the context fails before any work
    const sequences = await open.sequences.acquire(request.signal, seeds.length, tokens);
    try {
      if (sequences.length > 1) await open.promptStates.share(sequences, tokens);
      const barrier = createLockstep(sequences.length);
      return await Promise.all(seeds.map((seed, position) => oneSample(open, request, seed, tokens, sequences[position] as EngineSequence, { barrier, position })));
    } finally {
      open.sequences.release(sequences);
    }
  }

  async function oneSample(open: LlamaEngine, request: GenerateRequest, seed: number, tokens: EngineToken[], sequence: EngineSequence, lockstep: { barrier: Lockstep; position: number }): Promise<Completion> {
    try {
      // Budget forcing makes several calls per sample, of unequal lengths: not kept in step.
      if (request.thinkingBudget > 0 || model.thinking?.strategy === 'budget-forcing') {
        lockstep.barrier.leave(lockstep.position);
        return await forcedSample(open, request, seed, sequence);
      }
      const output = await sampleOnSequence(open.model, sequence, {
        tokens,
        maxTokens: fittedMaxTokens(open, tokens.length, request.maxTokens),
        temperature: request.temperature,
        topP: request.topP,
        seed,
        stop: request.stop ?? [],
        signal: request.signal,
        lockstep,
      });
      return { text: output.text, usage: { promptTokens: output.promptTokens, completionTokens: output.completionTokens, thinkingTokens: 0 }, finishReason: output.finishReason };
    } finally {
      lockstep.barrier.leave(lockstep.position); // however it ended, the others stop waiting for it
    }
  }

  async function forcedSample(open: LlamaEngine, request: GenerateRequest, seed: number, sequence: EngineSequence): Promise<Completion> {
    const modelName = modelNameOf(open, model.modelPath);
    const settings = model.thinking;
    // Without a raw template of its own, the prompt is the GGUF template's, with the thinking block opened.
    let prompt = request.prompt;
    if (settings?.template === undefined) {
      const delimiters = thinkingDelimitersFor(modelName, settings?.delimiters ?? settings?.family);
      const text = promptText(open.model, open.chatWrapper, request.prompt);
      prompt = { kind: 'text', text: text.trimEnd().endsWith(delimiters.open) ? text : `${text}${delimiters.open}\n` };
    }
    const port = enginePort(open, sequence, { temperature: request.temperature, topP: request.topP, fitMaxTokens: (promptLength, maxTokens) => fittedMaxTokens(open, promptLength, maxTokens) });
    return budgetForcedCompletion(port, {
      prompt,
      modelName,
      budget: request.thinkingBudget,
      answerMaxTokens: settings?.answerMaxTokens ?? request.maxTokens,
      seed,
      signal: request.signal,
      ...(request.stop === undefined ? {} : { stop: request.stop }),
      ...(settings === undefined ? {} : { settings }),
    });
  }

  return {
    kind: 'llama-cpp',
    // A request's samples are decoded side by side on sequences of their own, the prompt evaluated
    // once and its state copied to the others: up to one sample per sequence.
    maxSamplesPerRequest: model.parallel,
    simulated: false,
    engine,
    async generate(request: GenerateRequest): Promise<GenerateResult> {
      const started = now();
      const open = await engine(request.signal);
      const completions: Completion[] = [];
      // More seeds than sequences: groups of `parallel`, one after another.
      for (let start = 0; start < request.seeds.length; start += open.sequences.size) {
        completions.push(...(await sampleGroup(open, request, request.seeds.slice(start, start + open.sequences.size))));
      }
      return { completions, modelName: modelNameOf(open, model.modelPath), latencyMs: now() - started };
    },
    async check(_endpoint: string, signal: AbortSignal): Promise<void> {
      await engine(signal);
    },
    async close(): Promise<void> {
      const current = opening;
      opening = undefined;
      if (current) await (await current.catch(() => undefined))?.dispose();
    },
  };
}

/** The model's name from its metadata, else the file name. */
function modelNameOf(open: LlamaEngine, modelPath: string): string {
  return open.model.fileInfo.metadata.general?.name ?? basename(modelPath);
}

/** `maxTokens` cut to what the sequence still holds after the prompt; a prompt that fills it is an error. */
function fittedMaxTokens(open: LlamaEngine, promptLength: number, maxTokens: number): number {
  const room = open.context.contextSize - promptLength;
  if (room < 1) {
    throw new ProviderError('PROMPT_TOO_LONG', `the prompt has ${promptLength} tokens, the context of each sequence holds ${open.context.contextSize}`, {
      hint: 'Raise `contextSize` on the model entry (memory grows with contextSize × parallel), or use shorter prompts (fewer few-shot examples).',
      retryable: false,
    });
  }
  return Math.min(maxTokens, room);
}
