/**
 * The GGUF files in the Hub cache: one entry per file of each `models--*` repo snapshot, with its
 * size, plus downloads left incomplete.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** A cached model file. */
export interface CachedModel {
  /** Reference that loads it: `hf:<owner>/<repo>/<file>` (with `@<commit>` when it is not the newest). */
  ref: string;
  /** Local path of the snapshot file. */
  path: string;
  /** Size in bytes. */
  sizeBytes: number;
}

/** A download left incomplete (resumed by the next pull of the same file). */
export interface PartialDownload {
  /** Model repo. */
  repo: string;
  /** Bytes on disk. */
  sizeBytes: number;
}

function filesUnder(folder: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...filesUnder(path));
    else files.push(path);
  }
  return files;
}

/** Lists the cached GGUF models and partial downloads under `cacheDir`, sorted by reference. */
export function listCachedModels(cacheDir: string): { models: CachedModel[]; partial: PartialDownload[] } {
  const models: CachedModel[] = [];
  const partial: PartialDownload[] = [];
  if (!existsSync(cacheDir)) return { models, partial };
  for (const folder of readdirSync(cacheDir).filter((name) => name.startsWith('models--')).sort()) {
    const repo = folder.slice('models--'.length).replace('--', '/');
    const repoFolder = join(cacheDir, folder);
    const snapshots = join(repoFolder, 'snapshots');
    const mainCommit = existsSync(join(repoFolder, 'refs', 'main')) ? readFileTrim(join(repoFolder, 'refs', 'main')) : undefined;
    if (existsSync(snapshots)) {
      for (const commit of readdirSync(snapshots)) {
        for (const file of filesUnder(join(snapshots, commit)).filter((path) => path.toLowerCase().endsWith('.gguf'))) {
          const suffix = commit === mainCommit ? '' : `@${commit}`;
          models.push({ ref: `hf:${repo}/${relative(join(snapshots, commit), file)}${suffix}`, path: file, sizeBytes: statSync(file).size });
        }
      }
    }
    const blobs = join(repoFolder, 'blobs');
    if (existsSync(blobs)) {
      for (const blob of readdirSync(blobs).filter((name) => name.endsWith('.incomplete'))) partial.push({ repo, sizeBytes: statSync(join(blobs, blob)).size });
    }
  }
  models.sort((a, b) => a.ref.localeCompare(b.ref));
  return { models, partial };
}

function readFileTrim(path: string): string {
  return readFileSync(path, 'utf8').trim();
}
