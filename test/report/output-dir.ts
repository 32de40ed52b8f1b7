/** Where the report tests write what a person may want to look at (git-ignored). */
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** test-output/report under the checkout, created if missing. */
export function reportOutputDir(): string {
  const dir = resolve(import.meta.dirname, '../../test-output/report');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** An empty directory test-output/report/<name> (emptied first, so runs do not pile up). Names must be unique across tests. */
export function freshOutputDir(name: string): string {
  const dir = join(reportOutputDir(), name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}
