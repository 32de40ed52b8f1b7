/**
 * OpenAI-compatible provider (vLLM, SGLang, llama.cpp server, TGI, OpenAI), through the official
 * `openai` client: /chat/completions or /completions, JSON or SSE, with `n` per request.
 *
 * n-batching: a request for m samples sends `n: m` and the first sample's seed (one prefill for m
 * samples; a server that honours seeds then derives the m samples from that one seed). When the
 * server sends back fewer than m choices it ignores `n` (or refuses it with a 400, as llama.cpp's
 * server does): the endpoint is remembered and the missing samples, and every later request to it,
 * go as single requests, each with its own seed.
 *
 * Usage: `prompt_tokens` is the request's prompt, shared by its samples. Servers report the total
 * `completion_tokens` of all n choices; it is split over the choices exactly when each choice
 * carries its own token ids (vLLM's `return_token_ids`), else in proportion to each choice's text
 * length, so the parts add up to the server's total and the samples are marked `estimated`.
 */
import { budgetForcedCompletion } from './thinking/budget-forced-completion.ts';
import { chooseThinkingStrategy, nativeThinkingParams, recordThinkingBudget } from './thinking/native.ts';
import { openaiCompletionsPort } from './thinking/raw-ports.ts';
import { createNodeFetch } from './openai-node-fetch.ts';
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { z } from 'zod';
import { ProviderError } from '../core/errors.ts';
import type { Usage } from '../core/types.ts';
import type { ModelConfig } from '../config/model-schema.ts';
import type { ChatMessage, Completion, GenerateRequest, GenerateResult, Provider } from './types.ts';
import {
  errorFromNetwork,
  errorFromStatus,
  malformedResponse,
  parseRetryAfterMs,
  safeEndpoint,
  truncatedResponse,
  type ErrorContext,
} from './errors-shared.ts';
import { estimateTokens, mapFinishReason, splitProportionally } from './usage-shared.ts';

/** Settings of an `openai` model entry (the resolved config). */
export type OpenAIModelConfig = Extract<ModelConfig, { provider: 'openai' }>;

/** What the OpenAI-compatible provider needs from outside. */
export interface OpenAIProviderDependencies {
  /** API key (read from the environment by the caller; never logged). Servers without auth need none. */
  apiKey?: string;
  /** fetch used for every call (default: `createNodeFetch()`, node:http with keep-alive, falling back to the global fetch). */
  fetch?: typeof fetch;
  /** Monotonic clock for latency, milliseconds (default: performance.now). */
  now?: () => number;
}

/** Placeholder key for servers without authentication (the client insists on one). */
const noApiKey = 'no-key';

const usageSchema = z.object({
  prompt_tokens: z.number().int().nonnegative(),
  completion_tokens: z.number().int().nonnegative(),
  completion_tokens_details: z.object({ reasoning_tokens: z.number().int().nonnegative().nullish() }).nullish(),
});

const choiceSchema = z.object({
  index: z.number().int().nonnegative(),
  finish_reason: z.string().nullish(),
  /** /chat/completions */
  message: z
    .object({
      content: z.string().nullish(),
      /** vLLM, SGLang, DeepSeek */
      reasoning_content: z.string().nullish(),
      /** OpenRouter, newer vLLM */
      reasoning: z.string().nullish(),
    })
    .optional(),
  /** /completions */
  text: z.string().optional(),
  /** vLLM with `return_token_ids`: the generated token ids of this choice. */
  token_ids: z.array(z.number()).nullish(),
});

const responseSchema = z.object({
  model: z.string().optional(),
  choices: z.array(choiceSchema),
  usage: usageSchema.nullish(),
});

const chunkSchema = z.object({
  model: z.string().optional(),
  choices: z
    .array(
      z.object({
        index: z.number().int().nonnegative(),
        finish_reason: z.string().nullish(),
        delta: z.object({ content: z.string().nullish(), reasoning_content: z.string().nullish(), reasoning: z.string().nullish() }).optional(),
        text: z.string().optional(),
        token_ids: z.array(z.number()).nullish(),
      }),
    )
    .default([]),
  usage: usageSchema.nullish(),
});

