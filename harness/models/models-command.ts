/** `scaling-bench models pull|list`: GGUF models for the embedded engine, in the Hub cache. */
import { defaultHubCacheDir } from '../datasets/locate.ts';
import { formatMegabytes } from './download-progress.ts';
import { listCachedModels } from './list-models.ts';
import { pullModel } from './pull-model.ts';

/** Streams and environment the commands use. */
export interface ModelsCommandDeps {
  /** Standard output. */
  stdout: { write(text: string): unknown };
  /** Standard error (the progress bar). */
  stderr: { write(text: string): unknown };
  /** Environment: HF_HUB_CACHE / HF_HOME, HF_TOKEN, HF_ENDPOINT. */
  env: Record<string, string | undefined>;
}

/** A one-line progress bar: `[#####.....] 52% 812.3 of 1560.0 MB`. */
function progressBar(receivedBytes: number, totalBytes: number | undefined): string {
  if (!totalBytes) return `${formatMegabytes(receivedBytes)}`;
  const fraction = Math.min(1, receivedBytes / totalBytes);
  const filled = Math.round(fraction * 30);
  return `[${'#'.repeat(filled)}${'.'.repeat(30 - filled)}] ${Math.floor(fraction * 100)}% ${formatMegabytes(receivedBytes)} of ${formatMegabytes(totalBytes)}`;
}

/** Pulls a `hf:` model into the cache with a progress bar; prints its local path. */
export async function modelsPull(ref: string, deps: ModelsCommandDeps, signal?: AbortSignal): Promise<void> {
  let lastDrawMs = 0;
  const path = await pullModel(ref, {
    cacheDir: defaultHubCacheDir(deps.env),
    endpoint: deps.env.HF_ENDPOINT,
    token: deps.env.HF_TOKEN,
    signal,
    onProgress: (progress) => {
      const nowMs = Date.now();
      if (nowMs - lastDrawMs < 200 && progress.receivedBytes !== progress.totalBytes) return;
      lastDrawMs = nowMs;
      deps.stderr.write(`\r${progress.path} ${progressBar(progress.receivedBytes, progress.totalBytes)}`);
    },
  });
  if (lastDrawMs > 0) deps.stderr.write('\n');
  deps.stdout.write(`${ref}\n  → ${path}\n`);
}

/** Lists cached GGUF models with sizes, and partial downloads. */
export function modelsList(deps: ModelsCommandDeps): void {
  const cacheDir = defaultHubCacheDir(deps.env);
  const { models, partial } = listCachedModels(cacheDir);
  if (models.length === 0 && partial.length === 0) {
    deps.stdout.write(`no GGUF models in ${cacheDir} (pull one: scaling-bench models pull hf:<owner>/<repo>/<file>.gguf)\n`);
    return;
  }
  for (const model of models) deps.stdout.write(`${formatMegabytes(model.sizeBytes).padStart(10)}  ${model.ref}\n`);
  for (const download of partial) deps.stdout.write(`${formatMegabytes(download.sizeBytes).padStart(10)}  ${download.repo} (incomplete: pull again to resume)\n`);
}
