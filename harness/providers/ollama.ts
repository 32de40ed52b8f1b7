/**
 * Ollama provider, through the official `ollama` client: /api/chat or /api/generate, non-streaming.
 * Ollama has no `n`: one request per sample, each with its own `options.seed`.
 */
import { Ollama } from 'ollama';
import { budgetForcedCompletion } from './thinking/budget-forced-completion.ts';
import { chooseThinkingStrategy, nativeThinkingParams, recordThinkingBudget } from './thinking/native.ts';
import { generateOnePerSeed } from './one-request-per-seed.ts';
import { ollamaGeneratePort } from './thinking/raw-ports.ts';
import { z } from 'zod';
import { ProviderError } from '../core/errors.ts';
import type { ModelConfig } from '../config/model-schema.ts';
import type { ChatMessage, Completion, GenerateRequest, GenerateResult, Provider } from './types.ts';
import { errorFromNetwork, errorFromStatus, malformedResponse, parseRetryAfterMs, safeEndpoint, type ErrorContext } from './errors-shared.ts';
import { mapFinishReason, usageOfAnswer } from './usage-shared.ts';

/** Settings of an `ollama` model entry (the resolved config). */
export type OllamaModelConfig = Extract<ModelConfig, { provider: 'ollama' }>;

/** What the Ollama provider needs from outside. */
export interface OllamaProviderDependencies {
  /** fetch used for every call (default: the global fetch). */
  fetch?: typeof fetch;
  /** Monotonic clock for latency, milliseconds (default: performance.now). */
  now?: () => number;
}

/** The fields of /api/chat and /api/generate responses we read, in Ollama's spelling. */
const ollamaResponseSchema = z.object({
  model: z.string().optional(),
  message: z.object({ content: z.string(), thinking: z.string().optional() }).optional(),
  response: z.string().optional(),
  thinking: z.string().optional(),
  done: z.boolean().optional(),
  done_reason: z.string().optional(),
  prompt_eval_count: z.number().int().nonnegative().optional(),
  eval_count: z.number().int().nonnegative().optional(),
});

/** What one wrapped fetch saw of the last response, for Retry-After and the status. */
interface ResponseCapture {
  headers?: Headers;
}

/**
 * A fetch for one call: adds the call's AbortSignal (ollama-js does not pass one for non-streaming
 * requests) and turns non-JSON error bodies into JSON, because ollama-js prints to the console when
 * an error body is not JSON.
 */
function callFetch(baseFetch: typeof fetch, signal: AbortSignal, capture: ResponseCapture): typeof fetch {
  return async (input, init) => {
    const merged = init?.signal ? AbortSignal.any([init.signal, signal]) : signal;
    const response = await baseFetch(input, { ...init, signal: merged });
    capture.headers = response.headers;
    if (response.ok || (response.headers.get('content-type') ?? '').includes('application/json')) return response;
    const text = await response.text();
    const headers = new Headers(response.headers);
    headers.set('content-type', 'application/json');
    headers.delete('content-length');
    return new Response(JSON.stringify({ error: text || response.statusText }), { status: response.status, statusText: response.statusText, headers });
  };
}

/** Ollama's error class is not exported: recognise it by shape. */
function ollamaStatus(error: unknown): { status: number; message: string } | undefined {
  if (error instanceof Error && error.name === 'ResponseError' && 'status_code' in error && typeof error.status_code === 'number') {
    return { status: error.status_code, message: error.message };
  }
  return undefined;
}

/** Turns what the call threw into a ProviderError (or rethrows the abort). */
function mapOllamaError(error: unknown, signal: AbortSignal, capture: ResponseCapture, context: ErrorContext): never {
  if (signal.aborted) throw signal.reason;
  if (error instanceof ProviderError) throw error;
  const status = ollamaStatus(error);
  if (status !== undefined) throw errorFromStatus(status.status, status.message, parseRetryAfterMs(capture.headers), context, error);
  const network = errorFromNetwork(error, context);
  if (network !== undefined) throw network;
  if (error instanceof Error && /did not receive done|missing body/i.test(error.message)) {
    throw malformedResponse(error.message, context, error);
  }
  throw error;
}

/** Splits chat messages into Ollama's generate fields: system prompt and the rest as one prompt. */
function messagesToPrompt(messages: ReadonlyArray<ChatMessage>): { system?: string; prompt: string } {
  const system = messages.filter((message) => message.role === 'system').map((message) => message.content);
  const prompt = messages
    .filter((message) => message.role !== 'system')
    .map((message) => message.content)
    .join('\n\n');
  return system.length === 0 ? { prompt } : { system: system.join('\n\n'), prompt };
}

/**
 * Builds the Ollama provider for one model entry. One request per sample (`maxSamplesPerRequest`
 * 1); `think` comes from the model entry, or is switched on when the request has a thinking budget.
 * A 404 becomes a non-retryable MODEL_NOT_FOUND whose hint says to run `ollama pull`.
 */
