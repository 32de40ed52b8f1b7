/** How the CLI prints an error: code, message and hint, scrubbed of secrets; a stack only with --verbose. */
import { DatasetError, HarnessError } from '../core/errors.ts';
import type { CliStreams } from './progress.ts';
import { harnessErrorFromSystem } from './system-error.ts';

/** Scrubs secrets from a text before it is printed (identity when there are none). */
export type Scrub = (text: string) => string;

/** Prints a HarnessError as `error [CODE]: message` and `hint: …`, scrubbed. */
export function printError(streams: CliStreams, error: HarnessError, verbose: boolean, scrub: Scrub = (text) => text): void {
  streams.stderr.write(scrub(`error [${error.code}]: ${error.message}\n`));
  if (error.hint) streams.stderr.write(scrub(`hint: ${error.hint}\n`));
  if (verbose && error.stack) streams.stderr.write(scrub(`${error.stack}\n`));
}

/**
 * Turns anything a command threw into a HarnessError: HarnessErrors as they are, operating-system
 * errors mapped with their path and a hint; undefined for a genuine bug.
 */
export function asHarnessError(error: unknown): HarnessError | undefined {
  if (error instanceof HarnessError) return error;
  return harnessErrorFromSystem(error);
}

/**
 * A missing built-in dataset, with the exact commands that fix it: set SCALING_BENCH_DATA to a
 * local datasets folder and rerun `command`, or download it with `datasets prepare`.
 */
export function withDatasetFix(error: HarnessError, env: Record<string, string | undefined>, command: string): HarnessError {
  if (error.code !== 'DATASET_MISSING') return error;
  const id = /dataset '([^']+)'/.exec(error.message)?.[1] ?? '<id>';
  const dataDir = env.SCALING_BENCH_DATA;
  const where = dataDir ? `SCALING_BENCH_DATA is ${dataDir}` : 'SCALING_BENCH_DATA is not set';
  return new DatasetError(error.code, `${error.message}; ${where}`, {
    hint:
      `Point SCALING_BENCH_DATA at a folder laid out as <dataset>/<file> (e.g. ${id}/…): \`SCALING_BENCH_DATA=/path/to/datasets ${command}\`, ` +
      `or download it from the Hugging Face Hub: \`scaling-bench datasets prepare ${id}\`.`,
    cause: error,
  });
}
