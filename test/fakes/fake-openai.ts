/**
 * A fake OpenAI-compatible server (vLLM-like) on 127.0.0.1: POST /v1/chat/completions and
 * /v1/completions (JSON, or SSE with `stream: true` and usage when `stream_options.include_usage`),
 * GET /v1/models; `n` choices, seeds, thinking fields, and the faults of `FakeServerOptions`.
 * Response shapes follow the recorded OpenAI / vLLM wire format.
 */
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import {
  applyCommonFault,
  applyStop,
  authorized,
  delay,
  generate,
  limitTokens,
  numberField,
  promptText,
  record,
  sendJson,
  sendPlainStatus,
  sendTruncatedJson,
  startFakeServer,
  countWords,
  type FakeFault,
  type FakeRequest,
  type FakeServer,
  type FakeServerOptions,
} from './fake-http.ts';

/** Options of the fake OpenAI-compatible server (on top of the common ones). */
export interface FakeOpenAIOptions extends FakeServerOptions {
  /** Answer every request with one choice whatever `n` asks (llama.cpp-server-like). */
  ignoreN?: boolean;
  /** Refuse `n` > 1 with a 400 "Only one completion choice is allowed" (llama.cpp-server-like). */
  rejectN?: boolean;
  /** Answer at most this many choices (a server capping `n`). */
  maxN?: number;
  /** Put thinking text in this message field (default `reasoning_content`, vLLM's spelling); thinking happens when `think` is true. */
  reasoningField?: 'reasoning_content' | 'reasoning';
  /** Produce thinking text for every request (a reasoning model). Default false. */
  think?: boolean;
  /** Add per-choice `token_ids` (vLLM's `return_token_ids`). Default false. */
  tokenIds?: boolean;
  /** Include `usage` in answers. Default true. */
  usage?: boolean;
  /** Report `completion_tokens_details.reasoning_tokens`. Default false. */
  reasoningTokens?: boolean;
  /** Model name to report (default: the requested one). */
  reportedModel?: string;
}

/** The OpenAI error body shape. */
function errorBody(message: string, status: number): unknown {
  const type = status === 401 ? 'authentication_error' : status === 429 ? 'rate_limit_error' : status >= 500 ? 'server_error' : 'invalid_request_error';
  return { error: { message, type, param: null, code: status === 404 ? 'model_not_found' : null } };
}

/** Writes an OpenAI-style error answer for a `status` fault. */
function sendStatusFault(response: ServerResponse, fault: Extract<FakeFault, { kind: 'status' }>): void {
  const headers: Record<string, string> = fault.retryAfter === undefined ? {} : { 'retry-after': fault.retryAfter };
  sendJson(response, fault.status, errorBody(fault.message ?? `fake failure ${fault.status}`, fault.status), headers);
}

interface BuiltChoice {
  index: number;
  text: string;
  thinking: string;
  tokens: number;
  finishReason: 'stop' | 'length';
}

/**
 * Answers a chat or text completion request the OpenAI way. Shared with the Hugging Face fake
 * (the router and TGI speak the same protocol). Returns true when handled.
 */
