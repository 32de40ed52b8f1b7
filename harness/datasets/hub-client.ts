/**
 * A small Hugging Face Hub client for datasets (and model files): lists a config/split's parquet
 * files and downloads repo files into the Hub cache layout
 * (`datasets--owner--name/{blobs,snapshots,refs}`, `models--owner--name/…` for model repos),
 * resuming an interrupted download with an HTTP Range request on `blobs/<etag>.incomplete`.
 */
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, copyFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { z } from 'zod';
import { DatasetError, HarnessError } from '../core/errors.ts';

/** Progress of one download. */
export interface DownloadProgress {
  /** Repo file being downloaded. */
  path: string;
  /** Bytes on disk so far (resumed bytes included). */
  receivedBytes: number;
  /** Total size in bytes, when the server said. */
  totalBytes: number | undefined;
}

/** Settings of a Hub client. */
export interface HubClientOptions {
  /** Hub base URL (default `https://huggingface.co`). */
  endpoint?: string;
  /** Access token (HF_TOKEN) for gated or private datasets; never logged. */
  token?: string;
  /** Hub cache folder (e.g. defaultHubCacheDir(env)). */
  cacheDir: string;
  /** fetch implementation (default globalThis.fetch). */
  fetch?: typeof fetch;
  /** Called as bytes arrive. */
  onProgress?: (progress: DownloadProgress) => void;
  /** Kind of repo the files come from (default `dataset`); `model` for GGUF model files. */
  repoType?: HubRepoType;
}

/** Kind of Hub repo: its URLs and cache folders differ. */
export type HubRepoType = 'dataset' | 'model';

/** One parquet file of a config/split. */
export interface ParquetFileRef {
  /** URL the Hub API listed. */
  url: string;
  /** Revision holding the file (`refs/convert/parquet` for the Hub's converted files). */
  revision: string;
  /** Path of the file inside the repo at that revision, e.g. `default/test/0000.parquet`. */
  path: string;
}

/** A Hub client for dataset repos. */
export interface HubClient {
  /** Parquet files of a dataset config and split (Hub API `/api/datasets/{repo}/parquet/{config}/{split}`). */
  listParquetFiles(repo: string, config: string, split: string, signal?: AbortSignal): Promise<ParquetFileRef[]>;
  /** Downloads (or finds in the cache) one repo file; returns its path in the snapshot folder. */
  downloadFile(repo: string, path: string, revision?: string, signal?: AbortSignal): Promise<string>;
}

/** Folder of a dataset (or model) repo in the Hub cache. */
export function hubRepoFolder(cacheDir: string, repo: string, repoType: HubRepoType = 'dataset'): string {
  return join(cacheDir, `${repoType}s--${repo.replaceAll('/', '--')}`);
}

const CONVERTED_REVISION = 'refs/convert/parquet';

/**
 * Maps a parquet URL from the Hub API to revision and path: the API lists
 * `/api/datasets/{repo}/parquet/{config}/{split}/{n}.parquet`, which the Hub redirects to
 * `/datasets/{repo}/resolve/refs%2Fconvert%2Fparquet/{config}/{split}/{nnnn}.parquet`.
 */
export function parquetUrlToRef(url: string, repo: string): ParquetFileRef {
  const pathname = decodeURIComponent(new URL(url).pathname);
  const api = `/api/datasets/${repo}/parquet/`;
  const resolvePrefix = `/datasets/${repo}/resolve/`;
  if (pathname.startsWith(api)) {
    const rest = pathname.slice(api.length);
    const match = /^(.*)\/(\d+)\.parquet$/.exec(rest);
    if (match?.[1] !== undefined && match[2] !== undefined) return { url, revision: CONVERTED_REVISION, path: `${match[1]}/${match[2].padStart(4, '0')}.parquet` };
  }
  if (pathname.startsWith(resolvePrefix)) {
    const rest = pathname.slice(resolvePrefix.length);
    if (rest.startsWith(`${CONVERTED_REVISION}/`)) return { url, revision: CONVERTED_REVISION, path: rest.slice(CONVERTED_REVISION.length + 1) };
    const slash = rest.indexOf('/');
    return { url, revision: rest.slice(0, slash), path: rest.slice(slash + 1) };
  }
  throw new DatasetError('HUB_BAD_RESPONSE', `unexpected parquet URL from the Hub: ${url}`, { hint: 'The Hub API changed or the endpoint is not a Hugging Face Hub.' });
}

