/**
 * `mergeRuns`: several run directories of one config (shards drawn on different machines) merged
 * into one run directory. Duplicate samples are detected, reported and written once:
 * - the same cell/problem/index in two inputs: kept once (a different text under the same slot is
 *   reported as a conflict; the first input wins);
 * - the same text for the same cell/problem under a different index in another input (a shard that
 *   re-drew the same request): kept once. Identical texts inside one input are independent draws
 *   of that run and are all kept.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, HarnessError } from '../core/errors.ts';
import type { CellInfo } from '../metrics/types.ts';
import { readManifest, writeManifest, type RunManifest } from '../store/run-manifest.ts';
import { openProblemsWriter, readProblemsFile } from '../store/problems-file.ts';
import { openSampleLog, readSampleLog, sampleKey, sampleLogExists, SAMPLES_FILE } from '../store/sample-log.ts';
import { writeFileAtomic } from '../store/atomic-file.ts';
import { acquireRunLock } from '../store/run-lock.ts';

/** File name of the merge report inside the merged run directory. */
export const MERGE_REPORT_FILE = 'merge.json';

/** One duplicate found while merging. */
export interface MergeDuplicate {
  /** `same-index`: the slot was already filled with the same text; `conflict`: filled with another text; `same-text`: identical text under another index from another input. */
  kind: 'same-index' | 'conflict' | 'same-text';
  /** Cell id. */
  cell: string;
  /** Problem id. */
  problem: string;
  /** Index of the skipped record. */
  index: number;
  /** Input run directory the skipped record came from. */
  run: string;
  /** Index of the record that was kept (same-text: the earlier one). */
  keptIndex: number;
}

/** What a merge did. */
export interface MergeSummary {
  /** The merged run directory. */
  outDir: string;
  /** Input run directories, in order. */
  runs: string[];
  /** Records read from all inputs. */
  read: number;
  /** Records written. */
  written: number;
  /** Per input: records read and written. */
  perRun: Array<{ run: string; read: number; written: number }>;
  /** Every duplicate skipped. */
  duplicates: MergeDuplicate[];
}

