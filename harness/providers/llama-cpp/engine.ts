/**
 * Opens the embedded engine for one model entry: checks the GGUF file, starts node-llama-cpp
 * (GPU build when one works, CPU otherwise), loads the model and creates one context of
 * `parallel` sequences. Every failure is a coded, non-retryable error with the path and a hint.
 */
import type { EngineChatWrapper, EngineContext, EngineModel, EngineModule, EngineRuntime } from './engine-module.ts';
import { checkArchitecture, checkGgufMagic, loadFailure } from './model-file.ts';
import { chatWrapperFor } from './prompt-tokens.ts';
import { createSequencePool, type SequencePool } from './sequence-pool.ts';
import { createPromptStateStore, type PromptStateStore } from './share-prompt.ts';

/** Engine settings of a model entry (the resolved config's llama-cpp keys). */
export interface EngineSettings {
  /** Local GGUF file (Hub references are resolved before). */
  modelPath: string;
  /** Layers on the GPU: `auto`, `max` or a count; 0 also skips looking for GPU builds. */
  gpuLayers: 'auto' | 'max' | number;
  /** Context size per sequence, tokens (default: the model's trained size, at most 4096). */
  contextSize?: number | undefined;
  /** CPU threads (default: the engine's choice). */
  threads?: number | undefined;
  /** Sequences decoded at once. */
  parallel: number;
  /** Jinja chat template overriding the GGUF's. */
  chatTemplate?: string | undefined;
}

/** An open engine. */
export interface LlamaEngine {
  /** The node-llama-cpp module. */
  module: EngineModule;
  /** The loaded model. */
  model: EngineModel;
  /** The context holding the sequences. */
  context: EngineContext;
  /** The chat template of the model (or the override). */
  chatWrapper: EngineChatWrapper;
  /** Free sequences. */
  sequences: SequencePool;
  /** Copies a prompt's evaluated state from one sequence to others. */
  promptStates: PromptStateStore;
  /** GPU backend in use (`cuda`, `metal`, `vulkan`) or false for CPU. */
  gpu: string | false;
  /** Architecture from the GGUF metadata. */
  architecture: string;
  /** Frees the context, the model and the runtime. */
  dispose(): Promise<void>;
}

/** Default context size cap per sequence, tokens: enough for a prompt and a long answer, small enough for many sequences. */
export const defaultContextSize = 4096;

async function startRuntime(module: EngineModule, settings: EngineSettings): Promise<EngineRuntime> {
  // The engine's log lines would go to the console; a library prints nothing, so they are dropped.
  return module.getLlama({ gpu: settings.gpuLayers === 0 ? false : 'auto', build: 'never', logLevel: 'error', logger: () => undefined });
}

/** Opens the engine on `settings.modelPath`; prompt states are copied through a scratch folder under `scratchRoot`. */
export async function openEngine(module: EngineModule, settings: EngineSettings, scratchRoot: string): Promise<LlamaEngine> {
  const path = settings.modelPath;
  await checkGgufMagic(path);
  const architecture = await checkArchitecture(path, module);
  const runtime = await startRuntime(module, settings);
  let model: EngineModel | undefined;
  try {
    model = await loadModelFile(runtime, settings, module);
    const contextSize = settings.contextSize ?? Math.min(model.trainContextSize, defaultContextSize);
    const context = await model.createContext({ sequences: settings.parallel, contextSize, ...(settings.threads === undefined ? {} : { threads: settings.threads }) }).catch((error: unknown) => {
      throw loadFailure(path, error, module);
    });
    const sequences = Array.from({ length: settings.parallel }, () => context.getSequence());
    const loaded = model;
    const promptStates = createPromptStateStore(scratchRoot);
    return {
      module,
      model: loaded,
      context,
      chatWrapper: chatWrapperFor(module, loaded, path, settings.chatTemplate),
      sequences: createSequencePool(sequences),
      promptStates,
      gpu: runtime.gpu,
      architecture,
      async dispose() {
        await promptStates.dispose();
        await context.dispose();
        await loaded.dispose();
        await runtime.dispose();
      },
    };
  } catch (error) {
    await model?.dispose();
    await runtime.dispose();
    throw error;
  }
}

async function loadModelFile(runtime: EngineRuntime, settings: EngineSettings, module: EngineModule): Promise<EngineModel> {
  try {
    return await runtime.loadModel({ modelPath: settings.modelPath, gpuLayers: settings.gpuLayers });
  } catch (error) {
    throw loadFailure(settings.modelPath, error, module);
  }
}
