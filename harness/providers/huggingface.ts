/**
 * Hugging Face provider: Inference Providers (through the router) and Inference Endpoints, with
 * `InferenceClient.chatCompletion` from `@huggingface/inference`. One request per sample, each with
 * its own seed; the client's own unbounded retry on 503 is switched off (`retry_on_error: false`).
 */
import {
  InferenceClient,
  InferenceClientHubApiError,
  InferenceClientInputError,
  InferenceClientProviderApiError,
  InferenceClientProviderOutputError,
  InferenceClientRoutingError,
  PROVIDERS_OR_POLICIES,
  type InferenceProviderOrPolicy,
} from '@huggingface/inference';
import { z } from 'zod';
import { ProviderError } from '../core/errors.ts';
import { generateOnePerSeed } from './one-request-per-seed.ts';
import type { ModelConfig } from '../config/model-schema.ts';
import type { Completion, GenerateRequest, GenerateResult, Provider } from './types.ts';
import { errorFromNetwork, errorFromStatus, malformedResponse, parseRetryAfterMs, safeEndpoint, serverMessageOf, type ErrorContext } from './errors-shared.ts';
import { mapFinishReason, usageOfAnswer } from './usage-shared.ts';

/** Settings of a `huggingface` model entry (the resolved config). */
export type HuggingFaceModelConfig = Extract<ModelConfig, { provider: 'huggingface' }>;

/** What the Hugging Face provider needs from outside. */
export interface HuggingFaceProviderDependencies {
  /** Hugging Face token (`hf_…`), read from the environment by the caller; never logged. */
  apiKey?: string;
  /** fetch used for every call (default: the global fetch). */
  fetch?: typeof fetch;
  /** Monotonic clock for latency, milliseconds (default: performance.now). */
  now?: () => number;
}

/** The router the client calls for Inference Providers. */
export const huggingFaceRouterUrl = 'https://router.huggingface.co';
/** The Hub API the client asks which provider serves a model. */
const huggingFaceHubUrl = 'https://huggingface.co';

const responseSchema = z.object({
  model: z.string().optional(),
  choices: z
    .array(
      z.object({
        index: z.number().int().nonnegative().optional(),
        finish_reason: z.string().nullish(),
        message: z.object({ content: z.string().nullish(), reasoning_content: z.string().nullish(), reasoning: z.string().nullish() }),
      }),
    )
    .min(1),
  usage: z.object({ prompt_tokens: z.number().int().nonnegative(), completion_tokens: z.number().int().nonnegative() }).nullish(),
});

/** What one wrapped fetch saw of the last response, for Retry-After. */
interface ResponseCapture {
  headers?: Headers;
}

/**
 * A fetch for one call: points the router and Hub at configured base URLs, keeps the response
 * headers, and gives the Hub lookup (which the client sends without a signal) the call's signal.
 */
function callFetch(
  baseFetch: typeof fetch,
  routerUrl: string | undefined,
  hubUrl: string | undefined,
  signal: AbortSignal,
  capture: ResponseCapture,
): typeof fetch {
  return async (input, init) => {
    let url = typeof input === 'string' ? input : input instanceof URL ? input.toString() : input.url;
    if (routerUrl !== undefined && url.startsWith(huggingFaceRouterUrl)) url = routerUrl.replace(/\/$/, '') + url.slice(huggingFaceRouterUrl.length);
    else if (hubUrl !== undefined && url.startsWith(`${huggingFaceHubUrl}/`)) url = hubUrl.replace(/\/$/, '') + url.slice(huggingFaceHubUrl.length);
    const response = await baseFetch(url, init?.signal ? init : { ...init, signal });
    capture.headers = response.headers;
    return response;
  };
}

/**
 * Turns what `@huggingface/inference` threw into a ProviderError (or rethrows the abort): HTTP
 * errors by status with the Retry-After of `headers` (the failed response's), broken answers as
 * malformed, requests the client refused to send (bad input, no route) as INVALID_REQUEST with
 * `inputHint`, network failures as retryable. Shared with the Hugging Face reward scorer.
 */
export function mapInferenceClientError(error: unknown, signal: AbortSignal, headers: Headers | undefined, context: ErrorContext, inputHint?: string): never {
  if (signal.aborted) throw signal.reason;
  if (error instanceof ProviderError) throw error;
  if (error instanceof InferenceClientProviderApiError || error instanceof InferenceClientHubApiError) {
    throw errorFromStatus(error.httpResponse.status, serverMessageOf(error.httpResponse.body) ?? error.message, parseRetryAfterMs(headers), context, error);
  }
  if (error instanceof InferenceClientProviderOutputError) throw malformedResponse(error.message, context, error);
  if (error instanceof InferenceClientInputError || error instanceof InferenceClientRoutingError) {
    throw new ProviderError('INVALID_REQUEST', `${context.provider}: ${error.message}`, {
      retryable: false,
      endpoint: safeEndpoint(context.endpoint),
      ...(inputHint === undefined ? {} : { hint: inputHint }),
      cause: error,
    });
  }
  const network = errorFromNetwork(error, context);
  if (network !== undefined) throw network;
  throw error;
}