/** The parts of a config that must agree for runs to merge (everything but the sample count). */
function configShape(manifest: RunManifest): string {
  const { sampling, ...rest } = manifest.config as { sampling?: Record<string, unknown> } & Record<string, unknown>;
  const { samples: _samples, ...samplingRest } = sampling ?? {};
  void _samples;
  return stableStringify({ datasets: rest.datasets ?? null, models: rest.models ?? null, sampling: samplingRest });
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableStringify((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function textHash(cell: string, problem: string, text: string): string {
  return createHash('sha1').update(cell).update('\u0000').update(problem).update('\u0000').update(text).digest('base64');
}

/** Merges run directories into `outDir` (which must not hold a run yet). */
export async function mergeRuns(runDirs: string[], outDir: string, options: { now?: () => Date } = {}): Promise<MergeSummary> {
  if (runDirs.length < 2) {
    throw new ConfigError('MERGE_USAGE', `merge needs at least two run directories (got ${runDirs.length})`, { hint: 'scaling-bench merge <run-dir> <run-dir>... --out <dir>' });
  }
  const manifests = runDirs.map((dir) => readManifest(dir));
  const first = manifests[0] as RunManifest;
  const shape = configShape(first);
  for (const [position, manifest] of manifests.entries()) {
    if (configShape(manifest) !== shape) {
      throw new ConfigError('MERGE_CONFIG_MISMATCH', `${runDirs[position]} was run with a different config than ${runDirs[0]} (datasets, models or sampling differ)`, {
        hint: 'Only shards of the same config merge; use `scaling-bench compare` to put different runs side by side.',
      });
    }
  }
  const target = resolve(outDir);
  mkdirSync(target, { recursive: true });
  const lock = acquireRunLock(target, { command: 'merge' });
  try {
    return await mergeLocked(runDirs, target, manifests, options);
  } finally {
    lock.release();
  }
}

async function mergeLocked(runDirs: string[], target: string, manifests: RunManifest[], options: { now?: () => Date }): Promise<MergeSummary> {
  const first = manifests[0] as RunManifest;
  const samplesPath = join(target, SAMPLES_FILE);
  if (sampleLogExists(samplesPath)) {
    throw new HarnessError('MERGE_OUT_EXISTS', `${samplesPath} already exists`, { hint: 'Merge into a new folder (--out).', exitCode: 2 });
  }
  // slot → (input number, text hash, index): enough to tell duplicates from conflicts without keeping texts.
  const slots = new Map<string, string>();
  const texts = new Map<string, { run: number; index: number }>();
  const maxIndex = new Map<string, number>();
  const summary: MergeSummary = { outDir: target, runs: runDirs.map((dir) => resolve(dir)), read: 0, written: 0, perRun: [], duplicates: [] };
  const log = openSampleLog(samplesPath, { flushEvery: 1024, compress: manifests.some((manifest) => manifest.config.compressSamples === true) });
  try {
    for (const [position, runDir] of runDirs.entries()) {
      const counts = { run: resolve(runDir), read: 0, written: 0 };
      for await (const record of readSampleLog(join(runDir, SAMPLES_FILE))) {
        counts.read += 1;
        const key = sampleKey(record.cell, record.problem, record.index);
        const hash = record.status === 'ok' && record.text !== undefined ? textHash(record.cell, record.problem, record.text) : `error:${key}`;
        const filled = slots.get(key);
        if (filled !== undefined) {
          summary.duplicates.push({ kind: filled === hash ? 'same-index' : 'conflict', cell: record.cell, problem: record.problem, index: record.index, run: counts.run, keptIndex: record.index });
          continue;
        }
        const earlier = texts.get(hash);
        if (earlier !== undefined && earlier.run !== position) {
          summary.duplicates.push({ kind: 'same-text', cell: record.cell, problem: record.problem, index: record.index, run: counts.run, keptIndex: earlier.index });
          continue;
        }
        slots.set(key, hash);
        if (earlier === undefined) texts.set(hash, { run: position, index: record.index });
        const problemKey = `${record.cell}\u0000${record.problem}`;
        maxIndex.set(problemKey, Math.max(maxIndex.get(problemKey) ?? 0, record.index + 1));
        log.append(record);
        counts.written += 1;
      }
      summary.read += counts.read;
      summary.written += counts.written;
      summary.perRun.push(counts);
    }
  } finally {
    log.close();
  }
  const problems = openProblemsWriter(target);
  try {
    for (const runDir of runDirs) for (const problem of readProblemsFile(runDir).values()) problems.add(problem.dataset, problem, problem.verifier, problem.timeLimit);
  } finally {
    problems.close();
  }
  const now = (options.now ?? (() => new Date()))().toISOString();
  const cells = new Map<string, CellInfo>();
  for (const manifest of manifests) for (const cell of manifest.cells) if (!cells.has(cell.id)) cells.set(cell.id, cell);
  const samples = Math.max(0, ...maxIndex.values());
  const sampling = { ...((first.config.sampling as Record<string, unknown> | undefined) ?? {}), samples };
  writeManifest(target, {
    ...first,
    name: target.split(/[\\/]/).filter(Boolean).at(-1) ?? first.name,
    config: { ...first.config, sampling, merged: { from: summary.runs } },
    cells: [...cells.values()],
    startedAt: manifests.map((manifest) => manifest.startedAt).sort()[0] ?? now,
    finishedAt: now,
    sessions: manifests.flatMap((manifest) => manifest.sessions),
    imported: { format: 'merge', source: summary.runs.join(','), importedAt: now },
  });
  writeFileAtomic(join(target, MERGE_REPORT_FILE), `${JSON.stringify({ version: 1, ...summary }, null, 2)}\n`);
  return summary;
}
