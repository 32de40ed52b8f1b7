/**
 * Finds a dataset file: first in the local datasets folder (SCALING_BENCH_DATA, laid out as
 * `<dataset>/<file>`), then in the Hugging Face hub cache (a snapshot of the dataset's Hub repo).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DatasetError } from '../core/errors.ts';
import type { DatasetLocations } from './types.ts';

/** Where a built-in dataset's file lives. */
export interface DatasetFileSpec {
  /** Dataset folder name in the local datasets folder, e.g. `math500`. */
  folder: string;
  /** File name in that folder, e.g. `test.jsonl`. */
  file: string;
  /** Hub dataset repo, e.g. `HuggingFaceH4/MATH-500`. */
  hubRepo?: string;
  /** Path of the file inside the Hub repo, e.g. `test.jsonl`. */
  hubPath?: string;
  /** Revision the file is read at (default `main`; `refs/convert/parquet` for the Hub's parquet conversion). */
  hubRevision?: string;
}

/** Default Hugging Face hub cache folder, from an environment map (HF_HUB_CACHE, HF_HOME, XDG_CACHE_HOME). */
export function defaultHubCacheDir(env: Record<string, string | undefined>): string {
  if (env.HF_HUB_CACHE) return env.HF_HUB_CACHE;
  if (env.HF_HOME) return join(env.HF_HOME, 'hub');
  return join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'huggingface', 'hub');
}

/** scaling-bench's own cache folder (derived files such as CodeContests' per-problem tests): SCALING_BENCH_CACHE, else XDG_CACHE_HOME or ~/.cache, `scaling-bench`. */
export function defaultCacheDir(env: Record<string, string | undefined>): string {
  if (env.SCALING_BENCH_CACHE) return env.SCALING_BENCH_CACHE;
  return join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'scaling-bench');
}

/** Locations from the environment: SCALING_BENCH_DATA, the hub cache and scaling-bench's own cache. */
export function locationsFromEnv(env: Record<string, string | undefined>): DatasetLocations {
  return {
    ...(env.SCALING_BENCH_DATA ? { dataDir: env.SCALING_BENCH_DATA } : {}),
    hubCacheDir: defaultHubCacheDir(env),
    cacheDir: defaultCacheDir(env),
  };
}

/** Path of a Hub repo file in the hub cache (newest snapshot holding it), or undefined. */
export function findInHubCache(hubCacheDir: string, repo: string, path: string): string | undefined {
  const snapshots = join(hubCacheDir, `datasets--${repo.replaceAll('/', '--')}`, 'snapshots');
  if (!existsSync(snapshots)) return undefined;
  const candidates = readdirSync(snapshots)
    .map((name) => join(snapshots, name, path))
    .filter((candidate) => existsSync(candidate))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return candidates[0];
}

/** Resolves a dataset file or throws a DatasetError saying how to get it. */
export function locateDatasetFile(spec: DatasetFileSpec, locations: DatasetLocations): string {
  const tried: string[] = [];
  if (locations.dataDir) {
    const local = join(locations.dataDir, spec.folder, spec.file);
    if (existsSync(local)) return local;
    tried.push(local);
  }
  if (locations.hubCacheDir && spec.hubRepo) {
    const cached = findInHubCache(locations.hubCacheDir, spec.hubRepo, spec.hubPath ?? spec.file);
    if (cached) return cached;
    tried.push(join(locations.hubCacheDir, `datasets--${spec.hubRepo.replaceAll('/', '--')}`));
  }
  throw new DatasetError('DATASET_MISSING', `dataset '${spec.folder}' not found (looked in: ${tried.join(', ') || 'nowhere'})`, {
    hint:
      `Run \`scaling-bench datasets prepare ${spec.folder}\` to download it from the Hugging Face Hub` +
      `${spec.hubRepo ? ` (${spec.hubRepo})` : ''}, or set SCALING_BENCH_DATA to a folder holding ${spec.folder}/${spec.file}.`,
  });
}
