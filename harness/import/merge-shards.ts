/**
 * `mergeShards`: the shards of one config (`<run>/shards/<I>-of-<N>/`, drawn by `run --shard`) merged
 * into the run folder itself, streaming: memory is one bit per sample slot. The samples count and
 * every setting come from the shards' manifests (all must agree, whatever order they are found
 * in); a missing shard, a problem short of samples, or a record dropped is named and makes the
 * merge fail (exit 1) after writing what it has.
 */
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { HarnessError } from '../core/errors.ts';
import type { CellInfo } from '../metrics/types.ts';
import { createSlotBits } from '../run/slot-bits.ts';
import { SHARDS_FOLDER } from '../run/shard.ts';
import { openProblemsWriter, readProblemsFile } from '../store/problems-file.ts';
import { readManifest, writeManifest, type RunManifest } from '../store/run-manifest.ts';
import { acquireRunLock, type RunLock } from '../store/run-lock.ts';
import { openSampleLog, readSampleLog, SAMPLES_FILE } from '../store/sample-log.ts';

/** What a shard merge did. */
export interface ShardMergeSummary {
  /** The run folder merged into. */
  runDir: string;
  /** Number of shards of the config. */
  shards: number;
  /** Shard folders found, in shard order. */
  found: string[];
  /** Samples per problem (from the manifests). */
  samples: number;
  /** Records read and written. */
  read: number;
  written: number;
  /** Records dropped, by reason (`duplicate slot`, `index past samples`). */
  dropped: Record<string, number>;
  /** Shards missing (`2-of-4`). */
  missingShards: string[];
  /** Cell × problem with fewer ok samples than `samples` (at most 20 listed). */
  incomplete: Array<{ shard: string; cell: string; problem: string; samples: number }>;
  /** Number of incomplete cell × problem pairs in all. */
  incompleteCount: number;
}

/** Settings that may differ between shards: where they ran, not what they drew. */
const MACHINE_SETTINGS = new Set(['shard', 'shards', 'endpoints', 'concurrency', 'retry', 'outputDir', 'fingerprints']);

/** Whether a folder holds shards (`<dir>/shards/<I>-of-<N>/run.json`). */
export function hasShards(runDir: string): boolean {
  const folder = join(runDir, SHARDS_FOLDER);
  return existsSync(folder) && readdirSync(folder).some((name) => /^\d+-of-\d+$/.test(name) && existsSync(join(folder, name, 'run.json')));
}

/**
 * Merges `<runDir>/shards/*` into `<runDir>` (samples.jsonl, problems.jsonl, run.json), holding the
 * locks of the run folder and of every shard (a shard still drawing gives RUN_LOCKED).
 */
export async function mergeShards(runDir: string, options: { now?: () => Date } = {}): Promise<ShardMergeSummary> {
  const shards = findShards(runDir);
  const locks: RunLock[] = [];
  try {
    locks.push(acquireRunLock(runDir, { command: 'merge' }));
    for (const shard of shards) locks.push(acquireRunLock(shard.dir, { command: 'merge' }));
    return await mergeLocked(runDir, shards, options);
  } finally {
    for (const lock of locks.reverse()) lock.release();
  }
}