export async function answerCompletion(
  options: FakeOpenAIOptions,
  kind: 'chat' | 'completions',
  context: { request: FakeRequest; response: ServerResponse; socket: Socket; takeFault(): FakeFault | undefined },
): Promise<boolean> {
  const { request, response, socket } = context;
  const fault = context.takeFault();
  if (!authorized(options, request)) {
    sendJson(response, 401, errorBody('Incorrect API key provided.', 401));
    return true;
  }
  if (fault !== undefined) {
    if (fault.kind === 'status') {
      if (sendPlainStatus(fault, response)) return true;
      sendStatusFault(response, fault);
      return true;
    }
    if (applyCommonFault(fault, response, socket)) return true;
  }
  const body = record(request.body);
  const model = typeof body.model === 'string' ? body.model : '';
  if (options.models !== undefined && !options.models.includes(model)) {
    sendJson(response, 404, errorBody(`The model \`${model}\` does not exist or you do not have access to it.`, 404));
    return true;
  }
  await delay(options.latencyMs);
  const asked = Math.max(1, numberField(body.n) ?? 1);
  if (options.rejectN === true && asked > 1) {
    sendJson(response, 400, errorBody('Only one completion choice is allowed', 400));
    return true;
  }
  const n = options.ignoreN === true ? 1 : Math.min(asked, options.maxN ?? asked);
  const maxTokens = numberField(body.max_tokens) ?? numberField(body.max_completion_tokens);
  const prompt = promptText(body);
  const seed = numberField(body.seed);
  const think = options.think === true;
  const choices: BuiltChoice[] = [];
  for (let index = 0; index < n; index += 1) {
    const limited = limitTokens(applyStop(generate(options, { model, prompt, seed, choice: index, think }), body.stop), maxTokens);
    choices.push({ index, text: limited.text, thinking: limited.thinking, tokens: limited.tokens, finishReason: limited.cut ? 'length' : 'stop' });
  }
  const promptTokens = countWords(prompt);
  const completionTokens = choices.reduce((sum, choice) => sum + choice.tokens, 0);
  const reasoningTotal = choices.reduce((sum, choice) => sum + countWords(choice.thinking), 0);
  const usage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    ...(options.reasoningTokens === true ? { completion_tokens_details: { reasoning_tokens: reasoningTotal } } : {}),
  };
  const reasoningField = options.reasoningField ?? 'reasoning_content';
  const reportedModel = options.reportedModel ?? model;
  const created = 1_700_000_000;
  const id = `cmpl-fake-${request.path.length}-${seed ?? 0}`;
  const wireChoice = (choice: BuiltChoice): Record<string, unknown> => ({
    index: choice.index,
    ...(kind === 'chat'
      ? { message: { role: 'assistant', content: choice.text, ...(choice.thinking.length > 0 ? { [reasoningField]: choice.thinking } : {}) } }
      : { text: choice.text }),
    logprobs: null,
    finish_reason: choice.finishReason,
    ...(options.tokenIds === true ? { token_ids: Array.from({ length: choice.tokens }, (_, position) => position) } : {}),
  });

  if (body.stream === true) {
    const includeUsage = record(body.stream_options).include_usage === true && options.usage !== false;
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const object = kind === 'chat' ? 'chat.completion.chunk' : 'text_completion';
    const send = (payload: unknown): void => {
      response.write(`data: ${JSON.stringify(payload)}\n\n`);
    };
    const chunk = (choicesPart: unknown[], extra: Record<string, unknown> = {}): void =>
      send({ id, object, created, model: reportedModel, choices: choicesPart, ...extra });
    const truncated = fault?.kind === 'truncated';
    for (const choice of choices) {
      const words = choice.text.split(' ');
      const half = Math.ceil(words.length / 2);
      const pieces = [words.slice(0, half).join(' '), words.length > half ? ` ${words.slice(half).join(' ')}` : ''];
      if (kind === 'chat') {
        chunk([{ index: choice.index, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }]);
        if (choice.thinking.length > 0) chunk([{ index: choice.index, delta: { [reasoningField]: choice.thinking }, logprobs: null, finish_reason: null }]);
        chunk([{ index: choice.index, delta: { content: pieces[0] }, logprobs: null, finish_reason: null }]);
        if (truncated) break;
        chunk([{ index: choice.index, delta: { content: pieces[1] }, logprobs: null, finish_reason: choice.finishReason }]);
      } else {
        chunk([{ index: choice.index, text: pieces[0], logprobs: null, finish_reason: null }]);
        if (truncated) break;
        chunk([{ index: choice.index, text: pieces[1], logprobs: null, finish_reason: choice.finishReason }]);
      }
    }
    if (truncated) {
      // The stream stops mid-answer: no finish_reason, no usage, no [DONE].
      response.end();
      return true;
    }
    if (includeUsage) chunk([], { usage });
    response.write('data: [DONE]\n\n');
    response.end();
    return true;
  }

  const answer = {
    id,
    object: kind === 'chat' ? 'chat.completion' : 'text_completion',
    created,
    model: reportedModel,
    system_fingerprint: 'fp_fake',
    choices: choices.map(wireChoice),
    ...(options.usage === false ? {} : { usage }),
  };
  if (fault?.kind === 'truncated') {
    sendTruncatedJson(response, socket, answer);
    return true;
  }
  sendJson(response, 200, answer);
  return true;
}

/**
 * Starts the fake OpenAI-compatible server. `url` is its base URL ending in `/v1`, ready for a
 * config's `endpoints:`.
 */
export function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeServer> {
  return startFakeServer(
    options,
    async (context) => {
      const path = context.request.path.split('?')[0];
      if (context.request.method === 'POST' && path === '/v1/chat/completions') return answerCompletion(options, 'chat', context);
      if (context.request.method === 'POST' && path === '/v1/completions') return answerCompletion(options, 'completions', context);
      if (context.request.method === 'GET' && path === '/v1/models') {
        if (!authorized(options, context.request)) {
          sendJson(context.response, 401, errorBody('Incorrect API key provided.', 401));
          return true;
        }
        // Without a `models` list the fake serves every name, so it lists none (checks then pass).
        const names = options.models ?? [];
        sendJson(context.response, 200, { object: 'list', data: names.map((name) => ({ id: name, object: 'model', created: 1_700_000_000, owned_by: 'fake' })) });
        return true;
      }
      return false;
    },
    '/v1',
  );
}
