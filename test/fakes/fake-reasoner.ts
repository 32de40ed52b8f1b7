/**
 * A fake reasoning model server on 127.0.0.1 that speaks both the Ollama (`/api/generate`, raw and
 * templated, `/api/chat`; NDJSON streams and single JSON answers) and the OpenAI-compatible
 * (`/v1/completions`, `/v1/chat/completions`) wire protocols.
 *
 * The model thinks in `<think>…</think>` for a length drawn per request (seeded by the request's
 * seed and the prompt before the thinking), then answers `The answer is \boxed{…}`: right with a
 * probability that rises with the thinking words it spent, `floor + (ceiling − floor)·(1 − e^(−t/scale))`,
 * decided by one uniform draw per (seed, problem), so more thinking never turns a right answer
 * wrong. The gold comes from a `[gold:…]` tag in the prompt, or from `gold(prompt)`.
 *
 * Tokens are whitespace-separated words: the prompt's words are its prompt tokens, each generated
 * word (a thinking word, `<think>`, `</think>`, an answer word) is one completion token. Limits are
 * exact: `max_tokens`/`num_predict` cut after that many words (`length`); a stop string ends the
 * text before it (`stop`; the word that completed it counts as generated, as on real servers).
 *
 * Raw prompts are continued from where they end: inside an open `<think>` block the model thinks
 * on (to its drawn length; after a `Wait` it thinks a fresh drawn extension), after `</think>` it
 * answers; so budget forcing and "Wait" behave as with a real model.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createRandom, hashSeed } from '../../harness/core/random.ts';

/** Settings of the fake reasoner; every field has a default. */
export interface FakeReasonerOptions {
  /** Shortest drawn thinking, words (default 64). */
  minThinkingWords?: number;
  /** Longest drawn thinking, words (default 2048); lengths are log-uniform in between. */
  maxThinkingWords?: number;
  /** Shortest extra thinking after a `Wait`, words (default 32). */
  minWaitWords?: number;
  /** Longest extra thinking after a `Wait`, words (default 256). */
  maxWaitWords?: number;
  /** Probability of a right answer without thinking (default 0.1). */
  accuracyFloor?: number;
  /** Probability of a right answer after very long thinking (default 0.9). */
  accuracyCeiling?: number;
  /** Thinking words over which accuracy closes 63% of the gap floor → ceiling (default 256). */
  accuracyScaleWords?: number;
  /** The word that makes the model think on (default `Wait`); not counted as thinking. */
  waitWord?: string;
  /** Gold answer of a prompt when it has no `[gold:…]` tag. */
  gold?: (prompt: string) => string | undefined;
  /** Ignore native thinking knobs (`thinking_token_budget`, `reasoning_effort`, Ollama `think` levels). Default false. */
  ignoreBudgets?: boolean;
  /** Ignore `max_tokens`/`max_completion_tokens`/`num_predict` (a broken server). Default false. */
  ignoreMaxTokens?: boolean;
  /** Leave `completion_tokens_details.reasoning_tokens` out of OpenAI chat usage (as older vLLM does). Default false. */
  omitReasoningTokens?: boolean;
  /** Model name reported back when the request has none (default `fake-reasoner`). */
  modelName?: string;
}

/** One request the fake received. */
export interface FakeReasonerRequest {
  /** Request path, e.g. `/v1/completions`. */
  path: string;
  /** Parsed JSON body. */
  body: Record<string, unknown>;
}

/** A running fake reasoner. */
export interface FakeReasoner {
  /** Base URL, e.g. `http://127.0.0.1:41234` (the OpenAI routes are under `/v1`). */
  url: string;
  /** Every generation request, in arrival order. */
  requests: FakeReasonerRequest[];
  /** Stops the server and drops open connections. */
  close(): Promise<void>;
}

/** A generated continuation after limits were applied. */
export interface FakeContinuation {
  /** Generated text. */
  text: string;
  /** Generated words (completion tokens). */
  tokens: number;
  /** Of them, words inside the thinking block (thinking words and the delimiters). */
  thinkingTokens: number;
  /** Thinking text generated (without delimiters), for APIs that return it apart. */
  thinking: string;
  /** Answer text generated. */
  answer: string;
  /** `length` when cut by the token limit, else `stop`. */
  finishReason: 'stop' | 'length';
}

