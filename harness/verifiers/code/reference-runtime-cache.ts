/**
 * The cache of measured reference runtimes, kept with the datasets' other derived files in
 * scaling-bench's cache folder: `<cacheDir>/reference-runtimes/<dataset>.json`, one entry per
 * problem, valid only while its key (a hash of the problem's prompt, reference solution, tests and
 * entry point) matches. A missing or damaged cache file is empty (the runtimes are measured again).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../core/atomic-file.ts';
import type { CodeTask } from '../../core/types.ts';

const cacheEntry = z.object({
  key: z.string(),
  status: z.enum(['passed', 'failed', 'no-reference']),
  runtimeMs: z.number().nonnegative().nullable(),
  reason: z.string().optional(),
});

/** One problem's cached measurement. */
export type RuntimeCacheEntry = z.infer<typeof cacheEntry>;

const cacheFile = z.object({ version: z.literal(1), problems: z.record(z.string(), cacheEntry) });

/** The hash a cached runtime is valid for: what the measured program is made of. */
export function referenceKey(task: CodeTask): string {
  const parts = [task.prompt, task.canonicalSolution ?? '', task.test, task.entryPoint, task.setup ?? ''];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

/** The cache file of a dataset; ids with characters unsafe in a file name are spelt safely (plus a hash, so two ids never share a file). */
export function runtimeCachePath(cacheDir: string, datasetId: string): string {
  const safe = datasetId.replace(/[^A-Za-z0-9._-]/g, '_');
  const name = safe === datasetId ? safe : `${safe}-${createHash('sha256').update(datasetId).digest('hex').slice(0, 8)}`;
  return join(cacheDir, 'reference-runtimes', `${name}.json`);
}

/** The cached entries by problem id; empty when the file is missing or damaged. */
export function readRuntimeCache(path: string): Map<string, RuntimeCacheEntry> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return new Map();
  }
  try {
    const parsed = cacheFile.safeParse(JSON.parse(text));
    return parsed.success ? new Map(Object.entries(parsed.data.problems)) : new Map();
  } catch {
    return new Map();
  }
}

/** Replaces the cache file with `entries` (atomically: a reader sees the previous or the new version). */
export function writeRuntimeCache(path: string, entries: ReadonlyMap<string, RuntimeCacheEntry>): void {
  mkdirSync(join(path, '..'), { recursive: true });
  const problems = Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  writeFileAtomic(path, `${JSON.stringify({ version: 1, problems }, null, 1)}\n`);
}
