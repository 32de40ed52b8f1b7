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

/** What every provider may get from outside: the API key (read from the environment by the caller) and fetch. */
export interface ProviderDependencies {
  /** API key or token for providers that need one; never logged. */
  apiKey?: string;
  /** fetch used for every call (default: the global fetch). */
  fetch?: typeof fetch;
}

/**
 * The provider of one model entry. Throws a ConfigError for `llama-cpp`, which is not available yet.
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
      throw new ConfigError('PROVIDER_UNAVAILABLE', `model ${model.id}: provider "llama-cpp" is not available yet`, {
        hint: 'Use provider ollama, openai (e.g. llama.cpp\'s own server: `llama-server -m model.gguf`, then provider openai) or sim.',
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
      return [model.modelPath];
  }
}