/** Knobs of one generation, from the request. */
export interface FakeGenerationSettings {
  /** Request seed (0 when none). */
  seed: number;
  /** Token limit (undefined = none). */
  maxTokens: number | undefined;
  /** Stop strings. */
  stop: ReadonlyArray<string>;
  /** Whether the model thinks at all when the prompt has no thinking block yet (default true). */
  think: boolean;
  /** Multiplies the drawn thinking length (reasoning effort / think level). */
  thinkingScale: number;
  /** Hard cap on thinking words, like vLLM's `thinking_token_budget`. */
  thinkingCap: number | undefined;
}

const open = '<think>';
const close = '</think>';
const vocabulary = ['let', 'me', 'check', 'the', 'sum', 'so', 'then', 'compute', 'carefully', 'next', 'term', 'hmm', 'therefore', 'step', 'again', 'consider', 'factor', 'value', 'case', 'maybe'];

/** Words of a text (the fake's tokens). */
export function countFakeTokens(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? 0 : trimmed.split(/\s+/).length;
}

/** One word the fake generates. */
export interface FakeToken {
  /** The word. */
  text: string;
  /** True inside the thinking block (thinking words and the delimiters). */
  thinking: boolean;
  /** What the word is. */
  kind: 'think-word' | 'delimiter' | 'answer';
}

interface Resolved {
  minThinkingWords: number;
  maxThinkingWords: number;
  minWaitWords: number;
  maxWaitWords: number;
  accuracyFloor: number;
  accuracyCeiling: number;
  accuracyScaleWords: number;
  waitWord: string;
  gold: (prompt: string) => string | undefined;
}

function resolve(options: FakeReasonerOptions): Resolved {
  return {
    minThinkingWords: options.minThinkingWords ?? 64,
    maxThinkingWords: options.maxThinkingWords ?? 2048,
    minWaitWords: options.minWaitWords ?? 32,
    maxWaitWords: options.maxWaitWords ?? 256,
    accuracyFloor: options.accuracyFloor ?? 0.1,
    accuracyCeiling: options.accuracyCeiling ?? 0.9,
    accuracyScaleWords: options.accuracyScaleWords ?? 256,
    waitWord: options.waitWord ?? 'Wait',
    gold: options.gold ?? (() => undefined),
  };
}

function uniform(...parts: ReadonlyArray<string | number>): number {
  return createRandom(hashSeed('fake-reasoner', ...parts)).next();
}

/** The probability of a right answer after `words` thinking words. */
export function fakeAccuracy(words: number, options: FakeReasonerOptions = {}): number {
  const settings = resolve(options);
  return settings.accuracyFloor + (settings.accuracyCeiling - settings.accuracyFloor) * (1 - Math.exp(-words / settings.accuracyScaleWords));
}

function answerWords(prompt: string, key: string, seed: number, thinkingWords: number, settings: Resolved, options: FakeReasonerOptions): string[] {
  const gold = /\[gold:([^\]]+)\]/.exec(prompt)?.[1] ?? settings.gold(prompt) ?? '0';
  const right = uniform(seed, key, 'answer') < fakeAccuracy(thinkingWords, options);
  const numeric = Number(gold);
  const wrong = Number.isFinite(numeric) && gold.trim() !== '' ? String(numeric + 1) : `not-${gold}`;
  return ['The', 'answer', 'is', `\\boxed{${right ? gold : wrong}}.`];
}

/**
 * The natural continuation of a prompt (before limits): the words the fake would write until its
 * end of sequence. Exported for tests of the fake itself.
 */
