/**
 * Shared machinery of the fake model servers: an HTTP server on 127.0.0.1 (port 0), request
 * recording, deterministic sample texts, and fault injection (statuses with Retry-After, resets,
 * hangs, malformed JSON, truncated bodies and streams).
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { hashSeed } from '../../harness/core/random.ts';

/** A fault to inject into one generation request. */
export type FakeFault =
  /** Answer with this HTTP status (error body in the protocol's shape), with an optional Retry-After header value. */
  | { kind: 'status'; status: number; retryAfter?: string; message?: string; plainText?: boolean }
  /** Destroy the connection without answering. */
  | { kind: 'reset' }
  /** Never answer (until the client gives up or the server closes). */
  | { kind: 'hang' }
  /** Answer 200 with a body that is not valid JSON. */
  | { kind: 'malformed' }
  /** Start the answer and stop half-way: a stream without its end, or a body shorter than its Content-Length. */
  | { kind: 'truncated' };

/** One request the fake received. */
export interface FakeRequest {
  /** HTTP method. */
  method: string;
  /** Path with query string, e.g. `/v1/chat/completions`. */
  path: string;
  /** Request headers (lower-case names). */
  headers: IncomingHttpHeaders;
  /** Parsed JSON body; undefined when none. */
  body: unknown;
  /** The fault injected into it, when one was. */
  fault?: FakeFault;
}

/** What a fake knows when it writes one sample. */
export interface FakeGenerationInput {
  /** Model name from the request. */
  model: string;
  /** The prompt text (chat messages joined by newlines). */
  prompt: string;
  /** The request's seed (undefined when none was sent). */
  seed: number | undefined;
  /** Choice index within an `n` request (0 for single requests). */
  choice: number;
  /** Whether the request asked for thinking. */
  think: boolean;
}

/** One generated sample; token counts are whitespace-separated words. */
export interface FakeGeneration {
  /** Answer text. */
  text: string;
  /** Thinking text, when thinking was asked for. */
  thinking?: string;
}

/** Options every fake server takes. */
export interface FakeServerOptions {
  /**
   * Faults for generation requests: a list applied in order (entry i to the i-th generation
   * request, undefined = none; requests past the end get none), or a function of the request and
   * its 0-based number among generation requests.
   */
  faults?: ReadonlyArray<FakeFault | undefined> | ((request: FakeRequest, number: number) => FakeFault | undefined);
  /** Writes each sample (default: `defaultGeneration`, a deterministic text per prompt, seed and choice). */
  respond?: (input: FakeGenerationInput) => FakeGeneration;
  /** Ignore the request's seed: every sample of a prompt gets the same text (choice index ignored too). */
  ignoreSeed?: boolean;
  /** Model names the server knows; others get the protocol's 404. Default: every name. */
  models?: ReadonlyArray<string>;
  /** Required bearer token; requests without it get 401. Default: none required. */
  apiKey?: string;
  /** Delay before each generation answer, milliseconds (real timer; default 0). */
  latencyMs?: number;
}

/** A running fake. */
export interface FakeServer {
  /** Base URL to configure (`…/v1` for OpenAI-compatible servers, the host for Ollama). */
  url: string;
  /** Every request received, in arrival order (all routes). */
  requests: FakeRequest[];
  /** Generation requests only (those faults apply to). */
  generationRequests(): FakeRequest[];
  /** Stops the server, dropping open (hung) connections. */
  close(): Promise<void>;
}

/** Whitespace-separated words: the fakes' token count. */
export function countWords(text: string): number {
  return text.split(/\s+/).filter((word) => word.length > 0).length;
}

/** The first `limit` words of a text. */
export function firstWords(text: string, limit: number): string {
  return text.split(/\s+/).filter((word) => word.length > 0).slice(0, limit).join(' ');
}

/** The default sample: a deterministic text of the prompt, seed and choice, with a boxed answer. */
export function defaultGeneration(input: FakeGenerationInput): FakeGeneration {
  const hash = hashSeed(input.model, input.prompt, input.seed ?? 0, input.choice);
  const text = `Sample ${hash.toString(16)}: working through the problem step by step gives the final answer \\boxed{${hash % 7}}.`;
  return input.think ? { text, thinking: `Let me think about case ${hash % 97} carefully before answering.` } : { text };
}

/** A sample for the request, honouring `ignoreSeed` and `respond`. */
export function generate(options: FakeServerOptions, input: FakeGenerationInput): FakeGeneration {
  const effective = options.ignoreSeed === true ? { ...input, seed: 0, choice: 0 } : input;
  return (options.respond ?? defaultGeneration)(effective);
}

/** Cuts the answer text at the first stop sequence (the stop itself left out, as servers do). */
export function applyStop(generation: FakeGeneration, stop: unknown): FakeGeneration {
  const stops = typeof stop === 'string' ? [stop] : Array.isArray(stop) ? stop.filter((entry): entry is string => typeof entry === 'string' && entry.length > 0) : [];
  let text = generation.text;
  for (const sequence of stops) {
    const at = text.indexOf(sequence);
    if (at >= 0) text = text.slice(0, at);
  }
  return { ...generation, text };
}

