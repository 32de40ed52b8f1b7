/** Where tests and benchmarks find the shared datasets (never copied into the project). */
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

/** True when the shared datasets are present (they are in CI and on developer machines). */
export function hasSharedData(): boolean {
  return existsSync(sharedDataDir());
}