type WireResponse = z.infer<typeof responseSchema>;
type WireChoice = z.infer<typeof choiceSchema>;

/** Joins chat messages into one prompt for /completions. */
function messagesToText(messages: ReadonlyArray<ChatMessage>): string {
  return messages.map((message) => message.content).join('\n\n');
}

/** Per-choice usage from a response's totals (see the file comment for how totals are split). */
function usagePerChoice(response: WireResponse, choices: ReadonlyArray<WireChoice>, promptText: string): Usage[] {
  const texts = choices.map((choice) => ({
    answer: choice.message?.content ?? choice.text ?? '',
    thinking: choice.message?.reasoning_content ?? choice.message?.reasoning ?? '',
  }));
  const usage = response.usage;
  if (usage === undefined || usage === null) {
    return texts.map(({ answer, thinking }) => ({
      promptTokens: estimateTokens(promptText),
      completionTokens: estimateTokens(answer) + estimateTokens(thinking),
      thinkingTokens: estimateTokens(thinking),
      estimated: true,
    }));
  }
  const exactPerChoice = choices.every((choice) => Array.isArray(choice.token_ids));
  let estimated = !exactPerChoice && choices.length > 1;
  const completion = exactPerChoice
    ? choices.map((choice) => choice.token_ids?.length ?? 0)
    : splitProportionally(
        usage.completion_tokens,
        texts.map(({ answer, thinking }) => estimateTokens(answer) + estimateTokens(thinking)),
      );
  const reasoningTotal = usage.completion_tokens_details?.reasoning_tokens ?? undefined;
  let thinkingParts: number[];
  if (reasoningTotal !== undefined && (choices.length === 1 || reasoningTotal === 0)) {
    thinkingParts = choices.map(() => reasoningTotal);
  } else if (reasoningTotal !== undefined) {
    thinkingParts = splitProportionally(reasoningTotal, texts.map(({ thinking }) => estimateTokens(thinking)));
    estimated = true;
  } else {
    thinkingParts = texts.map(({ answer, thinking }, index) => {
      if (thinking.length === 0) return 0;
      estimated = true;
      return splitProportionally(completion[index] ?? 0, [estimateTokens(thinking), estimateTokens(answer)])[0] ?? 0;
    });
  }
  return choices.map((_, index) => {
    const completionTokens = completion[index] ?? 0;
    const thinkingTokens = Math.min(thinkingParts[index] ?? 0, completionTokens);
    const one: Usage = { promptTokens: usage.prompt_tokens, completionTokens, thinkingTokens };
    return estimated ? { ...one, estimated: true } : one;
  });
}

/** A completion of one wire choice. */
function completionOf(choice: WireChoice, usage: Usage): Completion {
  const thinking = choice.message?.reasoning_content ?? choice.message?.reasoning ?? '';
  return {
    text: choice.message?.content ?? choice.text ?? '',
    ...(thinking.length > 0 ? { thinking } : {}),
    usage,
    finishReason: mapFinishReason(choice.finish_reason),
  };
}

/** Whether a 400 message says the server does not take several choices per request. */
function refusesN(message: string): boolean {
  return /only one completion choice|\bn\b[^.]*(must be|should be|not supported|unsupported|only)|multiple (choices|completions)/i.test(message);
}

/** Turns what the `openai` client threw into a ProviderError (or rethrows the abort). */
function mapOpenAIError(error: unknown, signal: AbortSignal, context: ErrorContext): never {
  if (signal.aborted) throw signal.reason;
  if (error instanceof ProviderError) throw error;
  if (error instanceof APIUserAbortError) throw error;
  if (error instanceof APIConnectionTimeoutError) {
    throw new ProviderError('TIMEOUT', `openai ${safeEndpoint(context.endpoint)}: the connection timed out`, {
      retryable: true,
      endpoint: safeEndpoint(context.endpoint),
      cause: error,
    });
  }
  if (error instanceof APIConnectionError) {
    throw errorFromNetwork(error.cause ?? error, context) ?? errorFromNetwork(new TypeError('fetch failed', { cause: error }), context) ?? error;
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    const body: unknown = error.error;
    let serverMessage: string | undefined;
    if (typeof body === 'object' && body !== null && 'message' in body && typeof body.message === 'string') serverMessage = body.message;
    else if (typeof body === 'string') serverMessage = body;
    else serverMessage = error.message.replace(/^\d{3}\s*/, '');
    throw errorFromStatus(error.status, serverMessage, parseRetryAfterMs(error.headers), context, error);
  }
  const network = errorFromNetwork(error, context);
  if (network !== undefined) throw network;
  throw error;
}

