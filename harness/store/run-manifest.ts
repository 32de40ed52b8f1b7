/** run.json: the resolved config (secrets redacted), versions, times and cells of a run. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HarnessError } from '../core/errors.ts';
import type { CellInfo } from '../metrics/types.ts';
import { writeFileAtomic } from './atomic-file.ts';
import type { StoreFs } from './store-fs.ts';

/** File name of the manifest inside a run directory. */
export const MANIFEST_FILE = 'run.json';

/** What run.json holds. */
export interface RunManifest {
  /** Manifest schema version. */
  version: 1;
  /** Run name. */
  name: string;
  /** Resolved config with every default filled; secrets never appear. */
  config: Record<string, unknown>;
  /** Cells of the sweep. */
  cells: CellInfo[];
  /** scaling-bench, node and key library versions. */
  versions: Record<string, string>;
  /** ISO time the run first started. */
  startedAt: string;
  /** ISO time of the last completed (or interrupted) session of the run. */
  finishedAt?: string;
  /** Per session: start, end, samples drawn, how it ended. */
  sessions: RunSession[];
  /** Where the samples came from when imported (format, source), for imported runs. */
  imported?: { format: string; source: string; importedAt: string };
}

/** One session of a run (one `run` command). */
export interface RunSession {
  /** ISO time the session started. */
  startedAt: string;
  /** ISO time it ended (absent for a session that was lost without recording its end). */
  finishedAt?: string;
  /** Samples drawn (ok). */
  drawn: number;
  /** Samples that failed after retries. */
  errors: number;
  /** `running` while it runs; then `completed`, `failed` or `interrupted`. */
  outcome: string;
  /** Why a failed or interrupted session ended: the error's code and message. */
  error?: { code: string; message: string };
}

/** Reads run.json of a run directory. */
export function readManifest(runDir: string): RunManifest {
  const path = join(runDir, MANIFEST_FILE);
  if (!existsSync(path)) {
    throw new HarnessError('RUN_NOT_FOUND', `no ${MANIFEST_FILE} in ${runDir}`, {
      hint: 'Pass a run directory written by `scaling-bench run` or `scaling-bench import` (e.g. reports/quickstart).',
      exitCode: 2,
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new HarnessError('RUN_MANIFEST_INVALID', `${path} is not valid JSON (${error instanceof Error ? error.message : String(error)})`, { hint: `Restore run.json from a backup, or delete it and run the same config again: samples.jsonl is kept and resumed.`, exitCode: 2, cause: error });
  }
  if (typeof value !== 'object' || value === null || (value as { version?: unknown }).version !== 1) {
    throw new HarnessError('RUN_MANIFEST_INVALID', `${path} is not a scaling-bench run manifest (version 1)`, { exitCode: 2 });
  }
  return value as RunManifest;
}

/** Writes run.json atomically (temporary file, fsync, rename; removed on failure). */
export function writeManifest(runDir: string, manifest: RunManifest, options: { fs?: StoreFs } = {}): void {
  writeFileAtomic(join(runDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, { ...options, errorCode: 'RUN_MANIFEST_WRITE_FAILED' });
}

/** The code and message a session records for the error that ended it. */
function sessionError(error: unknown): { code: string; message: string } {
  if (error instanceof HarnessError) return { code: error.code, message: error.message };
  return { code: 'UNEXPECTED', message: error instanceof Error ? error.message : String(error) };
}

/**
 * Ends every session still marked `running` in run.json (if there is one): with `outcome` and the
 * error that ended it. Called with the run folder's lock held, so no such session is alive:
 * - before a new session, for sessions of processes that were killed (`interrupted`, SESSION_LOST);
 * - when a session throws, for the session itself (`failed`, or `interrupted` for an interrupt).
 * Returns how many sessions it ended. Best effort when ending a throwing session: the original
 * error matters more than a failure to record it.
 */
export function endOpenSessions(runDir: string, outcome: 'failed' | 'interrupted', error: unknown, now: () => Date = () => new Date()): number {
  if (!existsSync(join(runDir, MANIFEST_FILE))) return 0;
  const manifest = readManifest(runDir);
  const open = manifest.sessions.filter((session) => session.outcome === 'running');
  if (open.length === 0) return 0;
  for (const session of open) {
    session.outcome = outcome;
    session.error = sessionError(error);
  }
  const finishedAt = now().toISOString();
  const last = manifest.sessions.at(-1);
  if (last && open.includes(last) && outcome === 'failed') last.finishedAt = finishedAt;
  writeManifest(runDir, manifest);
  return open.length;
}

/** Records a session that threw as `failed` (or `interrupted` for an interrupt); never throws itself. */
export function endThrowingSession(runDir: string, error: unknown): void {
  try {
    endOpenSessions(runDir, error instanceof HarnessError && error.code === 'INTERRUPTED' ? 'interrupted' : 'failed', error);
  } catch {
    // run.json cannot be written either (disk full): the error being thrown says why.
  }
}

/** The error a killed session is recorded with. */
export const SESSION_LOST = new HarnessError('SESSION_LOST', 'the process ended without recording how (killed, or its machine stopped); the samples it stored are kept', {
  hint: 'Nothing to do: the next `run` continued where it stopped.',
});
