/**
 * Downloads a GGUF model file from the Hub into the Hugging Face cache layout
 * (`models--owner--name/blobs/<etag>`, `snapshots/<commit>/<file>`, `refs/<revision>`), with
 * progress callbacks and resume after a cut (HTTP Range on `blobs/<etag>.incomplete`). A file
 * already cached is found without a network call. The transfer itself is the dataset Hub client's.
 */
import { createHubClient, type DownloadProgress } from '../datasets/hub-client.ts';
import { parseHubModelRef } from './model-ref.ts';

/** Where and how to pull. */
export interface PullOptions {
  /** Hub cache folder (defaultHubCacheDir(env)). */
  cacheDir: string;
  /** Hub base URL (default `https://huggingface.co`; HF_ENDPOINT or a test server). */
  endpoint?: string | undefined;
  /** Access token for gated or private repos; never logged. */
  token?: string | undefined;
  /** fetch implementation (default globalThis.fetch). */
  fetch?: typeof fetch | undefined;
  /** Called as bytes arrive. */
  onProgress?: ((progress: DownloadProgress) => void) | undefined;
  /** Cancels the download (a later pull resumes it). */
  signal?: AbortSignal | undefined;
}

/** Downloads (or finds in the cache) the file of a `hf:` reference; returns its local path. */
export async function pullModel(ref: string, options: PullOptions): Promise<string> {
  const { repo, path, revision } = parseHubModelRef(ref);
  const client = createHubClient({
    cacheDir: options.cacheDir,
    repoType: 'model',
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.token === undefined ? {} : { token: options.token }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  });
  return client.downloadFile(repo, path, revision, options.signal);
}
