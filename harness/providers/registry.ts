/**
 * Builds the provider of a `models:` entry, and lists the endpoints its samples spread over.
 */
import { ConfigError } from '../core/errors.ts';
import type { ModelConfig } from '../config/model-schema.ts';
import type { Provider } from './types.ts';
import { createHuggingFaceProvider, huggingFaceRouterUrl } from './huggingface.ts';
import { createOllamaProvider } from './ollama.ts';
import { createOpenAIProvider } from './openai.ts';
import { createSimProvider } from './sim/sim-provider.ts';
import { createLlamaCppProvider, llamaCppEndpoint } from './llama-cpp.ts';
import { isHubModelRef } from '../models/model-ref.ts';
import { pullModel } from '../models/pull-model.ts';
import { describeDownload } from '../models/download-progress.ts';

/** What every provider may get from outside: the API key (read from the environment by the caller) and fetch. */
export interface ProviderDependencies {
  /** API key or token for providers that need one; never logged. */
  apiKey?: string;
  /** fetch used for every call (default: the global fetch). */
  fetch?: typeof fetch;
  /** Hub cache folder where `llama-cpp` models given as `hf:` references are pulled. */
  hubCacheDir?: string;
  /** Notable events (model download progress), as plain text lines. */
  onEvent?: (message: string) => void;
}

/**
 * The provider of one model entry.
 */
export function createProvider(model: ModelConfig, deps: ProviderDependencies = {}): Provider {
  const fetchOnly = deps.fetch === undefined ? {} : { fetch: deps.fetch };
  const withKey = deps.apiKey === undefined ? fetchOnly : { ...fetchOnly, apiKey: deps.apiKey };
  switch (model.provider) {
    case 'sim':
      return createSimProvider(model);
    case 'ollama':
      return createOllamaProvider(model, fetchOnly);
    case 'openai':
      return createOpenAIProvider(model, withKey);
    case 'huggingface':
      return createHuggingFaceProvider(model, withKey);
    case 'llama-cpp':
      return createLlamaCppProvider(model, {
        resolveModelPath: async (modelPath, signal) => {
          if (!isHubModelRef(modelPath)) return modelPath;
          if (deps.hubCacheDir === undefined) throw new ConfigError('HUB_CACHE_UNSET', `model ${model.id}: no Hub cache folder to pull ${modelPath} into`, { hint: 'Run through the CLI (it uses HF_HUB_CACHE, HF_HOME or ~/.cache/huggingface/hub), or pass hubCacheDir.' });
          const onEvent = deps.onEvent;
          return pullModel(modelPath, {
            cacheDir: deps.hubCacheDir,
            endpoint: model.hubUrl,
            token: deps.apiKey,
            fetch: deps.fetch,
            signal,
            ...(onEvent === undefined ? {} : { onProgress: describeDownload((line) => onEvent(line)) }),
          });
        },
      });
  }
}

/**
 * The endpoints (base URLs) a model's samples spread over: `['sim']` for simulated models, the
 * configured `endpoints` for ollama and openai, and for huggingface the Inference Endpoint URL or
 * the router.
 */
export function modelEndpoints(model: ModelConfig): string[] {
  switch (model.provider) {
    case 'sim':
      return ['sim'];
    case 'ollama':
    case 'openai':
      return [...model.endpoints];
    case 'huggingface':
      return [model.endpointUrl ?? model.routerUrl ?? huggingFaceRouterUrl];
    case 'llama-cpp':
      return [llamaCppEndpoint(model)];
  }
}