async function mergeLocked(runDir: string, shards: FoundShard[], options: { now?: () => Date }): Promise<ShardMergeSummary> {
  const count = shards[0]?.count ?? 0;
  const manifests = shards.map((shard) => readManifest(shard.dir));
  checkSameSettings(shards.map((shard) => shard.name), manifests);
  const first = manifests[0] as RunManifest;
  const samples = Number((first.config.sampling as { samples?: unknown } | undefined)?.samples ?? 0);
  const present = new Set(shards.map((shard) => shard.index));
  const summary: ShardMergeSummary = {
    runDir,
    shards: count,
    found: shards.map((shard) => shard.name),
    samples,
    read: 0,
    written: 0,
    dropped: {},
    missingShards: Array.from({ length: count }, (_, index) => index).filter((index) => !present.has(index)).map((index) => `${index}-of-${count}`),
    incomplete: [],
    incompleteCount: 0,
  };
  const temporary = join(runDir, `${SAMPLES_FILE}.merge-${process.pid}`);
  const log = openSampleLog(temporary, { flushEvery: 1024 });
  const drop = (reason: string): void => {
    summary.dropped[reason] = (summary.dropped[reason] ?? 0) + 1;
  };
  try {
    for (const shard of shards) {
      const slots = createSlotBits(samples);
      for await (const record of readSampleLog(join(shard.dir, SAMPLES_FILE))) {
        summary.read += 1;
        if (record.status === 'ok') {
          if (!Number.isInteger(record.index) || record.index < 0 || record.index >= samples) {
            drop('index past samples');
            continue;
          }
          if (!slots.set(record.cell, record.problem, record.index)) {
            drop('duplicate slot');
            continue;
          }
        }
        log.append(record);
        summary.written += 1;
      }
      checkComplete(shard, manifests[shards.indexOf(shard)] as RunManifest, slots, summary);
    }
    log.close();
    renameSync(temporary, join(runDir, SAMPLES_FILE));
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  writeMergedProblems(runDir, shards.map((shard) => shard.dir));
  writeMergedManifest(runDir, manifests, count, (options.now ?? (() => new Date()))().toISOString());
  return summary;
}

/** True when the merge dropped or missed anything (the CLI exits 1). */
export function mergeLostSomething(summary: ShardMergeSummary): boolean {
  return summary.missingShards.length > 0 || summary.incompleteCount > 0 || Object.keys(summary.dropped).length > 0;
}

interface FoundShard {
  name: string;
  dir: string;
  index: number;
  count: number;
}

function findShards(runDir: string): FoundShard[] {
  const folder = join(runDir, SHARDS_FOLDER);
  const shards: FoundShard[] = [];
  for (const name of existsSync(folder) ? readdirSync(folder) : []) {
    const match = /^(\d+)-of-(\d+)$/.exec(name);
    if (match && existsSync(join(folder, name, 'run.json'))) shards.push({ name, dir: join(folder, name), index: Number(match[1]), count: Number(match[2]) });
  }
  if (shards.length === 0) {
    throw new HarnessError('MERGE_NO_SHARDS', `${folder} holds no shard folders (<I>-of-<N> with a run.json)`, {
      hint: 'Draw the shards first: `scaling-bench run <config> --shard I/N` for each I.',
      exitCode: 2,
    });
  }
  const counts = [...new Set(shards.map((shard) => shard.count))].sort((a, b) => a - b);
  if (counts.length > 1) {
    throw new HarnessError('MERGE_SHARD_COUNTS_DIFFER', `${folder} holds shards of different splits: ${counts.map((count) => `of ${count}`).join(', ')}`, {
      hint: 'Keep the shards of one split (one N) in the folder and move the others away.',
      exitCode: 2,
    });
  }
  return shards.sort((a, b) => a.index - b.index);
}

/** Refuses shards whose sampling settings differ, naming the first setting that does. */
function checkSameSettings(names: string[], manifests: RunManifest[]): void {
  const reference = flatten(manifests[0]?.config ?? {});
  manifests.forEach((manifest, position) => {
    const other = flatten(manifest.config);
    for (const key of [...new Set([...reference.keys(), ...other.keys()])].sort()) {
      if (reference.get(key) === other.get(key)) continue;
      throw new HarnessError('MERGE_SETTINGS_DIFFER', `shard ${names[position]} was drawn with ${key} = ${other.get(key) ?? '(unset)'}, shard ${names[0]} with ${reference.get(key) ?? '(unset)'}`, {
        hint: 'Shards merge only when drawn from one config; run the odd shard again with the same config (delete its folder first).',
        exitCode: 2,
      });
    }
  });
}

/** Config as `path = JSON value` pairs, leaving out machine settings (endpoints, concurrency, ...). */
function flatten(value: unknown, path = '', into = new Map<string, string>()): Map<string, string> {
  if (typeof value === 'object' && value !== null && !(Array.isArray(value) && value.every((entry) => typeof entry !== 'object'))) {
    for (const [key, entry] of Object.entries(value)) {
      if (MACHINE_SETTINGS.has(key)) continue;
      flatten(entry, path === '' ? key : `${path}.${key}`, into);
    }
  } else into.set(path, JSON.stringify(value));
  return into;
}

/** Names the cell × problem pairs of a shard short of samples. */
function checkComplete(shard: FoundShard, manifest: RunManifest, slots: ReturnType<typeof createSlotBits>, summary: ShardMergeSummary): void {
  const problems = [...readProblemsFile(shard.dir).values()];
  for (const cell of manifest.cells) {
    for (const problem of problems.filter((entry) => entry.dataset === cell.dataset)) {
      const stored = slots.count(cell.id, [problem.id]);
      if (stored >= summary.samples) continue;
      summary.incompleteCount += 1;
      if (summary.incomplete.length < 20) summary.incomplete.push({ shard: shard.name, cell: cell.id, problem: problem.id, samples: stored });
    }
  }
}

function writeMergedProblems(runDir: string, shardDirs: string[]): void {
  const problems = openProblemsWriter(runDir);
  try {
    for (const dir of shardDirs) for (const problem of readProblemsFile(dir).values()) problems.add(problem.dataset, problem, problem.verifier, problem.timeLimit);
  } finally {
    problems.close();
  }
}

function writeMergedManifest(runDir: string, manifests: RunManifest[], count: number, now: string): void {
  const first = manifests[0] as RunManifest;
  const cells = new Map<string, CellInfo>();
  for (const manifest of manifests) for (const cell of manifest.cells) if (!cells.has(cell.id)) cells.set(cell.id, cell);
  const { shard: _shard, ...config } = first.config;
  writeManifest(runDir, {
    ...first,
    config: { ...config, merged: { shards: count } },
    cells: [...cells.values()],
    startedAt: manifests.map((manifest) => manifest.startedAt).sort()[0] ?? now,
    finishedAt: now,
    sessions: manifests.flatMap((manifest) => manifest.sessions),
  });
}
