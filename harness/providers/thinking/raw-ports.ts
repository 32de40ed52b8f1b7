/**
 * Raw text-completion ports for budget forcing, over the official clients: OpenAI-compatible
 * `/v1/completions` (vLLM, SGLang, llama.cpp server, TGI) and Ollama `/api/generate` in raw mode.
 * A port sends the prompt verbatim and reports the server's own token counts. Client errors
 * propagate unchanged: the provider that owns the client maps them to ProviderErrors.
 */
import type { Ollama } from 'ollama';
import type OpenAI from 'openai';
import { ProviderError } from '../../core/errors.ts';
import type { FinishReason } from '../../core/types.ts';
import type { RawComplete, RawCompleteOutput } from './budget-forcing.ts';
import { settleOrAbort } from '../../core/abort.ts';
import { estimateTokens } from '../usage-shared.ts';

/** Sampling settings every call of a port shares. */
export interface RawPortSampling {
  /** Sampling temperature (default: the server's). */
  temperature?: number;
  /** Nucleus sampling (default: the server's). */
  topP?: number;
}

/** Options of openaiCompletionsPort. */
export interface OpenAICompletionsPortOptions extends RawPortSampling {
  /** Extra JSON fields sent with every request (server-specific knobs, e.g. `{ top_k: 20 }`). */
  extraBody?: Record<string, unknown>;
  /**
   * vLLM's `skip_special_tokens` (sent only when set). Set false for families whose delimiters are
   * special tokens (gpt-oss `<|end|>`, s1 `<|im_start|>`): vLLM drops special tokens from the text
   * by default, so the end-of-thinking stop string would never match.
   */
  skipSpecialTokens?: boolean;
}

/** Options of ollamaGeneratePort. */
export interface OllamaGeneratePortOptions extends RawPortSampling {
  /** How long Ollama keeps the model loaded, e.g. `10m`. */
  keepAlive?: string;
}

function finishReasonOf(reason: string | null | undefined): FinishReason {
  if (reason === 'length') return 'length';
  if (reason === 'stop') return 'stop';
  return 'unknown';
}

/**
 * A port over OpenAI-compatible `/v1/completions` with the official `openai` client: `max_tokens`,
 * `stop`, `seed` per call, the call's AbortSignal passed to the client. Usage comes from the
 * response; a server that sends none gets a characters/4 estimate, marked as such.
 */
export function openaiCompletionsPort(client: OpenAI, model: string, options: OpenAICompletionsPortOptions = {}): RawComplete {
  return async (input) => {
    const body: OpenAI.CompletionCreateParamsNonStreaming = {
      ...(options.extraBody ?? {}),
      model,
      prompt: input.prompt,
      max_tokens: input.maxTokens,
      seed: input.seed,
      stream: false,
    };
    if (input.stop.length > 0) body.stop = input.stop;
    if (options.temperature !== undefined) body.temperature = options.temperature;
    if (options.topP !== undefined) body.top_p = options.topP;
    const request: OpenAI.CompletionCreateParamsNonStreaming & { skip_special_tokens?: boolean } =
      options.skipSpecialTokens === undefined ? body : { ...body, skip_special_tokens: options.skipSpecialTokens };
    const response = await client.completions.create(request, { signal: input.signal });
    const choice = response.choices[0];
    if (choice === undefined || typeof choice.text !== 'string') {
      throw new ProviderError('THINKING_BAD_RESPONSE', `the server answered /completions for "${model}" without a text choice`, {
        retryable: true,
        hint: 'Check that the endpoint is an OpenAI-compatible server with the legacy /v1/completions route.',
      });
    }
    const output: RawCompleteOutput = {
      text: choice.text,
      completionTokens: response.usage?.completion_tokens ?? estimateTokens(choice.text),
      promptTokens: response.usage?.prompt_tokens ?? estimateTokens(input.prompt),
      finishReason: finishReasonOf(choice.finish_reason),
    };
    if (response.usage === undefined) output.usageEstimated = true;
    return output;
  };
}

/** An Ollama client, or a factory that builds one per call around the call's AbortSignal. */
export type OllamaClientSource = Ollama | ((signal: AbortSignal) => Ollama);


/**
 * A port over Ollama `/api/generate` with `raw: true` (no server template: the prompt is already
 * templated) through the official `ollama` client: `num_predict`, `stop`, `seed` per call. It
 * streams (NDJSON) because ollama-js can cancel only streamed requests: the call's AbortSignal
 * aborts the stream. ollama-js passes no signal while it waits for the response headers, so give
 * a factory `(signal) => new Ollama({ host, fetch })` whose fetch honours the signal to cancel
 * that wait too; with a plain client the call returns at once on abort and the request is left
 * to finish in the background. Counts come from the final chunk (`prompt_eval_count`,
 * `eval_count`); Ollama leaves `prompt_eval_count` out when the whole prompt came from its cache,
 * then it is estimated (characters / 4) and marked.
 */
export function ollamaGeneratePort(client: OllamaClientSource, model: string, options: OllamaGeneratePortOptions = {}): RawComplete {
  return async (input) => {
    input.signal.throwIfAborted();
    const generateOptions: { num_predict: number; seed: number; stop?: string[]; temperature?: number; top_p?: number } = {
      num_predict: input.maxTokens,
      seed: input.seed,
    };
    if (input.stop.length > 0) generateOptions.stop = input.stop;
    if (options.temperature !== undefined) generateOptions.temperature = options.temperature;
    if (options.topP !== undefined) generateOptions.top_p = options.topP;
    const ollama = typeof client === 'function' ? client(input.signal) : client;
    const pending = ollama.generate({
      model,
      prompt: input.prompt,
      raw: true,
      stream: true,
      options: generateOptions,
      ...(options.keepAlive === undefined ? {} : { keep_alive: options.keepAlive }),
    });
    // A stream that opens after the caller gave up is closed at once.
    pending.then((late) => (input.signal.aborted ? late.abort() : undefined), () => undefined);
    const stream = await settleOrAbort(pending, input.signal);
    const abort = (): void => stream.abort();
    input.signal.addEventListener('abort', abort, { once: true });
    if (input.signal.aborted) stream.abort();
    let text = '';
    let doneReason: string | undefined;
    let evalCount: number | undefined;
    let promptEvalCount: number | undefined;
    try {
      for await (const chunk of stream) {
        text += chunk.response ?? '';
        if (chunk.done) {
          doneReason = chunk.done_reason;
          evalCount = typeof chunk.eval_count === 'number' ? chunk.eval_count : undefined;
          promptEvalCount = typeof chunk.prompt_eval_count === 'number' ? chunk.prompt_eval_count : undefined;
        }
      }
    } catch (error) {
      if (input.signal.aborted) throw input.signal.reason;
      throw error;
    } finally {
      input.signal.removeEventListener('abort', abort);
    }
    if (input.signal.aborted) throw input.signal.reason;
    if (doneReason === undefined) {
      throw new ProviderError('THINKING_STREAM_TRUNCATED', `Ollama's /api/generate stream for "${model}" ended without its final chunk`, {
        retryable: true,
        hint: 'The connection was cut mid-answer; the request is retried.',
      });
    }
    const output: RawCompleteOutput = {
      text,
      completionTokens: evalCount ?? estimateTokens(text),
      promptTokens: promptEvalCount ?? estimateTokens(input.prompt),
      finishReason: finishReasonOf(doneReason),
    };
    if (evalCount === undefined || promptEvalCount === undefined) output.usageEstimated = true;
    return output;
  };
}
