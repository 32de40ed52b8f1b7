/**
 * The part of node-llama-cpp the `llama-cpp` provider uses, and its loading on demand. The package
 * is not a dependency (its GPU builds weigh ~730 MB): users of the embedded engine install it with
 * `npm i -E node-llama-cpp@3.21.1`, and everyone else never downloads it. The types below are
 * written here, structurally, so the project typechecks without the package.
 */
import { ProviderError } from '../../core/errors.ts';

/** The node-llama-cpp release the provider is written and tested against. */
export const engineVersion = '3.21.1';

/** The command that installs the engine. */
export const engineInstallCommand = `npm i -E node-llama-cpp@${engineVersion}`;

/** A token id. */
export type EngineToken = number & { readonly __token?: unique symbol };

/** Sampling options of one evaluation (node-llama-cpp's SequenceEvaluateOptions, the part we use). */
export interface EngineEvaluateOptions {
  temperature?: number;
  topP?: number;
  seed?: number;
}

/** A sequence of a context: its own KV cache cells, decoded in the same batches as the others. */
export interface EngineSequence {
  readonly contextTokens: EngineToken[];
  compareContextTokens(tokens: EngineToken[]): { firstDifferentIndex: number };
  eraseContextTokenRanges(ranges: Array<{ start: number; end: number }>): Promise<void>;
  evaluate(tokens: EngineToken[], options?: EngineEvaluateOptions): AsyncGenerator<EngineToken, void, void | EngineToken | EngineToken[]>;
  evaluateWithoutGeneratingNewTokens(tokens: EngineToken[]): Promise<void>;
  /** Writes the sequence's state (KV cells and tokens) to a file (llama_state_seq_save_file). */
  saveStateToFile(filePath: string): Promise<{ fileSize: number }>;
  /** Replaces the sequence's state with a file's (llama_state_seq_load_file); the file must come from the same model. */
  loadStateFromFile(filePath: string, acceptRisk: { acceptRisk: true }): Promise<void>;
  clearHistory(): Promise<void>;
  dispose(): void;
}

/** A context: `sequences` parallel sequences of `contextSize` tokens each. */
export interface EngineContext {
  readonly contextSize: number;
  getSequence(): EngineSequence;
  dispose(): Promise<void>;
}

/** Chat history items as node-llama-cpp's chat wrappers take them. */
export type EngineChatItem = { type: 'system'; text: string } | { type: 'user'; text: string } | { type: 'model'; response: string[] };

/** Rich text with special tokens (node-llama-cpp's LlamaText). */
export interface EngineText {
  tokenize(tokenizer: unknown): EngineToken[];
}

/** A chat wrapper: renders chat history into the model's prompt format. */
export interface EngineChatWrapper {
  generateContextState(options: { chatHistory: EngineChatItem[] }): { contextText: EngineText };
}

/** A loaded model. */
export interface EngineModel {
  readonly tokenizer: unknown;
  readonly trainContextSize: number;
  readonly fileInfo: { metadata: { general?: { architecture?: string; name?: string } }; architectureMetadata?: unknown };
  readonly tokens: { readonly bos: EngineToken | null; readonly shouldPrependBosToken: boolean };
  tokenize(text: string, specialTokens?: boolean): EngineToken[];
  detokenize(tokens: readonly EngineToken[], specialTokens?: boolean): string;
  isEogToken(token: EngineToken | undefined): boolean;
  createContext(options: { sequences: number; contextSize?: number | { max: number }; threads?: number; batchSize?: number }): Promise<EngineContext>;
  dispose(): Promise<void>;
}

/** The engine runtime (node-llama-cpp's Llama). */
export interface EngineRuntime {
  readonly gpu: string | false;
  loadModel(options: { modelPath: string; gpuLayers?: 'auto' | 'max' | number }): Promise<EngineModel>;
  dispose(): Promise<void>;
}

/** The module surface the provider uses. */
export interface EngineModule {
  getLlama(options: {
    gpu?: 'auto' | false;
    build?: 'never';
    logLevel?: 'error' | 'warn' | 'info' | 'debug' | 'disabled';
    logger?: (level: string, message: string) => void;
    maxThreads?: number;
  }): Promise<EngineRuntime>;
  resolveChatWrapper(model: EngineModel, options?: { customWrapperSettings?: unknown }): EngineChatWrapper | null;
  JinjaTemplateChatWrapper: new (options: { template: string }) => EngineChatWrapper;
  GgufArchitectureType: Record<string, string>;
  readGgufFileInfo(path: string, options?: { readTensorInfo?: boolean; logWarnings?: boolean }): Promise<{ metadata: { general?: { architecture?: string } } }>;
  InsufficientMemoryError: new (...args: never[]) => Error;
}

/** Imports a module by name (default: dynamic `import()`); replaceable in tests. */
export type ModuleImporter = (name: string) => Promise<unknown>;

const requiredExports = ['getLlama', 'resolveChatWrapper', 'JinjaTemplateChatWrapper', 'GgufArchitectureType', 'readGgufFileInfo', 'InsufficientMemoryError'] as const;

/** The engine is not installed (or not the tested version): a coded error with the install command. */
export function engineMissingError(cause: unknown): ProviderError {
  return new ProviderError('LLAMA_CPP_NOT_INSTALLED', 'provider llama-cpp needs the node-llama-cpp package, which is not installed', {
    hint: `Install it in the project folder with \`${engineInstallCommand}\` (about 730 MB with its GPU builds); other providers do not need it.`,
    retryable: false,
    cause,
  });
}

/**
 * Loads node-llama-cpp on demand. Throws LLAMA_CPP_NOT_INSTALLED when it is absent or lacks what
 * the provider uses.
 */
export async function loadEngineModule(importer: ModuleImporter = (name) => import(name)): Promise<EngineModule> {
  let loaded: unknown;
  try {
    loaded = await importer('node-llama-cpp');
  } catch (error) {
    throw engineMissingError(error);
  }
  const missing = requiredExports.filter((name) => typeof loaded !== 'object' || loaded === null || !(name in loaded));
  if (missing.length > 0) throw engineMissingError(new Error(`node-llama-cpp lacks ${missing.join(', ')}`));
  return loaded as EngineModule;
}
