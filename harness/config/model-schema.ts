/**
 * Config schema of `models:` entries, one object per provider. Every object is strict: a misspelt
 * key is an error that names it and suggests the right one.
 */
import { z } from 'zod';
import { thinkingConfigSchema } from '../providers/thinking/thinking-config.ts';

/** Fields every model entry has, whatever its provider. */
const commonModelFields = {
  /** Label used in reports and cell ids. */
  id: z.string().min(1).regex(/^[A-Za-z0-9._:@/-]+$/, 'use letters, digits and . _ : @ / - only'),
  /** Parameter count, for FLOPs; known models are looked up, this overrides. */
  params: z.number().positive().optional(),
  /** Transformer layers, for the FLOPs context term. */
  layers: z.number().int().positive().optional(),
  /** Hidden size (d_model), for the FLOPs context term. */
  dModel: z.number().int().positive().optional(),
  /** Architecture table entry to use for FLOPs (e.g. `llama-3-8b`). */
  architecture: z.string().optional(),
  /** Price per million input (prompt) tokens, US dollars. */
  priceInputPerMTok: z.number().nonnegative().optional(),
  /** Price per million output (completion) tokens, US dollars. */
  priceOutputPerMTok: z.number().nonnegative().optional(),
  /** Concurrent requests per endpoint for this model (default: the run's `concurrency`). */
  concurrency: z.number().int().positive().optional(),
};

export const simModelSchema = z
  .object({
    ...commonModelFields,
    provider: z.literal('sim'),
    /** Simulation profile (see `scaling-bench datasets list` / README), e.g. `llama-3-8b-instruct-math`. */
    profile: z.string().min(1),
    /** Simulated latency per request in milliseconds (default 0). */
    latencyMs: z.number().nonnegative().optional(),
  })
  .strict();

const endpointList = z.array(z.string().url()).min(1);

export const ollamaModelSchema = z
  .object({
    ...commonModelFields,
    provider: z.literal('ollama'),
    /** Thinking budgets: strategy (budget forcing, native knobs) and budget-forcing settings. */
    thinking: thinkingConfigSchema.optional(),
    /** Ollama model tag, e.g. `llama3:8b-instruct-q4_K_M`. */
    model: z.string().min(1),
    /** Ollama servers; samples spread across the healthy ones. */
    endpoints: endpointList.default(['http://127.0.0.1:11434']),
    /** `chat` (/api/chat) or `generate` (/api/generate). */
    api: z.enum(['chat', 'generate']).default('chat'),
    /** Ollama's `think` for reasoning models: on/off or a level. */
    think: z.union([z.boolean(), z.enum(['low', 'medium', 'high'])]).optional(),
    /** How long Ollama keeps the model loaded, e.g. `10m`. */
    keepAlive: z.string().optional(),
  })
  .strict();

export const openaiModelSchema = z
  .object({
    ...commonModelFields,
    provider: z.literal('openai'),
    /** Thinking budgets: strategy (budget forcing, native knobs) and budget-forcing settings. */
    thinking: thinkingConfigSchema.optional(),
    /** Model name the server knows. */
    model: z.string().min(1),
    /** Base URLs (…/v1) of OpenAI-compatible servers. */
    endpoints: endpointList.default(['https://api.openai.com/v1']),
    /** `chat` (/chat/completions) or `completions` (/completions). */
    api: z.enum(['chat', 'completions']).default('chat'),
    /** Samples asked for per request with `n` (one prefill serves them all); 1 = no n-batching. */
    samplesPerRequest: z.number().int().positive().default(1),
    /** Environment variable holding the API key (never the key itself). */
    apiKeyEnv: z.string().default('OPENAI_API_KEY'),
    /** Extra JSON fields sent with every request (server-specific knobs). */
    extraBody: z.record(z.string(), z.unknown()).optional(),
    /** Name of the token-limit field: `max_tokens` (vLLM, SGLang, llama.cpp, TGI) or `max_completion_tokens` (OpenAI reasoning models). */
    maxTokensField: z.enum(['max_tokens', 'max_completion_tokens']).default('max_tokens'),
    /** Stream responses as server-sent events (default false: one JSON response per request). */
    stream: z.boolean().default(false),
  })
  .strict();

export const huggingfaceModelSchema = z
  .object({
    ...commonModelFields,
    provider: z.literal('huggingface'),
    /** Thinking budgets: strategy (budget forcing, native knobs) and budget-forcing settings. */
    thinking: thinkingConfigSchema.optional(),
    /** Hub model id, e.g. `meta-llama/Llama-3.1-8B-Instruct`. */
    model: z.string().min(1),
    /** Inference Provider to route through (`auto`, `together`, `fireworks-ai`, ...). */
    inferenceProvider: z.string().default('auto'),
    /** Inference Endpoint URL; when set, requests go there instead of the router. */
    endpointUrl: z.string().url().optional(),
    /** Environment variable holding the token. */
    apiKeyEnv: z.string().default('HF_TOKEN'),
    /** Base URL of the Inference Providers router (default `https://router.huggingface.co`): a proxy or a test server. */
    routerUrl: z.string().url().optional(),
    /** Base URL of the Hub API used to look up which provider serves a model (default `https://huggingface.co`). */
    hubUrl: z.string().url().optional(),
  })
  .strict();

export const llamaCppModelSchema = z
  .object({
    ...commonModelFields,
    provider: z.literal('llama-cpp'),
    /** Thinking budgets: budget forcing on the engine, and its settings. */
    thinking: thinkingConfigSchema.optional(),
    /** The GGUF file: a path, or a Hub reference `hf:<owner>/<repo>/<file>.gguf` (optionally `@<revision>`), downloaded on first use. */
    modelPath: z.string().min(1),
    /** Layers offloaded to the GPU: `auto` (default: as many as fit, CPU when no GPU build works), `max`, or a count (0 = CPU only). */
    gpuLayers: z.union([z.literal('auto'), z.literal('max'), z.number().int().nonnegative()]).default('auto'),
    /** Context size per sequence, tokens (default: prompt + maxTokens fitted by the engine, up to the model's trained size). */
    contextSize: z.number().int().positive().optional(),
    /** CPU threads for evaluation (default: the engine's choice, all cores). */
    threads: z.number().int().positive().optional(),
    /** Sequences decoded at once (the engine's slots; default 4). */
    parallel: z.number().int().positive().default(4),
    /** Jinja chat template overriding the GGUF's `tokenizer.chat_template`. */
    chatTemplate: z.string().min(1).optional(),
    /** Environment variable holding the Hub token for gated `hf:` models (never the token itself). */
    apiKeyEnv: z.string().default('HF_TOKEN'),
    /** Hub base URL for `hf:` models (default `https://huggingface.co`): a mirror or a test server. */
    hubUrl: z.string().url().optional(),
  })
  .strict();

/** A `models:` entry. */
export const modelSchema = z.discriminatedUnion('provider', [
  simModelSchema,
  ollamaModelSchema,
  openaiModelSchema,
  huggingfaceModelSchema,
  llamaCppModelSchema,
]);

export type ModelConfig = z.output<typeof modelSchema>;
export type ModelConfigInput = z.input<typeof modelSchema>;
export const providerKinds = ['sim', 'ollama', 'openai', 'huggingface', 'llama-cpp'] as const;
