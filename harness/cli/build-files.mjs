// What the compiled build (dist/) is made of, and whether it is fresh: shared by build.mjs and bin.mjs.
// Plain JavaScript so that it runs before anything is compiled.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root (two folders up from this file). */
export const packageRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The build folder: a sibling of harness/ at the same depth, so a compiled file finds
 * package.json, datasets/ and node_modules at the same relative paths as its source does.
 */
export const buildDirName = 'dist';

/** The stamp written last by a build: `{ builtAtMs, sources }`. */
export const stampName = 'build.json';

/** Relative paths (with '/') of every file under harness/, split into TypeScript sources and other files. */
export function listHarnessFiles(root = packageRoot) {
  const harness = join(root, 'harness');
  const sources = [];
  const others = [];
  for (const entry of readdirSync(harness, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = relative(harness, join(entry.parentPath, entry.name)).split('\\').join('/');
    if (path.endsWith('.ts') && !path.endsWith('.d.ts')) sources.push(path);
    else others.push(path);
  }
  return { sources: sources.sort(), others: others.sort() };
}

/**
 * True when dist/ holds a complete build newer than every TypeScript source under harness/
 * (same number of sources, none modified after the build started). About 200 stat calls.
 */
export function isBuildFresh(root = packageRoot) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(root, buildDirName, stampName), 'utf8'));
  } catch {
    return false;
  }
  if (typeof stamp?.builtAtMs !== 'number' || typeof stamp?.sources !== 'number') return false;
  const { sources } = listHarnessFiles(root);
  if (sources.length !== stamp.sources) return false;
  for (const path of sources) if (statSync(join(root, 'harness', path)).mtimeMs > stamp.builtAtMs) return false;
  return true;
}