/**
 * Builds the OpenAI-compatible provider for one model entry. `maxSamplesPerRequest` is the entry's
 * `samplesPerRequest`; the client never retries (`maxRetries: 0`) and logs nothing.
 */
export function createOpenAIProvider(model: OpenAIModelConfig, deps: OpenAIProviderDependencies = {}): Provider {
  const now = deps.now ?? (() => performance.now());
  const clients = new Map<string, OpenAI>();
  // One connection pool per provider; idle keep-alive sockets do not hold the process open.
  const fetchImpl = deps.fetch ?? createNodeFetch().fetch;
  /** Endpoints seen ignoring `n`: later requests to them go one sample at a time. */
  const ignoresN = new Set<string>();
  const secrets = deps.apiKey === undefined ? [] : [deps.apiKey];

  function clientFor(endpoint: string): OpenAI {
    let client = clients.get(endpoint);
    if (client === undefined) {
      client = new OpenAI({
        baseURL: endpoint,
        apiKey: deps.apiKey ?? noApiKey,
        organization: null,
        project: null,
        webhookSecret: null,
        maxRetries: 0,
        // The retry layer owns timeouts through the signal; this only bounds a forgotten signal.
        timeout: 24 * 60 * 60 * 1000,
        logLevel: 'off',
        fetch: fetchImpl,
      });
      clients.set(endpoint, client);
    }
    return client;
  }

  function context(endpoint: string): ErrorContext {
    return { provider: 'openai', model: model.model, endpoint, apiKeyEnv: model.apiKeyEnv, secrets };
  }

  function body(request: GenerateRequest, n: number, seed: number, thinkingFields: Record<string, unknown> = {}): Record<string, unknown> {
    const prompt =
      model.api === 'chat'
        ? { messages: request.prompt.kind === 'chat' ? request.prompt.messages : [{ role: 'user', content: request.prompt.text }] }
        : { prompt: request.prompt.kind === 'text' ? request.prompt.text : messagesToText(request.prompt.messages) };
    return {
      ...model.extraBody,
      model: model.model,
      ...prompt,
      temperature: request.temperature,
      [model.maxTokensField]: request.maxTokens,
      seed,
      ...(n > 1 ? { n } : {}),
      ...(request.topP === undefined ? {} : { top_p: request.topP }),
      ...(request.stop === undefined ? {} : { stop: request.stop }),
      ...(model.stream ? { stream: true, stream_options: { include_usage: true } } : {}),
      ...thinkingFields,
    };
  }

  /** Reads an SSE stream into the shape of a non-streaming response. */
  async function collectStream(stream: AsyncIterable<unknown>, n: number, endpoint: string): Promise<WireResponse> {
    const choices = new Map<number, { content: string; reasoning: string; finish: string | undefined; tokenIds: number[] | undefined }>();
    let modelName: string | undefined;
    let usage: WireResponse['usage'];
    for await (const raw of stream) {
      const chunk = chunkSchema.safeParse(raw);
      if (!chunk.success) throw malformedResponse('unexpected stream chunk', context(endpoint));
      modelName ??= chunk.data.model;
      if (chunk.data.usage !== undefined && chunk.data.usage !== null) usage = chunk.data.usage;
      for (const delta of chunk.data.choices) {
        const state = choices.get(delta.index) ?? { content: '', reasoning: '', finish: undefined, tokenIds: undefined };
        state.content += delta.delta?.content ?? delta.text ?? '';
        state.reasoning += delta.delta?.reasoning_content ?? delta.delta?.reasoning ?? '';
        if (delta.token_ids !== undefined && delta.token_ids !== null) state.tokenIds = [...(state.tokenIds ?? []), ...delta.token_ids];
        if (delta.finish_reason !== undefined && delta.finish_reason !== null) state.finish = delta.finish_reason;
        choices.set(delta.index, state);
      }
    }
    const list = [...choices.entries()].sort(([a], [b]) => a - b);
    const unfinished = list.filter(([, state]) => state.finish === undefined).length;
    if (list.length === 0) throw truncatedResponse('the stream ended before any choice arrived', context(endpoint));
    if (unfinished > 0) throw truncatedResponse(`the stream ended with ${unfinished} of ${list.length} choices unfinished`, context(endpoint));
    return {
      ...(modelName === undefined ? {} : { model: modelName }),
      usage,
      choices: list.map(([index, state]) => ({
        index,
        finish_reason: state.finish,
        ...(model.api === 'chat' ? { message: { content: state.content, reasoning_content: state.reasoning } } : { text: state.content }),
        ...(state.tokenIds === undefined ? {} : { token_ids: state.tokenIds }),
      })),
    };
  }

  async function call(request: GenerateRequest, n: number, seed: number, thinkingFields?: Record<string, unknown>): Promise<WireResponse> {
    const client = clientFor(request.endpoint);
    const payload = body(request, n, seed, thinkingFields);
    let raw: unknown;
    try {
      // extraBody is free-form JSON by design: the client forwards it unchanged.
      if (model.api === 'chat') {
        raw = await client.chat.completions.create(payload as unknown as OpenAI.ChatCompletionCreateParams, { signal: request.signal });
      } else {
        raw = await client.completions.create(payload as unknown as OpenAI.CompletionCreateParams, { signal: request.signal });
      }
      if (model.stream) {
        if (typeof raw !== 'object' || raw === null || !(Symbol.asyncIterator in raw)) throw malformedResponse('expected an event stream', context(request.endpoint));
        return await collectStream(raw as AsyncIterable<unknown>, n, request.endpoint);
      }
    } catch (error) {
      mapOpenAIError(error, request.signal, context(request.endpoint));
    }
    if (typeof raw === 'string') throw malformedResponse(`expected JSON, got text: ${raw.slice(0, 80)}`, context(request.endpoint));
    const parsed = responseSchema.safeParse(raw);
    if (!parsed.success) throw malformedResponse(`unexpected shape (${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? 'invalid'})`, context(request.endpoint));
    return parsed.data;
  }

  function toCompletions(response: WireResponse, request: GenerateRequest, limit: number): Completion[] {
    const choices = [...response.choices].sort((a, b) => a.index - b.index).slice(0, limit);
    const promptText = request.prompt.kind === 'chat' ? messagesToText(request.prompt.messages) : request.prompt.text;
    const usages = usagePerChoice({ ...response, choices }, choices, promptText);
    return choices.map((choice, index) => completionOf(choice, usages[index] ?? { promptTokens: 0, completionTokens: 0, thinkingTokens: 0, estimated: true }));
  }

  /** s1 budget forcing over /v1/completions, one sample per seed (continuations cannot share n). */
  async function generateBudgetForced(request: GenerateRequest, started: number): Promise<GenerateResult> {
    const port = openaiCompletionsPort(clientFor(request.endpoint), model.model, {
      temperature: request.temperature,
      ...(request.topP === undefined ? {} : { topP: request.topP }),
      ...(model.extraBody === undefined ? {} : { extraBody: model.extraBody }),
    });
    const completions: Completion[] = [];
    for (const seed of request.seeds) {
      try {
        completions.push(
          await budgetForcedCompletion(port, {
            prompt: request.prompt,
            modelName: model.model,
            budget: request.thinkingBudget,
            answerMaxTokens: model.thinking?.answerMaxTokens ?? request.maxTokens,
            seed,
            signal: request.signal,
            ...(request.stop === undefined ? {} : { stop: request.stop }),
            ...(model.thinking === undefined ? {} : { settings: model.thinking }),
          }),
        );
      } catch (error) {
        mapOpenAIError(error, request.signal, context(request.endpoint));
      }
    }
    return { completions, latencyMs: now() - started };
  }

  return {
    kind: 'openai',
    maxSamplesPerRequest: model.samplesPerRequest,
    simulated: false,
    async generate(original: GenerateRequest): Promise<GenerateResult> {
      const started = now();
      const budget = original.thinkingBudget;
      const strategy = chooseThinkingStrategy(model, budget);
      if (strategy === 'budget-forcing') return generateBudgetForced(original, started);
      const native =
        strategy === 'native-vllm' || strategy === 'reasoning-effort'
          ? nativeThinkingParams(strategy, budget, {
              answerMaxTokens: original.maxTokens,
              ...(model.thinking?.effortThresholds === undefined ? {} : { effortThresholds: model.thinking.effortThresholds }),
            })
          : undefined;
      const request = native ? { ...original, maxTokens: native.maxTokens } : original;
      const thinkingFields = native?.fields;
      const wanted = request.seeds.length;
      const completions: Completion[] = [];
      let modelName: string | undefined;
      const firstSeed = request.seeds[0];
      if (firstSeed === undefined) return { completions, latencyMs: 0 };
      if (wanted > 1 && !ignoresN.has(request.endpoint)) {
        let response: WireResponse | undefined;
        try {
          response = await call(request, wanted, firstSeed, thinkingFields);
        } catch (error) {
          // llama.cpp's server and some hosted models refuse n > 1 with a 400: go one by one.
          if (!(error instanceof ProviderError && error.code === 'BAD_REQUEST' && refusesN(error.message))) throw error;
          ignoresN.add(request.endpoint);
        }
        if (response !== undefined) {
          if (response.choices.length === 0) throw malformedResponse('no choices in the response', context(request.endpoint));
          modelName = response.model;
          completions.push(...toCompletions(response, request, wanted));
          // Fewer choices than asked: this server ignores (or caps) `n`; the rest go one by one.
          if (completions.length < wanted) ignoresN.add(request.endpoint);
        }
      }
      for (const seed of request.seeds.slice(completions.length)) {
        const response = await call(request, 1, seed, thinkingFields);
        if (response.choices.length === 0) throw malformedResponse('no choices in the response', context(request.endpoint));
        modelName ??= response.model;
        completions.push(...toCompletions(response, request, 1));
      }
      for (const completion of completions) recordThinkingBudget(completion, budget, strategy);
      const latencyMs = now() - started;
      return modelName === undefined ? { completions, latencyMs } : { completions, modelName, latencyMs };
    },
    async check(endpoint: string, signal: AbortSignal): Promise<void> {
      try {
        const list = await clientFor(endpoint).models.list({ signal });
        const names = list.data.map((entry) => entry.id);
        if (names.length > 0 && !names.includes(model.model)) {
          throw new ProviderError('MODEL_NOT_FOUND', `model ${model.model} is not served by ${safeEndpoint(endpoint)} (it serves: ${names.slice(0, 10).join(', ')})`, {
            retryable: false,
            endpoint: safeEndpoint(endpoint),
            hint: 'Set `model:` to one of the names the server lists, or start the server with this model.',
          });
        }
      } catch (error) {
        if (error instanceof ProviderError) throw error;
        try {
          mapOpenAIError(error, signal, context(endpoint));
        } catch (mapped) {
          // Some servers have no /models route: only a missing route is not a failed check.
          if (mapped instanceof ProviderError && mapped.status === 404) return;
          if (mapped instanceof ProviderError && mapped.retryable) {
            throw new ProviderError(mapped.code, mapped.message, {
              retryable: false,
              endpoint: safeEndpoint(endpoint),
              hint: mapped.hint ?? `Check that the server at ${safeEndpoint(endpoint)} is running.`,
              cause: mapped,
            });
          }
          throw mapped;
        }
      }
    },
  };
}
