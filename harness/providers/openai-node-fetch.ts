/**
 * A `fetch` for the OpenAI-compatible provider over `node:http` / `node:https` with keep-alive
 * agents. Node's built-in fetch (undici) spends about 0.7–1.5 ms of CPU per request on web streams,
 * header validation and its state machine; this path costs about 0.2–0.4 ms, which is what lets
 * one process keep 128 requests in flight over 32 endpoints (`test/bench/fan-out.bench.ts`).
 *
 * It takes what the `openai` client sends (a URL string, a method, headers, a string body, a
 * signal) and answers a standard `Response`; anything else (a `Request` object, a stream or form
 * body, a redirect) goes to the fallback fetch, so behaviour never narrows. Failures look like
 * fetch's: `TypeError('fetch failed', { cause })` before the response, `TypeError('terminated',
 * { cause })` when the body breaks off, and the signal's reason on abort.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';

/** A fetch with its own connection pools; `close` drops the idle connections. */
export interface NodeFetch {
  fetch: typeof fetch;
  close(): void;
}

const redirects = new Set([301, 302, 303, 307, 308]);
const noBody = new Set([101, 103, 204, 205, 304]);

/** Builds the fetch; `fallback` (default: the global fetch) serves what this one does not. */
export function createNodeFetch(fallback: typeof fetch = globalThis.fetch): NodeFetch {
  const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

  function nodeFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const body = init?.body;
    if (input instanceof Request || (body !== undefined && body !== null && typeof body !== 'string' && !(body instanceof Uint8Array))) {
      return fallback(input, init);
    }
    const url = new URL(input);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return fallback(input, init);
    const signal = init?.signal ?? undefined;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, name) => {
      headers[name] = value;
    });
    const payload = body === undefined || body === null ? undefined : typeof body === 'string' ? Buffer.from(body) : body;
    if (payload !== undefined) headers['content-length'] = String(payload.byteLength);
    const method = (init?.method ?? 'GET').toUpperCase();
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<Response>((resolve, reject) => {
      let settled = false;
      const onAbort = (): void => {
        outgoing.destroy();
        if (!settled) {
          settled = true;
          reject(signal?.reason);
        }
      };
      const fail = (message: string) => (error: Error) => {
        signal?.removeEventListener('abort', onAbort);
        if (settled) return;
        settled = true;
        reject(signal?.aborted ? signal.reason : new TypeError(message, { cause: error }));
      };
      const outgoing = send(url, { method, headers, agent: url.protocol === 'https:' ? agents.https : agents.http }, (incoming) => {
        if (redirects.has(incoming.statusCode ?? 0) && incoming.headers.location !== undefined) {
          incoming.resume();
          signal?.removeEventListener('abort', onAbort);
          settled = true;
          resolve(fallback(input, init));
          return;
        }
        // From here on the signal destroys the response, not the request (whose socket may be reused).
        signal?.removeEventListener('abort', onAbort);
        const stop = (): void => void incoming.destroy();
        signal?.addEventListener('abort', stop, { once: true });
        incoming.once('close', () => signal?.removeEventListener('abort', stop));
        answer(incoming, method).then(
          (response) => {
            settled = true;
            resolve(response);
          },
          fail('terminated'),
        );
      });
      outgoing.on('error', fail('fetch failed'));
      signal?.addEventListener('abort', onAbort, { once: true });
      outgoing.end(payload);
    });
  }

  return {
    fetch: nodeFetch as typeof fetch,
    close(): void {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

/** The Response of an incoming message: JSON and other bodies read whole, event streams streamed. */
async function answer(incoming: IncomingMessage, method: string): Promise<Response> {
  const status = incoming.statusCode ?? 500;
  const headers = new Headers();
  const raw = incoming.rawHeaders;
  for (let index = 0; index + 1 < raw.length; index += 2) headers.append(raw[index] as string, raw[index + 1] as string);
  const init = { status, statusText: incoming.statusMessage ?? '', headers };
  if (method === 'HEAD' || noBody.has(status)) {
    incoming.resume();
    return new Response(null, init);
  }
  if ((headers.get('content-type') ?? '').includes('text/event-stream')) {
    return new Response(Readable.toWeb(incoming) as ReadableStream<Uint8Array>, init);
  }
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', resolve);
    incoming.on('error', reject);
    incoming.on('close', () => {
      if (!incoming.complete) reject(Object.assign(new Error('the connection closed before the body was complete'), { code: 'ECONNRESET' }));
    });
  });
  return new Response(Buffer.concat(chunks), init);
}