function httpError(status: number, what: string, repo: string, extraHint?: string, repoType: HubRepoType = 'dataset'): HarnessError {
  if (status === 401 || status === 403) {
    return new DatasetError('HUB_UNAUTHORIZED', `the Hub refused ${what} (HTTP ${status})`, {
      hint: `${repo} may be gated or private: accept its terms on the ${repoType} page, then set HF_TOKEN to a token with read access.`,
    });
  }
  if (status === 404) {
    const defaultHint = repoType === 'model' ? `Check the model repo ${repo} and the file name (the repo's "Files" tab lists its .gguf files).` : `Check the dataset id ${repo}, the config name (--config) and the split (--split).`;
    return new DatasetError('HUB_NOT_FOUND', `the Hub has no ${what} (HTTP 404)`, { hint: extraHint ?? defaultHint });
  }
  return new HarnessError('HUB_HTTP_ERROR', `the Hub answered HTTP ${status} for ${what}`, { hint: 'Try again later; an interrupted download resumes where it stopped.' });
}

/** Creates a Hub client. */
export function createHubClient(options: HubClientOptions): HubClient {
  const endpoint = (options.endpoint ?? 'https://huggingface.co').replace(/\/$/, '');
  const fetchImplementation = options.fetch ?? globalThis.fetch;
  const repoType = options.repoType ?? 'dataset';
  const headers = (extra: Record<string, string> = {}): Record<string, string> => ({
    ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    ...extra,
  });

  async function request(url: string, init: RequestInit, what: string): Promise<Response> {
    try {
      return await fetchImplementation(url, init);
    } catch (error) {
      if (init.signal?.aborted) throw error;
      throw new HarnessError('HUB_NETWORK_ERROR', `could not reach ${new URL(url).origin} for ${what}`, {
        hint: 'Check the network (or HF_ENDPOINT); an interrupted download resumes where it stopped.',
        cause: error,
      });
    }
  }

  return {
    async listParquetFiles(repo, config, split, signal) {
      const url = `${endpoint}/api/datasets/${repo}/parquet/${encodeURIComponent(config)}/${encodeURIComponent(split)}`;
      const what = `parquet files of ${repo} config '${config}' split '${split}'`;
      const response = await request(url, { headers: headers(), ...(signal ? { signal } : {}) }, what);
      if (!response.ok) {
        throw httpError(response.status, what, repo, `Check the config name '${config}' and split '${split}' on the dataset page (monkey_business configs look like GSM8K_Llama-3-8B-Instruct, split test).`);
      }
      const parsed = z.array(z.string()).safeParse(await response.json());
      if (!parsed.success) throw new DatasetError('HUB_BAD_RESPONSE', `the Hub's answer for ${what} is not a list of URLs`, { hint: 'Is the endpoint a Hugging Face Hub?' });
      return parsed.data.map((fileUrl) => parquetUrlToRef(fileUrl, repo));
    },

    async downloadFile(repo, path, revision = 'main', signal) {
      const repoFolder = hubRepoFolder(options.cacheDir, repo, repoType);
      const refFile = join(repoFolder, 'refs', revision);
      if (existsSync(refFile)) {
        const cached = join(repoFolder, 'snapshots', readFileSync(refFile, 'utf8').trim(), path);
        if (existsSync(cached)) return cached;
      }
      const url = `${endpoint}/${repoType === 'model' ? '' : 'datasets/'}${repo}/resolve/${encodeURIComponent(revision)}/${path.split('/').map(encodeURIComponent).join('/')}`;
      const what = `${path} of ${repo} at ${revision}`;
      // Metadata first, without following the redirect, so the Hub's own headers (commit, etag) are seen.
      const head = await request(url, { method: 'HEAD', redirect: 'manual', headers: headers(), ...(signal ? { signal } : {}) }, what);
      if (head.status >= 400) throw httpError(head.status, what, repo, undefined, repoType);
      const commit = head.headers.get('x-repo-commit') ?? revision.replaceAll('/', '--');
      const etag = (head.headers.get('x-linked-etag') ?? head.headers.get('etag') ?? `${commit}-${path}`).replace(/^W\//, '').replaceAll('"', '').replaceAll('/', '-');
      const sizeHeader = head.headers.get('x-linked-size') ?? head.headers.get('content-length');
      const totalBytes = sizeHeader === null ? undefined : Number(sizeHeader);
      const location = head.headers.get('location');
      const downloadUrl = head.status >= 300 && head.status < 400 && location ? new URL(location, url).href : url;

      const blob = join(repoFolder, 'blobs', etag);
      const snapshot = join(repoFolder, 'snapshots', commit, path);
      mkdirSync(dirname(blob), { recursive: true });
      if (!existsSync(blob)) {
        const incomplete = `${blob}.incomplete`;
        let offset = existsSync(incomplete) ? statSync(incomplete).size : 0;
        if (totalBytes !== undefined && offset > totalBytes) {
          rmSync(incomplete);
          offset = 0;
        }
        if (totalBytes === undefined || offset < totalBytes) {
          const range = offset > 0 ? { range: `bytes=${offset}-` } : undefined;
          // The redirect target (a CDN) gets no token: it is signed, and credentials must not leave the Hub.
          const sameOrigin = new URL(downloadUrl).origin === new URL(url).origin;
          const response = await request(downloadUrl, { headers: sameOrigin ? headers(range) : { ...range }, ...(signal ? { signal } : {}) }, what);
          if (response.status === 416) {
            rmSync(incomplete, { force: true });
            offset = 0;
            throw new HarnessError('HUB_RESUME_FAILED', `the server refused to resume ${what}`, { hint: 'Run the import again: the partial file was removed and the download restarts.' });
          }
          if (!response.ok || !response.body) throw httpError(response.status, what, repo, undefined, repoType);
          if (offset > 0 && response.status !== 206) offset = 0; // the server ignored the Range: start over
          await writeBody(response.body, incomplete, offset, (receivedBytes) => options.onProgress?.({ path, receivedBytes, totalBytes }));
        }
        const finalSize = statSync(incomplete).size;
        if (totalBytes !== undefined && finalSize !== totalBytes) {
          throw new HarnessError('HUB_DOWNLOAD_INCOMPLETE', `${what}: got ${finalSize} of ${totalBytes} bytes`, { hint: 'Run the same command again to resume the download.' });
        }
        renameSync(incomplete, blob);
      }
      mkdirSync(dirname(snapshot), { recursive: true });
      if (!existsSync(snapshot)) {
        try {
          symlinkSync(relative(dirname(snapshot), blob), snapshot);
        } catch {
          copyFileSync(blob, snapshot);
        }
      }
      mkdirSync(dirname(refFile), { recursive: true });
      writeFileSync(refFile, commit);
      return snapshot;
    },
  };
}

async function writeBody(body: ReadableStream<Uint8Array>, path: string, offset: number, onBytes: (receivedBytes: number) => void): Promise<void> {
  const output = createWriteStream(path, { flags: offset > 0 ? 'a' : 'w' });
  let received = offset;
  const finished = new Promise<void>((resolvePromise, reject) => {
    output.on('finish', resolvePromise);
    output.on('error', reject);
  });
  try {
    const reader = body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!output.write(value)) await new Promise<void>((resolveDrain) => output.once('drain', resolveDrain));
      received += value.byteLength;
      onBytes(received);
    }
  } catch (error) {
    output.end();
    await finished.catch(() => undefined);
    throw new HarnessError('HUB_DOWNLOAD_INTERRUPTED', `download of ${path.split('/').at(-1)} stopped after ${received} bytes`, {
      hint: 'Run the same command again: the download resumes from where it stopped.',
      cause: error,
    });
  }
  output.end();
  await finished;
}
