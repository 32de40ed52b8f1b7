/**
 * Shards: one config drawn by N processes (a SLURM array, a Kubernetes Indexed Job), each taking a
 * fixed part of the problems into its own run folder, `<run>/shards/<I>-of-<N>/`. Seeds are those of
 * the unsharded run (sample i of a problem has seed `seed + i` wherever it is drawn), so the union
 * of the shards is the unsharded run, sample for sample.
 */
import { join } from 'node:path';
import { ConfigError } from '../core/errors.ts';

/** Which shard a process draws. */
export interface Shard {
  /** 0-based shard number. */
  index: number;
  /** Number of shards. */
  count: number;
}

/** Folder of a run's shards. */
export const SHARDS_FOLDER = 'shards';

/** The run folder of one shard: `<runDir>/shards/<I>-of-<N>`. */
export function shardDirectory(runDir: string, shard: Shard): string {
  return join(runDir, SHARDS_FOLDER, shardName(shard));
}

/** `3-of-8`. */
export function shardName(shard: Shard): string {
  return `${shard.index}-of-${shard.count}`;
}

/**
 * Whether the problem at `position` (0-based, in the dataset's order) belongs to the shard:
 * round-robin, so shards differ in size by at most one problem per dataset.
 */
export function inShard(position: number, shard: Shard): boolean {
  return position % shard.count === shard.index;
}

/** Parses `I/N` (0 ≤ I < N). */
export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!match) throw shardError(`--shard must be I/N (e.g. 0/4), got '${text}'`);
  return checkedShard(Number(match[1]), Number(match[2]), '--shard');
}

/** Where the shard came from, for messages. */
export interface ShardRequest {
  /** `--shard I/N`. */
  shard?: string;
  /** `--shards N` (with an index from the environment). */
  shards?: number;
  /** The config's `shards:` key, when it has one. */
  configShards?: number;
}

/**
 * The shard of this process: `--shard I/N`; else a SLURM array task (`SLURM_ARRAY_TASK_ID`, with
 * N from `SLURM_ARRAY_TASK_COUNT`, index relative to `SLURM_ARRAY_TASK_MIN`); else a Kubernetes
 * Indexed Job (`JOB_COMPLETION_INDEX`, with N from `--shards` or the config). Undefined when none
 * applies (an unsharded run). An index from the environment without a count is an error.
 */
export function resolveShard(request: ShardRequest, env: Record<string, string | undefined>): Shard | undefined {
  if (request.shard !== undefined) return parseShard(request.shard);
  const count = request.shards ?? request.configShards;
  const slurmId = env.SLURM_ARRAY_TASK_ID;
  if (slurmId !== undefined && slurmId !== '') {
    const minimum = Number(env.SLURM_ARRAY_TASK_MIN ?? '0');
    const slurmCount = env.SLURM_ARRAY_TASK_COUNT === undefined ? undefined : Number(env.SLURM_ARRAY_TASK_COUNT);
    const total = count ?? slurmCount;
    if (total === undefined) throw shardError('SLURM_ARRAY_TASK_ID is set but neither SLURM_ARRAY_TASK_COUNT nor --shards gives the number of shards');
    return checkedShard(Number(slurmId) - minimum, total, 'SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN');
  }
  const kubernetesIndex = env.JOB_COMPLETION_INDEX;
  if (kubernetesIndex !== undefined && kubernetesIndex !== '') {
    if (count === undefined) throw shardError('JOB_COMPLETION_INDEX is set but the number of shards is not: pass --shards N (the Job’s completions) or set `shards:` in the config');
    return checkedShard(Number(kubernetesIndex), count, 'JOB_COMPLETION_INDEX');
  }
  if (request.shards !== undefined) throw shardError('--shards N needs a shard index: --shard I/N, SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX');
  return undefined;
}

function checkedShard(index: number, count: number, source: string): Shard {
  if (!Number.isInteger(count) || count < 1) throw shardError(`the number of shards must be a whole number ≥ 1, got ${count}`);
  if (!Number.isInteger(index) || index < 0 || index >= count) throw shardError(`shard index from ${source} must be in 0…${count - 1}, got ${index}`);
  return { index, count };
}

function shardError(message: string): ConfigError {
  return new ConfigError('SHARD_INVALID', message, {
    hint: 'Use `--shard I/N` with 0 ≤ I < N, or run as a SLURM array / Kubernetes Indexed Job (see configs/cluster/).',
  });
}
