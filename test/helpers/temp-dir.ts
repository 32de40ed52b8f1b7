/**
 * Temporary folders for tests: created under os.tmpdir() and removed after the test file
 * (test/helpers/remove-temp-dirs.ts registers the removal for every test file).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const created = new Set<string>();

/** A new empty folder under os.tmpdir(), named `<prefix>XXXXXX`; removed when the test file ends. */
export function tempDir(prefix = 'sb-test-'): string {
  const path = mkdtempSync(join(tmpdir(), prefix));
  created.add(path);
  return path;
}

/** Removes every folder tempDir created so far (called after each test file). */
export function removeTempDirs(): void {
  for (const path of created) rmSync(path, { recursive: true, force: true });
  created.clear();
}
