/**
 * Vitest global setup: the suite runs with its own temporary folder (TMPDIR points into a fresh
 * folder under the system one, which every test file, child process, Python and Chromium inherit),
 * and fails if anything is left in it when the suite ends. Names listed in
 * test/temp-leftovers-allowed.txt are reported but tolerated (shrink that list as owners fix them).
 * New entries straight in the system temporary folder (something that ignored TMPDIR) are listed
 * too, and fail the suite when CI=true (a CI machine runs nothing else that could make them).
 */
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

const allowListPath = resolve(import.meta.dirname, '../temp-leftovers-allowed.txt');

/** Name patterns (`*` = any characters) from the allow-list file; `#` starts a comment. */
function allowedPatterns(): RegExp[] {
  if (!existsSync(allowListPath)) return [];
  return readFileSync(allowListPath, 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line !== '')
    .map((pattern) => new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`));
}

/** Splits leftover names into allowed and not allowed. */
function classify(names: string[]): { allowed: string[]; unexpected: string[] } {
  const patterns = allowedPatterns();
  const allowed = names.filter((name) => patterns.some((pattern) => pattern.test(name)));
  return { allowed, unexpected: names.filter((name) => !allowed.includes(name)) };
}

/**
 * Vitest's own folders of transformed modules (`<tmpdir>/<nanoid>/ssr`), made lazily and removed
 * when vitest closes, after this teardown runs: not the tests' leftovers.
 */
function vitestFolders(project: unknown): Set<string> {
  const names = new Set<string>();
  const add = (path: unknown): void => {
    if (typeof path === 'string' && path !== '') names.add(basename(path));
  };
  if (typeof project === 'object' && project !== null) {
    const { tmpDir, vitest } = project as { tmpDir?: unknown; vitest?: { _tmpDir?: unknown } };
    add(tmpDir);
    add(vitest?._tmpDir);
  }
  return names;
}

export default function setup(project?: unknown): () => void {
  const systemTemp = tmpdir();
  const ownFolders = vitestFolders(project);
  const before = new Set(readdirSync(systemTemp));
  const suiteTemp = mkdtempSync(join(systemTemp, 'scaling-bench-suite-'));
  // Like /tmp: sandboxed programs run as another user and must reach their folders inside it.
  chmodSync(suiteTemp, 0o1777);
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = suiteTemp;

  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    const left = classify(readdirSync(suiteTemp).sort());
    rmSync(suiteTemp, { recursive: true, force: true });
    const outside = classify(readdirSync(systemTemp).filter((name) => !before.has(name) && name !== basename(suiteTemp) && !ownFolders.has(name)).sort());
    const problems: string[] = [];
    if (left.allowed.length > 0 || outside.allowed.length > 0) {
      process.stderr.write(`temporary files left by the suite, allowed by test/temp-leftovers-allowed.txt: ${[...left.allowed, ...outside.allowed].join(', ')}\n`);
    }
    if (left.unexpected.length > 0) problems.push(`left in the suite's temporary folder (removed now): ${left.unexpected.join(', ')}`);
    if (outside.unexpected.length > 0) {
      const message = `new in ${systemTemp} since the suite started (made by something ignoring TMPDIR, or by another process on this machine): ${outside.unexpected.join(', ')}`;
      if (process.env.CI === 'true') problems.push(message);
      else process.stderr.write(`warning: ${message}\n`);
    }
    if (problems.length > 0) throw new Error(`tests must remove the temporary files they create:\n  ${problems.join('\n  ')}`);
  };
}