export function naturalContinuation(prompt: string, settings: FakeGenerationSettings, options: FakeReasonerOptions = {}): FakeToken[] {
  const resolved = resolve(options);
  const lastOpen = prompt.lastIndexOf(open);
  const lastClose = prompt.lastIndexOf(close);
  // The problem is what precedes the first thinking block: stable across continuation calls.
  const firstOpen = prompt.indexOf(open);
  const problemKey = (firstOpen !== -1 ? prompt.slice(0, firstOpen) : lastClose !== -1 ? prompt.slice(0, lastClose) : prompt).trimEnd();
  const { seed } = settings;
  const drawLength = (): number => {
    const u = uniform(seed, problemKey, 'length');
    const low = Math.log(resolved.minThinkingWords);
    const high = Math.log(resolved.maxThinkingWords);
    return Math.max(0, Math.round(Math.exp(low + u * (high - low)) * settings.thinkingScale));
  };
  const wordBase = hashSeed('fake-reasoner', seed, problemKey, 'word');
  const thinkWord = (position: number): FakeToken => ({
    text: vocabulary[Math.floor(createRandom(wordBase ^ Math.imul(position + 1, 0x9e3779b1)).next() * vocabulary.length)] ?? 'so',
    thinking: true,
    kind: 'think-word',
  });
  const answer = (thinkingWords: number): FakeToken[] =>
    answerWords(prompt, problemKey, seed, thinkingWords, resolved, options).map((text) => ({ text, thinking: false, kind: 'answer' }));
  const thinkingBlock = (existing: number, target: number): FakeToken[] => {
    const cap = settings.thinkingCap === undefined ? target : Math.min(target, settings.thinkingCap);
    const count = Math.max(0, cap - existing);
    const words = Array.from({ length: count }, (_, index) => thinkWord(existing + index));
    return [...words, { text: close, thinking: true, kind: 'delimiter' }, ...answer(existing + count)];
  };

  if (lastOpen > lastClose) {
    // Inside an open thinking block: think on to the drawn length, or a drawn extension after the last wait.
    const words = prompt.slice(lastOpen + open.length).trim().split(/\s+/).filter((word) => word !== '');
    const thought = words.filter((word) => word !== resolved.waitWord).length;
    const waits = words.length - thought;
    let target = drawLength();
    if (waits > 0) {
      const lastWait = words.lastIndexOf(resolved.waitWord);
      const before = words.slice(0, lastWait).filter((word) => word !== resolved.waitWord).length;
      const u = uniform(seed, problemKey, 'wait', waits);
      target = before + resolved.minWaitWords + Math.floor(u * (resolved.maxWaitWords - resolved.minWaitWords + 1));
    }
    return thinkingBlock(thought, target);
  }
  if (lastClose !== -1) {
    // After the thinking: answer, as well as the thinking it saw allows.
    const block = prompt.slice(lastOpen === -1 ? 0 : lastOpen + open.length, lastClose);
    const thought = block.split(/\s+/).filter((word) => word !== '' && word !== resolved.waitWord).length;
    return answer(lastOpen === -1 ? 0 : thought);
  }
  if (!settings.think) return answer(0);
  return [{ text: open, thinking: true, kind: 'delimiter' }, ...thinkingBlock(0, drawLength())];
}

/** Applies the token limit and stop strings to a continuation of `prompt`, word by word. */
export function applyLimits(prompt: string, tokens: ReadonlyArray<FakeToken>, settings: FakeGenerationSettings): FakeContinuation {
  let text = '';
  let thinking = '';
  let answer = '';
  let count = 0;
  let thinkingTokens = 0;
  let previous: FakeToken | undefined;
  for (const token of tokens) {
    if (settings.maxTokens !== undefined && count >= settings.maxTokens) {
      return { text, tokens: count, thinkingTokens, thinking: thinking.trim(), answer: answer.trim(), finishReason: 'length' };
    }
    const startsFresh = text === '' && (prompt === '' || /\s$/.test(prompt));
    const separator = startsFresh ? '' : previous?.text === close ? '\n\n' : ' ';
    const piece = `${separator}${token.text}`;
    const candidate = text + piece;
    count += 1;
    if (token.thinking) thinkingTokens += 1;
    const stopAt = firstStop(candidate, settings.stop, text.length);
    if (stopAt !== undefined) {
      const kept = candidate.slice(0, stopAt);
      const added = kept.slice(text.length);
      if (token.kind === 'think-word') thinking += added;
      if (token.kind === 'answer') answer += added;
      return { text: kept, tokens: count, thinkingTokens, thinking: thinking.trim(), answer: answer.trim(), finishReason: 'stop' };
    }
    text = candidate;
    if (token.kind === 'think-word') thinking += piece;
    if (token.kind === 'answer') answer += piece;
    previous = token;
  }
  return { text, tokens: count, thinkingTokens, thinking: thinking.trim(), answer: answer.trim(), finishReason: 'stop' };
}

