/**
 * The node:http fetch of the OpenAI-compatible provider, against a fake server: answers match the
 * global fetch's, failures look like fetch's (so the provider's error mapping holds), the signal
 * aborts at every stage, and what it does not serve goes to the fallback.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createNodeFetch, type NodeFetch } from '../../harness/providers/openai-node-fetch.ts';
import type { FakeFault, FakeServer } from '../fakes/fake-http.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';

const servers: FakeServer[] = [];
const fetches: NodeFetch[] = [];
afterEach(async () => {
  for (const nodeFetch of fetches.splice(0)) nodeFetch.close();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function setup(faults: ReadonlyArray<FakeFault | undefined> = [], fallback?: typeof fetch): Promise<{ url: string; fetch: typeof fetch; server: FakeServer }> {
  const server = await startFakeOpenAI({ faults });
  servers.push(server);
  const nodeFetch = createNodeFetch(fallback);
  fetches.push(nodeFetch);
  return { url: `${server.url}/chat/completions`, fetch: nodeFetch.fetch, server };
}

const body = (stream = false): string => JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'What is 1 + 1?' }], seed: 7, ...(stream ? { stream: true } : {}) });
const post = (stream = false, signal?: AbortSignal): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: body(stream), ...(signal ? { signal } : {}) });

describe('createNodeFetch', () => {
  it('answers what the global fetch answers: status, headers and body', async () => {
    const { url, fetch: nodeFetch } = await setup();
    const [ours, theirs] = await Promise.all([nodeFetch(url, post()), fetch(url, post())]);
    expect(ours.status).toBe(200);
    expect(ours.headers.get('content-type')).toBe(theirs.headers.get('content-type'));
    expect(await ours.json()).toEqual(await theirs.json());
  });

  it('keeps the connection open between requests (keep-alive)', async () => {
    const { url, fetch: nodeFetch, server } = await setup();
    for (let index = 0; index < 3; index += 1) await (await nodeFetch(url, post())).json();
    const connections = new Set(server.requests.map((request) => request.headers.connection));
    expect([...connections]).toEqual(['keep-alive']);
  });

  it('streams an event stream', async () => {
    const { url, fetch: nodeFetch } = await setup();
    const [ours, theirs] = await Promise.all([nodeFetch(url, post(true)), fetch(url, post(true))]);
    expect(ours.body).not.toBeNull();
    expect(await ours.text()).toBe(await theirs.text());
  });

  it.each([
    ['a status with Retry-After', { kind: 'status', status: 429, retryAfter: '3' } as FakeFault, 429],
    ['a server error', { kind: 'status', status: 503 } as FakeFault, 503],
  ])('passes %s through as a response', async (_name, fault, status) => {
    const { url, fetch: nodeFetch } = await setup([fault]);
    const response = await nodeFetch(url, post());
    expect(response.status).toBe(status);
    if (status === 429) expect(response.headers.get('retry-after')).toBe('3');
  });

  it('fails like fetch when the connection is reset: TypeError "fetch failed" with the socket error as cause', async () => {
    const { url, fetch: nodeFetch } = await setup([{ kind: 'reset' }]);
    const error: unknown = await nodeFetch(url, post()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe('fetch failed');
    expect(((error as TypeError).cause as { code?: string }).code).toBe('ECONNRESET');
  });

  it('fails with TypeError "terminated" when the body breaks off', async () => {
    const { url, fetch: nodeFetch } = await setup([{ kind: 'truncated' }]);
    const error: unknown = await nodeFetch(url, post()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe('terminated');
    expect(((error as TypeError).cause as { code?: string }).code).toBe('ECONNRESET');
  });

  it('rejects with the signal’s reason when aborted before, or while waiting', async () => {
    const { url, fetch: nodeFetch } = await setup([{ kind: 'hang' }]);
    const before = new AbortController();
    before.abort(new Error('stopped before'));
    await expect(nodeFetch(url, post(false, before.signal))).rejects.toThrow('stopped before');
    const during = new AbortController();
    const pending = nodeFetch(url, post(false, during.signal));
    setTimeout(() => during.abort(new Error('stopped while hanging')), 20);
    await expect(pending).rejects.toThrow('stopped while hanging');
  });

  it('refuses a connection like fetch (cause ECONNREFUSED)', async () => {
    const { url, fetch: nodeFetch, server } = await setup();
    await server.close();
    servers.splice(0);
    const error: unknown = await nodeFetch(url, post()).catch((caught: unknown) => caught);
    expect((error as TypeError).message).toBe('fetch failed');
    expect(((error as TypeError).cause as { code?: string }).code).toBe('ECONNREFUSED');
  });

  it('hands a Request object or a stream body to the fallback', async () => {
    const seen: string[] = [];
    const fallback = ((input: string | URL | Request, init?: RequestInit) => {
      seen.push(input instanceof Request ? 'request' : typeof init?.body);
      return fetch(input, init);
    }) as typeof fetch;
    const { url, fetch: nodeFetch } = await setup([], fallback);
    await (await nodeFetch(new Request(url, post()))).json();
    await (await nodeFetch(url, { method: 'POST', body: new Blob([body()]), headers: { 'content-type': 'application/json' } })).json();
    await (await nodeFetch(url, post())).json();
    expect(seen).toEqual(['request', 'object']);
  });
});
