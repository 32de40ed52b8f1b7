import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { Ollama } from 'ollama';
import { ollamaGeneratePort, openaiCompletionsPort } from '../../../harness/providers/thinking/raw-ports.ts';
import { startFakeReasoner, type FakeReasoner } from '../../fakes/fake-reasoner.ts';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});
async function start(): Promise<FakeReasoner> {
  const server = await startFakeReasoner();
  closers.push(() => server.close());
  return server;
}
const input = { prompt: 'Q [gold:1] <think>\n', maxTokens: 5, stop: ['</think>'], seed: 11, signal: new AbortController().signal };

describe('openaiCompletionsPort', () => {
  it('sends the prompt verbatim with max_tokens, stop, seed, sampling and extra fields', async () => {
    const server = await start();
    const port = openaiCompletionsPort(new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'x', maxRetries: 0 }), 'r1', {
      temperature: 0.6,
      topP: 0.95,
      extraBody: { top_k: 20 },
      skipSpecialTokens: false,
    });
    const output = await port(input);
    expect(server.requests[0]?.body).toEqual({
      top_k: 20,
      model: 'r1',
      prompt: input.prompt,
      max_tokens: 5,
      seed: 11,
      stream: false,
      stop: ['</think>'],
      temperature: 0.6,
      top_p: 0.95,
      skip_special_tokens: false,
    });
    expect(output).toMatchObject({ completionTokens: 5, promptTokens: 3, finishReason: 'length' });
    expect(output.usageEstimated).toBeUndefined();
  });

  it('leaves out an empty stop list', async () => {
    const server = await start();
    await openaiCompletionsPort(new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'x', maxRetries: 0 }), 'r1')({ ...input, stop: [] });
    expect(server.requests[0]?.body).toEqual({ model: 'r1', prompt: input.prompt, max_tokens: 5, seed: 11, stream: false });
  });

  it('estimates usage (characters / 4) and says so when the server sends none', async () => {
    const server = createServer((_request, response) => {
      const body = JSON.stringify({ id: 'c', object: 'text_completion', created: 0, model: 'r1', choices: [{ index: 0, text: 'twelve chars', finish_reason: 'stop', logprobs: null }] });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    const output = await openaiCompletionsPort(new OpenAI({ baseURL: url, apiKey: 'x', maxRetries: 0 }), 'r1')(input);
    expect(output).toEqual({ text: 'twelve chars', completionTokens: 3, promptTokens: 5, finishReason: 'stop', usageEstimated: true });
  });
});

describe('ollamaGeneratePort', () => {
  it('sends raw mode, streams, and passes num_predict, stop, seed, sampling and keep_alive', async () => {
    const server = await start();
    const port = ollamaGeneratePort(new Ollama({ host: server.url }), 'qwen3:8b', { temperature: 0.6, topP: 0.95, keepAlive: '10m' });
    const output = await port(input);
    expect(server.requests[0]?.body).toEqual({
      model: 'qwen3:8b',
      prompt: input.prompt,
      raw: true,
      stream: true,
      keep_alive: '10m',
      options: { num_predict: 5, seed: 11, stop: ['</think>'], temperature: 0.6, top_p: 0.95 },
    });
    expect(output).toMatchObject({ completionTokens: 5, promptTokens: 3, finishReason: 'length' });
  });

  /** A server that never answers; resolves `arrived` when a request comes in and `closed` when its connection ends. */
  async function hangingServer(): Promise<{ url: string; arrived: Promise<void>; closed: Promise<void> }> {
    let markArrived = (): void => undefined;
    let markClosed = (): void => undefined;
    const arrived = new Promise<void>((resolve) => (markArrived = resolve));
    const closed = new Promise<void>((resolve) => (markClosed = resolve));
    const server = createServer((request) => {
      request.socket.on('close', () => markClosed());
      markArrived();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, arrived, closed };
  }

  it('returns on abort while the server has not answered (plain client)', async () => {
    const server = await hangingServer();
    const controller = new AbortController();
    const call = ollamaGeneratePort(new Ollama({ host: server.url }), 'qwen3:8b')({ ...input, signal: controller.signal });
    await server.arrived;
    controller.abort(new Error('gave up'));
    await expect(call).rejects.toThrow('gave up');
  });

  it('cancels the request itself with a client factory whose fetch takes the signal', async () => {
    const server = await hangingServer();
    const controller = new AbortController();
    const factory = (signal: AbortSignal): Ollama =>
      new Ollama({ host: server.url, fetch: (url, init) => fetch(url, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal }) });
    const call = ollamaGeneratePort(factory, 'qwen3:8b')({ ...input, signal: controller.signal });
    await server.arrived;
    controller.abort(new Error('gave up'));
    await expect(call).rejects.toThrow('gave up');
    await server.closed;
  });

  it('rejects with the signal reason when aborted before the call', async () => {
    const server = await start();
    const controller = new AbortController();
    controller.abort(new Error('cancelled'));
    await expect(ollamaGeneratePort(new Ollama({ host: server.url }), 'qwen3:8b')({ ...input, signal: controller.signal })).rejects.toThrow('cancelled');
    expect(server.requests).toEqual([]);
  });
});