/** The earliest position of a stop string that ends after `from` (so a stop spanning the new word is found). */
function firstStop(text: string, stops: ReadonlyArray<string>, from: number): number | undefined {
  let best: number | undefined;
  for (const stop of stops) {
    if (stop === '') continue;
    const at = text.indexOf(stop, Math.max(0, from - stop.length + 1));
    if (at !== -1 && (best === undefined || at < best)) best = at;
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// HTTP

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function numberField(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function stopField(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}

function messagesText(value: unknown): string {
  if (!Array.isArray(value)) return '';
  return value
    .filter(isRecord)
    .map((message) => (typeof message['content'] === 'string' ? message['content'] : ''))
    .join('\n\n');
}

const effortScale: Record<string, number> = { minimal: 0.1, low: 0.25, medium: 1, high: 2 };

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? {} : (JSON.parse(text) as unknown);
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/** Starts a fake reasoner on 127.0.0.1 (a free port). */
export async function startFakeReasoner(options: FakeReasonerOptions = {}): Promise<FakeReasoner> {
  const requests: FakeReasonerRequest[] = [];
  const sockets = new Set<Socket>();
  const modelOf = (body: Record<string, unknown>): string => (typeof body['model'] === 'string' ? body['model'] : options.modelName ?? 'fake-reasoner');
  const limit = (value: number | undefined): number | undefined => (options.ignoreMaxTokens === true ? undefined : value);

  const generate = (prompt: string, settings: FakeGenerationSettings): FakeContinuation =>
    applyLimits(prompt, naturalContinuation(prompt, settings, options), settings);

  const ollamaThink = (value: unknown): { think: boolean; scale: number } => {
    if (value === false) return { think: false, scale: 1 };
    if (typeof value === 'string') return { think: true, scale: options.ignoreBudgets === true ? 1 : effortScale[value] ?? 1 };
    return { think: true, scale: 1 };
  };

  const handleOllama = (path: string, body: Record<string, unknown>, response: ServerResponse): void => {
    const ollamaOptions = isRecord(body['options']) ? body['options'] : {};
    const seed = numberField(ollamaOptions['seed']) ?? 0;
    const maxTokens = limit(numberField(ollamaOptions['num_predict']));
    const stop = stopField(ollamaOptions['stop']);
    const stream = body['stream'] !== false;
    const chat = path === '/api/chat';
    const raw = !chat && body['raw'] === true;
    const input = chat ? messagesText(body['messages']) : typeof body['prompt'] === 'string' ? body['prompt'] : '';
    const thinkSetting = ollamaThink(body['think']);
    const result = generate(input, { seed, maxTokens, stop, think: raw || thinkSetting.think, thinkingScale: raw ? 1 : thinkSetting.scale, thinkingCap: undefined });
    const model = modelOf(body);
    const counts = { prompt_eval_count: countFakeTokens(input), eval_count: result.tokens, total_duration: 1000, load_duration: 0, prompt_eval_duration: 10, eval_duration: 100 };
    const doneReason = result.finishReason;
    // Templated requests keep thinking apart (the server parses it); raw requests get the text verbatim.
    const separate = !raw;
    const thinkingText = separate && thinkSetting.think ? result.thinking : '';
    const answerText = separate ? result.answer : result.text;
    const created = new Date(0).toISOString();
    if (!stream) {
      if (chat) {
        const message: Record<string, unknown> = { role: 'assistant', content: answerText };
        if (thinkingText !== '') message['thinking'] = thinkingText;
        sendJson(response, 200, { model, created_at: created, message, done: true, done_reason: doneReason, ...counts });
      } else {
        const answer: Record<string, unknown> = { model, created_at: created, response: answerText, done: true, done_reason: doneReason, context: [], ...counts };
        if (thinkingText !== '') answer['thinking'] = thinkingText;
        sendJson(response, 200, answer);
      }
      return;
    }
    response.writeHead(200, { 'content-type': 'application/x-ndjson' });
    const pieces: Array<{ thinking?: string; content?: string }> = [];
    for (const piece of thinkingText.match(/\s*\S+/g) ?? []) pieces.push({ thinking: piece });
    // Stream the visible text in word-sized pieces; their concatenation is exactly the text.
    for (const piece of answerText.match(/\s*\S+/g) ?? []) pieces.push({ content: piece });
    for (const piece of pieces) {
      const chunk = chat
        ? { model, created_at: created, message: { role: 'assistant', content: piece.content ?? '', ...(piece.thinking === undefined ? {} : { thinking: piece.thinking }) }, done: false }
        : { model, created_at: created, response: piece.content ?? '', ...(piece.thinking === undefined ? {} : { thinking: piece.thinking }), done: false };
      response.write(`${JSON.stringify(chunk)}\n`);
    }
    const last = chat
      ? { model, created_at: created, message: { role: 'assistant', content: '' }, done: true, done_reason: doneReason, ...counts }
      : { model, created_at: created, response: '', done: true, done_reason: doneReason, context: [], ...counts };
    response.end(`${JSON.stringify(last)}\n`);
  };

  const handleOpenAI = (path: string, body: Record<string, unknown>, response: ServerResponse): void => {
    if (body['stream'] === true) {
      sendJson(response, 400, { error: { message: 'the fake reasoner does not stream OpenAI responses', type: 'invalid_request_error' } });
      return;
    }
    const seed = numberField(body['seed']) ?? 0;
    const stop = stopField(body['stop']);
    const choices = Math.max(1, numberField(body['n']) ?? 1);
    const model = modelOf(body);
    const chat = path === '/v1/chat/completions';
    if (!chat) {
      const prompt = Array.isArray(body['prompt']) ? String(body['prompt'][0] ?? '') : typeof body['prompt'] === 'string' ? body['prompt'] : '';
      // OpenAI's documented default for /v1/completions is 16 tokens.
      const maxTokens = limit(numberField(body['max_tokens']) ?? 16);
      const results = Array.from({ length: choices }, (_, index) =>
        generate(prompt, { seed: seed + index, maxTokens, stop, think: true, thinkingScale: 1, thinkingCap: undefined }),
      );
      const completionTokens = results.reduce((sum, result) => sum + result.tokens, 0);
      sendJson(response, 200, {
        id: `cmpl-${requests.length}`,
        object: 'text_completion',
        created: 0,
        model,
        choices: results.map((result, index) => ({ index, text: result.text, finish_reason: result.finishReason, logprobs: null })),
        usage: { prompt_tokens: countFakeTokens(prompt), completion_tokens: completionTokens, total_tokens: countFakeTokens(prompt) + completionTokens },
      });
      return;
    }
    const input = messagesText(body['messages']);
    const maxTokens = limit(numberField(body['max_completion_tokens']) ?? numberField(body['max_tokens']));
    const ignore = options.ignoreBudgets === true;
    const effort = typeof body['reasoning_effort'] === 'string' ? body['reasoning_effort'] : undefined;
    const cap = ignore ? undefined : numberField(body['thinking_token_budget']);
    const templateKwargs = isRecord(body['chat_template_kwargs']) ? body['chat_template_kwargs'] : {};
    const think = templateKwargs['enable_thinking'] !== false;
    const scale = ignore || effort === undefined ? 1 : effortScale[effort] ?? 1;
    const results = Array.from({ length: choices }, (_, index) =>
      generate(input, { seed: seed + index, maxTokens, stop, think, thinkingScale: scale, thinkingCap: cap }),
    );
    const completionTokens = results.reduce((sum, result) => sum + result.tokens, 0);
    const reasoningTokens = results.reduce((sum, result) => sum + result.thinkingTokens, 0);
    const usage: Record<string, unknown> = { prompt_tokens: countFakeTokens(input), completion_tokens: completionTokens, total_tokens: countFakeTokens(input) + completionTokens };
    if (options.omitReasoningTokens !== true) usage['completion_tokens_details'] = { reasoning_tokens: reasoningTokens };
    sendJson(response, 200, {
      id: `chatcmpl-${requests.length}`,
      object: 'chat.completion',
      created: 0,
      model,
      choices: results.map((result, index) => ({
        index,
        // vLLM sends a null content when the thinking used up the whole limit.
        message: { role: 'assistant', content: result.answer === '' ? null : result.answer, reasoning_content: result.thinking === '' ? null : result.thinking },
        finish_reason: result.finishReason,
        logprobs: null,
      })),
      usage,
    });
  };

  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (request.method === 'GET' && path === '/v1/models') {
      sendJson(response, 200, { object: 'list', data: [{ id: options.modelName ?? 'fake-reasoner', object: 'model', created: 0, owned_by: 'fake' }] });
      return;
    }
    if (request.method === 'GET' && path === '/api/tags') {
      sendJson(response, 200, { models: [{ name: options.modelName ?? 'fake-reasoner', model: options.modelName ?? 'fake-reasoner' }] });
      return;
    }
    if (request.method !== 'POST') {
      sendJson(response, 404, { error: `no route ${request.method ?? ''} ${path}` });
      return;
    }
    readBody(request)
      .then((parsed) => {
        if (!isRecord(parsed)) throw new Error('body is not a JSON object');
        requests.push({ path, body: parsed });
        if (path === '/api/generate' || path === '/api/chat') handleOllama(path, parsed, response);
        else if (path === '/v1/completions' || path === '/v1/chat/completions') handleOpenAI(path, parsed, response);
        // Ollama's model check (the provider's pre-flight): every model name is "pulled" here.
        else if (path === '/api/show') sendJson(response, 200, { modelfile: '', parameters: '', template: '{{ .Prompt }}', details: { family: 'fake-reasoner' } });
        else sendJson(response, 404, { error: `no route POST ${path}` });
      })
      .catch((error: unknown) => {
        sendJson(response, 400, { error: { message: error instanceof Error ? error.message : String(error) } });
      });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    close: () =>
      new Promise<void>((resolveClose) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolveClose());
      }),
  };
}
