/** run.json: the resolved config (secrets redacted), versions, times and cells of a run. */
import { existsSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { HarnessError } from '../core/errors.ts';
import type { CellInfo } from '../metrics/types.ts';

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
  sessions: Array<{ startedAt: string; finishedAt?: string; drawn: number; errors: number; outcome: string }>;
  /** Where the samples came from when imported (format, source), for imported runs. */
  imported?: { format: string; source: string; importedAt: string };
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

/** Writes run.json atomically (write to a temporary file, then rename). */
export function writeManifest(runDir: string, manifest: RunManifest): void {
  const path = join(runDir, MANIFEST_FILE);
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(temporary, path);
}