export function createOllamaProvider(model: OllamaModelConfig, deps: OllamaProviderDependencies = {}): Provider {
  const baseFetch = deps.fetch ?? fetch;
  const now = deps.now ?? (() => performance.now());

  function context(endpoint: string): ErrorContext {
    return {
      provider: 'ollama',
      model: model.model,
      endpoint,
      notFoundHint: `Run \`ollama pull ${model.model}\` on ${safeEndpoint(endpoint)}, or fix the model tag in the config.`,
    };
  }

  async function generateOne(request: GenerateRequest, seed: number): Promise<{ completion: Completion; modelName?: string }> {
    const capture: ResponseCapture = {};
    const client = new Ollama({ host: request.endpoint, fetch: callFetch(baseFetch, request.signal, capture) });
    const budget = request.thinkingBudget;
    const strategy = chooseThinkingStrategy(model, budget);
    if (strategy === 'budget-forcing') {
      // s1 budget forcing over /api/generate in raw mode: the only exact token budget on Ollama.
      const port = ollamaGeneratePort((signal) => new Ollama({ host: request.endpoint, fetch: callFetch(baseFetch, signal, capture) }), model.model, {
        temperature: request.temperature,
        ...(request.topP === undefined ? {} : { topP: request.topP }),
        ...(model.keepAlive === undefined ? {} : { keepAlive: model.keepAlive }),
      });
      try {
        const completion = await budgetForcedCompletion(port, {
          prompt: request.prompt,
          modelName: model.model,
          budget,
          answerMaxTokens: model.thinking?.answerMaxTokens ?? request.maxTokens,
          seed,
          signal: request.signal,
          ...(request.stop === undefined ? {} : { stop: request.stop }),
          ...(model.thinking === undefined ? {} : { settings: model.thinking }),
        });
        return { completion };
      } catch (error) {
        mapOllamaError(error, request.signal, capture, context(request.endpoint));
      }
    }
    const native =
      strategy === 'ollama-think'
        ? nativeThinkingParams('ollama-think', budget, {
            answerMaxTokens: request.maxTokens,
            ...(typeof model.think === 'string' ? { ollamaLevels: true } : {}),
            ...(model.thinking?.effortThresholds === undefined ? {} : { effortThresholds: model.thinking.effortThresholds }),
          })
        : undefined;
    const think = native ? (native.fields.think as boolean | 'low' | 'medium' | 'high') : model.think;
    const options = {
      temperature: request.temperature,
      seed,
      num_predict: native?.maxTokens ?? request.maxTokens,
      ...(request.topP === undefined ? {} : { top_p: request.topP }),
      ...(request.stop === undefined ? {} : { stop: request.stop }),
    };
    const common = {
      model: model.model,
      stream: false as const,
      options,
      ...(think === undefined ? {} : { think }),
      ...(model.keepAlive === undefined ? {} : { keep_alive: model.keepAlive }),
    };
    let raw: unknown;
    let promptText: string;
    try {
      if (model.api === 'chat') {
        const messages = request.prompt.kind === 'chat' ? request.prompt.messages : [{ role: 'user' as const, content: request.prompt.text }];
        promptText = messages.map((message) => message.content).join('\n');
        raw = await client.chat({ ...common, messages });
      } else if (request.prompt.kind === 'text') {
        promptText = request.prompt.text;
        // A text prompt is already templated: raw skips Ollama's own template.
        raw = await client.generate({ ...common, prompt: request.prompt.text, raw: true });
      } else {
        const fields = messagesToPrompt(request.prompt.messages);
        promptText = `${fields.system ?? ''}\n${fields.prompt}`;
        raw = await client.generate({ ...common, ...fields });
      }
    } catch (error) {
      mapOllamaError(error, request.signal, capture, context(request.endpoint));
    }
    const parsed = ollamaResponseSchema.safeParse(raw);
    if (!parsed.success) throw malformedResponse(`unexpected shape (${parsed.error.issues[0]?.message ?? 'invalid'})`, context(request.endpoint));
    const response = parsed.data;
    const answer = model.api === 'chat' ? response.message?.content : response.response;
    if (answer === undefined) throw malformedResponse(model.api === 'chat' ? 'no `message` in /api/chat response' : 'no `response` in /api/generate response', context(request.endpoint));
    const thinking = (model.api === 'chat' ? response.message?.thinking : response.thinking) ?? '';
    const completion: Completion = {
      text: answer,
      ...(thinking.length > 0 ? { thinking } : {}),
      // Ollama leaves out `prompt_eval_count` when the whole prompt came from its cache: then it is estimated.
      usage: usageOfAnswer({ promptTokens: response.prompt_eval_count, completionTokens: response.eval_count }, answer, thinking, promptText),
      finishReason: mapFinishReason(response.done_reason),
    };
    // Ollama's `think` is on/off or a level, not a token budget: record what was realised.
    recordThinkingBudget(completion, budget, strategy);
    return response.model === undefined ? { completion } : { completion, modelName: response.model };
  }

  return {
    kind: 'ollama',
    maxSamplesPerRequest: 1,
    simulated: false,
    generate(request: GenerateRequest): Promise<GenerateResult> {
      // Ollama has no `n`: should the scheduler ask for several samples anyway, they go one by one.
      return generateOnePerSeed(request, generateOne, now);
    },
    async check(endpoint: string, signal: AbortSignal): Promise<void> {
      const capture: ResponseCapture = {};
      const client = new Ollama({ host: endpoint, fetch: callFetch(baseFetch, signal, capture) });
      try {
        await client.show({ model: model.model });
      } catch (error) {
        try {
          mapOllamaError(error, signal, capture, context(endpoint));
        } catch (mapped) {
          if (mapped instanceof ProviderError && mapped.retryable) {
            throw new ProviderError(mapped.code, mapped.message, {
              retryable: false,
              endpoint: safeEndpoint(endpoint),
              ...(mapped.status === undefined ? {} : { status: mapped.status }),
              hint: mapped.hint ?? `Check that Ollama is running at ${safeEndpoint(endpoint)} (\`ollama serve\`).`,
              cause: mapped,
            });
          }
          throw mapped;
        }
      }
    },
  };
}
