/**
 * A local fake of the Hugging Face Hub's HTTP API for datasets, on 127.0.0.1: the parquet listing
 * (`/api/datasets/{repo}/parquet/{config}/{split}` → JSON list of URLs), the shard URLs it lists
 * (redirecting to `resolve`), and `resolve/{revision}/{path}` answering like the Hub does for LFS
 * files (302 to a CDN URL with `X-Repo-Commit`, `X-Linked-Etag`, `X-Linked-Size`); the CDN honours
 * `Range`. Failure modes: gated repos (401 without a token, 403 with a wrong one) and a connection
 * cut once after a given number of bytes. Model repos answer the same at `/{repo}/resolve/…`.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake saw. */
export interface FakeHubRequest {
  /** HTTP method. */
  method: string;
  /** URL path (no query). */
  path: string;
  /** The Range header, when sent. */
  range: string | undefined;
  /** Whether an Authorization header was sent. */
  authorized: boolean;
}

/** A running fake Hub. */
export interface FakeHub {
  /** Base URL, e.g. `http://127.0.0.1:40123`. */
  endpoint: string;
  /** Every request, in order. */
  requests: FakeHubRequest[];
  /** Adds a file to a repo at a revision (`main`, `refs/convert/parquet`). */
  addFile(repo: string, revision: string, path: string, bytes: Uint8Array): void;
  /** Marks a repo as gated: requests need `Authorization: Bearer <token>`. */
  gate(repo: string, token: string): void;
  /** The next CDN download sends only this many bytes of the body, then drops the connection. */
  cutNextDownloadAfter(bytes: number): void;
  /** Commit hash the fake reports for a repo. */
  commitOf(repo: string): string;
  /** Stops the server. */
  close(): Promise<void>;
}

interface StoredFile {
  bytes: Uint8Array;
  sha256: string;
}

/** Starts a fake Hub on an ephemeral port of 127.0.0.1. */
export async function startFakeHub(): Promise<FakeHub> {
  const files = new Map<string, StoredFile>(); // `${repo}@${revision}:${path}`
  const blobs = new Map<string, Uint8Array>();
  const gates = new Map<string, string>();
  const requests: FakeHubRequest[] = [];
  let cutAfter: number | undefined;
  let endpoint = '';
  const commitOf = (repo: string): string => createHash('sha1').update(`commit:${repo}`).digest('hex');

  const json = (response: ServerResponse, status: number, body: unknown): void => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };

  const handler = (request: IncomingMessage, response: ServerResponse): void => {
    const url = new URL(request.url ?? '/', endpoint);
    const path = url.pathname;
    const authorization = request.headers.authorization;
    requests.push({ method: request.method ?? 'GET', path, range: request.headers.range, authorized: authorization !== undefined });
    const gateFor = (repo: string): boolean => {
      const token = gates.get(repo);
      if (token === undefined) return true;
      if (authorization === undefined) {
        json(response, 401, { error: 'Access to this dataset is restricted. You must be authenticated to access it.' });
        return false;
      }
      if (authorization !== `Bearer ${token}`) {
        json(response, 403, { error: 'Access to this dataset is restricted and you are not in the authorized list.' });
        return false;
      }
      return true;
    };

    const cdn = /^\/cdn\/([0-9a-f]{64})$/.exec(path);
    if (cdn?.[1]) {
      const bytes = blobs.get(cdn[1]);
      if (!bytes) return json(response, 404, { error: 'no such blob' });
      let start = 0;
      const range = request.headers.range ? /^bytes=(\d+)-$/.exec(request.headers.range) : null;
      if (range?.[1] !== undefined) {
        start = Number(range[1]);
        if (start >= bytes.length) {
          response.writeHead(416, { 'content-range': `bytes */${bytes.length}` });
          return void response.end();
        }
      }
      const body = bytes.subarray(start);
      response.writeHead(range ? 206 : 200, {
        'content-length': String(body.length),
        'accept-ranges': 'bytes',
        ...(range ? { 'content-range': `bytes ${start}-${bytes.length - 1}/${bytes.length}` } : {}),
      });
      if (request.method === 'HEAD') return void response.end();
      if (cutAfter !== undefined && cutAfter < body.length) {
        const cut = cutAfter;
        cutAfter = undefined;
        response.write(body.subarray(0, cut), () => {
          setImmediate(() => response.socket?.destroy());
        });
        return;
      }
      return void response.end(Buffer.from(body));
    }

    const listing = /^\/api\/datasets\/([^/]+\/[^/]+)\/parquet\/([^/]+)\/([^/]+)$/.exec(path);
    if (listing?.[1] && listing[2] && listing[3]) {
      const [repo, config, split] = [listing[1], decodeURIComponent(listing[2]), decodeURIComponent(listing[3])];
      if (!gateFor(repo)) return;
      const prefix = `${repo}@refs/convert/parquet:${config}/${split}/`;
      const shards = [...files.keys()].filter((key) => key.startsWith(prefix)).sort();
      if (shards.length === 0) return json(response, 404, { error: `Config '${config}' or split '${split}' not found` });
      return json(response, 200, shards.map((_, index) => `${endpoint}/api/datasets/${repo}/parquet/${config}/${split}/${index}.parquet`));
    }

    // Dataset files live under /datasets/{repo}/resolve, model files under /{repo}/resolve.
    const resolve = /^(?:\/datasets)?\/([^/]+\/[^/]+)\/resolve\/(.+)$/.exec(path);
    if (resolve?.[1] && resolve[2]) {
      const repo = resolve[1];
      if (!gateFor(repo)) return;
      const rest = decodeURIComponent(resolve[2]);
      const revision = rest.startsWith('refs/convert/parquet/') ? 'refs/convert/parquet' : rest.slice(0, rest.indexOf('/'));
      const filePath = rest.slice(revision.length + 1);
      const file = files.get(`${repo}@${revision}:${filePath}`);
      if (!file) return json(response, 404, { error: 'Entry not found' });
      response.writeHead(302, {
        location: `/cdn/${file.sha256}`,
        'x-repo-commit': commitOf(repo),
        'x-linked-etag': `"${file.sha256}"`,
        'x-linked-size': String(file.bytes.length),
        etag: `"${createHash('sha1').update(file.bytes).digest('hex')}"`,
      });
      return void response.end();
    }
    json(response, 404, { error: 'Repository not found' });
  };

  const server: Server = createServer(handler);
  await new Promise<void>((resolvePromise) => server.listen(0, '127.0.0.1', resolvePromise));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    requests,
    addFile(repo, revision, path, bytes) {
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      files.set(`${repo}@${revision}:${path}`, { bytes, sha256 });
      blobs.set(sha256, bytes);
    },
    gate(repo, token) {
      gates.set(repo, token);
    },
    cutNextDownloadAfter(bytes) {
      cutAfter = bytes;
    },
    commitOf,
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
    },
  };
}
