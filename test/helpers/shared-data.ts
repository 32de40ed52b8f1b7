/**
 * Where tests and benchmarks find the shared datasets (never copied into the project), and the
 * guards of tests that need them or Chromium. In CI (CI=true) these are present by contract, so
 * a guard throws there instead of letting the tests skip: a missing folder fails CI loudly.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** The local datasets folder: $SCALING_BENCH_DATA, else ../shared/datasets beside the checkout. */
export function sharedDataDir(): string {
  return process.env.SCALING_BENCH_DATA ?? resolve(import.meta.dirname, '../../../shared/datasets');
}

/** The verifier case tables folder: beside the datasets folder. */
export function verifierCasesDir(): string {
  return resolve(sharedDataDir(), '../verifier-cases');
}

/** Where the report's browser test finds Chromium. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * True when every path exists. When one is missing: false outside CI (the caller skips its
 * tests, saying why), and an error under CI=true, where skipping would hide the missing input.
 */
export function requirePresent(what: string, paths: ReadonlyArray<string>, fix: string): boolean {
  const missing = paths.filter((path) => !existsSync(path));
  if (missing.length === 0) return true;
  if (process.env.CI === 'true') {
    throw new Error(`${what} is missing under CI=true (${missing.join(', ')}); tests that need it must not skip in CI: ${fix}`);
  }
  return false;
}

/** True when the shared datasets are present (they are in CI and on developer machines); throws under CI=true when absent. */
export function hasSharedData(): boolean {
  return requirePresent('the shared data folder', [sharedDataDir()], 'set SCALING_BENCH_DATA to the datasets folder');
}

/** True when the given shared files exist; throws under CI=true when one is absent. */
export function hasSharedFiles(paths: ReadonlyArray<string>): boolean {
  return requirePresent('shared data', paths, 'set SCALING_BENCH_DATA to the datasets folder (verifier-cases/ sits beside it)');
}

/** True when Chromium is installed; throws under CI=true when absent. */
export function hasChromium(): boolean {
  return requirePresent('Chromium', [CHROMIUM_PATH], 'install it with: apt-get install -y chromium');
}