/** Applies a token limit: cuts the text (after the thinking) to `maxTokens` words in all. */
export function limitTokens(generation: FakeGeneration, maxTokens: number | undefined): { text: string; thinking: string; tokens: number; cut: boolean } {
  const thinking = generation.thinking ?? '';
  const thinkingTokens = countWords(thinking);
  const textTokens = countWords(generation.text);
  if (maxTokens === undefined || thinkingTokens + textTokens <= maxTokens) {
    return { text: generation.text, thinking, tokens: thinkingTokens + textTokens, cut: false };
  }
  if (thinkingTokens >= maxTokens) return { text: '', thinking: firstWords(thinking, maxTokens), tokens: maxTokens, cut: true };
  return { text: firstWords(generation.text, maxTokens - thinkingTokens), thinking, tokens: maxTokens, cut: true };
}

/** Sends a JSON answer. */
export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  response.end(text);
}

/** Writes a `status` fault as a text/plain body (a proxy in front of the server), when it asks for that; true when written. */
export function sendPlainStatus(fault: Extract<FakeFault, { kind: 'status' }>, response: ServerResponse): boolean {
  if (fault.plainText !== true) return false;
  const text = fault.message ?? `fake failure ${fault.status}`;
  response.writeHead(fault.status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...(fault.retryAfter === undefined ? {} : { 'retry-after': fault.retryAfter }),
  });
  response.end(text);
  return true;
}

/** Writes the faults that look the same in every protocol; returns false for `status` (protocol-specific body). */
export function applyCommonFault(fault: FakeFault, response: ServerResponse, socket: Socket): boolean {
  switch (fault.kind) {
    case 'reset':
      socket.destroy();
      return true;
    case 'hang':
      return true;
    case 'malformed': {
      const text = '{"id": "broken", "choices": [ {"index": 0, "message": oops';
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
      response.end(text);
      return true;
    }
    case 'truncated':
    case 'status':
      return false;
  }
}

/** Writes half of a JSON body announced at full length, then drops the connection. */
export function sendTruncatedJson(response: ServerResponse, socket: Socket, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
  response.write(text.slice(0, Math.floor(text.length / 2)));
  setTimeout(() => socket.destroy(), 5);
}

/** Waits the configured latency. */
export function delay(milliseconds: number | undefined): Promise<void> {
  return milliseconds === undefined || milliseconds <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/** A route handler: returns false when it does not serve the path (→ 404). */
export type FakeHandler = (context: {
  request: FakeRequest;
  response: ServerResponse;
  socket: Socket;
  /** Picks the fault of this generation request and records it; call once, on generation routes only. */
  takeFault(): FakeFault | undefined;
}) => Promise<boolean> | boolean;

/** Starts an HTTP server on 127.0.0.1 with an ephemeral port that records requests and routes them. */
export async function startFakeServer(options: FakeServerOptions, handler: FakeHandler, basePath = ''): Promise<FakeServer> {
  const requests: FakeRequest[] = [];
  const generation: FakeRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((incoming: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = raw.length === 0 ? undefined : (JSON.parse(raw) as unknown);
      } catch {
        body = raw;
      }
      const request: FakeRequest = { method: incoming.method ?? 'GET', path: incoming.url ?? '/', headers: incoming.headers, body };
      requests.push(request);
      const takeFault = (): FakeFault | undefined => {
        const number = generation.length;
        generation.push(request);
        const faults = options.faults;
        const fault = faults === undefined ? undefined : typeof faults === 'function' ? faults(request, number) : faults[number];
        if (fault !== undefined) request.fault = fault;
        return fault;
      };
      Promise.resolve(handler({ request, response, socket: incoming.socket, takeFault }))
        .then((handled) => {
          if (!handled) sendJson(response, 404, { error: `no route ${request.method} ${request.path}` });
        })
        .catch((error: unknown) => {
          if (!response.headersSent) sendJson(response, 500, { error: String(error) });
        });
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${basePath}`,
    requests,
    generationRequests: () => [...generation],
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** True when the request carries the required bearer token (or none is required). */
export function authorized(options: FakeServerOptions, request: FakeRequest): boolean {
  return options.apiKey === undefined || request.headers.authorization === `Bearer ${options.apiKey}`;
}

/** A plain record view of an unknown JSON body. */
export function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** The text of chat messages or a prompt, joined by newlines. */
export function promptText(body: Record<string, unknown>): string {
  if (Array.isArray(body.messages)) {
    return body.messages.map((message) => String(record(message).content ?? '')).join('\n');
  }
  return typeof body.prompt === 'string' ? body.prompt : '';
}

/** A number field, or undefined. */
export function numberField(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}