/**
 * Builds the Hugging Face provider for one model entry: chat completion through the router with
 * `inferenceProvider`, or through an Inference Endpoint when `endpointUrl` is set.
 */
export function createHuggingFaceProvider(model: HuggingFaceModelConfig, deps: HuggingFaceProviderDependencies = {}): Provider {
  const baseFetch = deps.fetch ?? fetch;
  const now = deps.now ?? (() => performance.now());
  const client = new InferenceClient(deps.apiKey ?? '');
  const secrets = deps.apiKey === undefined ? [] : [deps.apiKey];
  const inferenceProvider = (PROVIDERS_OR_POLICIES as ReadonlyArray<string>).includes(model.inferenceProvider)
    ? (model.inferenceProvider as InferenceProviderOrPolicy)
    : undefined;

  function context(endpoint: string): ErrorContext {
    return {
      provider: 'huggingface',
      model: model.model,
      endpoint,
      apiKeyEnv: model.apiKeyEnv,
      secrets,
      notFoundHint:
        model.endpointUrl === undefined
          ? `Check the model id on the Hub and that ${model.inferenceProvider} serves it (hf.co/${model.model}, "Inference Providers").`
          : `Check that the Inference Endpoint ${safeEndpoint(model.endpointUrl)} is running and serves ${model.model}.`,
    };
  }

  async function generateOne(request: GenerateRequest, seed: number): Promise<{ completion: Completion; modelName?: string }> {
    if (inferenceProvider === undefined && model.endpointUrl === undefined) {
      throw new ProviderError('INVALID_REQUEST', `huggingface: unknown inference provider "${model.inferenceProvider}"`, {
        retryable: false,
        hint: `Use one of: ${PROVIDERS_OR_POLICIES.join(', ')}.`,
      });
    }
    const capture: ResponseCapture = {};
    const messages = request.prompt.kind === 'chat' ? request.prompt.messages : [{ role: 'user' as const, content: request.prompt.text }];
    let raw: unknown;
    try {
      raw = await client.chatCompletion(
        {
          model: model.model,
          ...(model.endpointUrl !== undefined ? { endpointUrl: model.endpointUrl } : inferenceProvider === undefined ? {} : { provider: inferenceProvider }),
          messages: messages.map((message) => ({ role: message.role, content: message.content })),
          temperature: request.temperature,
          max_tokens: request.maxTokens,
          seed,
          ...(request.topP === undefined ? {} : { top_p: request.topP }),
          ...(request.stop === undefined ? {} : { stop: request.stop }),
        },
        { fetch: callFetch(baseFetch, model.routerUrl, model.hubUrl, request.signal, capture), signal: request.signal, retry_on_error: false },
      );
    } catch (error) {
      mapInferenceClientError(
        error,
        request.signal,
        capture.headers,
        context(request.endpoint),
        `The router needs a Hugging Face token (hf_…) in ${model.apiKeyEnv}; also check \`inferenceProvider\` and \`endpointUrl\` in the config.`,
      );
    }
    const parsed = responseSchema.safeParse(raw);
    if (!parsed.success) throw malformedResponse(`unexpected shape (${parsed.error.issues[0]?.message ?? 'invalid'})`, context(request.endpoint));
    const response = parsed.data;
    const choice = response.choices[0];
    const text = choice?.message.content ?? '';
    const thinking = choice?.message.reasoning_content ?? choice?.message.reasoning ?? '';
    const promptText = messages.map((message) => message.content).join('\n');
    const completion: Completion = {
      text,
      ...(thinking.length > 0 ? { thinking } : {}),
      usage: usageOfAnswer({ promptTokens: response.usage?.prompt_tokens, completionTokens: response.usage?.completion_tokens }, text, thinking, promptText),
      finishReason: mapFinishReason(choice?.finish_reason),
    };
    return response.model === undefined ? { completion } : { completion, modelName: response.model };
  }

  return {
    kind: 'huggingface',
    maxSamplesPerRequest: 1,
    simulated: false,
    generate(request: GenerateRequest): Promise<GenerateResult> {
      return generateOnePerSeed(request, generateOne, now);
    },
  };
}
