/**
 * Run names become folder names under the output folder (`reports/<name>/`): a name must stay one
 * folder inside it, so `..`, absolute paths and slashes are refused before anything is written.
 */
import { relative, resolve, sep, isAbsolute } from 'node:path';
import { ConfigError } from '../core/errors.ts';

/** Longest run name, characters (far below the 255-byte file-name limit of common file systems). */
export const MAX_RUN_NAME_LENGTH = 100;

const allowed = /^[A-Za-z0-9._-]+$/;

/**
 * Checks that `name` is a safe run name: letters, digits and `. _ -`, at most MAX_RUN_NAME_LENGTH
 * characters, not `.` or `..`, and resolving to a direct child of `outputDir`. Throws a
 * ConfigError `RUN_NAME_UNSAFE` naming the name otherwise. `source` names where it came from
 * (a config file, `--name`). Returns the run folder's absolute path.
 */
export function checkRunName(name: string, outputDir: string, source: string): string {
  const problem = runNameProblem(name);
  if (problem === undefined) {
    const folder = resolve(outputDir, name);
    const inside = relative(resolve(outputDir), folder);
    if (inside !== '' && !inside.startsWith('..') && !isAbsolute(inside) && !inside.includes(sep)) return folder;
  }
  throw new ConfigError('RUN_NAME_UNSAFE', `${source}: run name ${JSON.stringify(name)} ${problem ?? 'does not name a folder inside the output folder'}`, {
    hint: `A run name is one folder inside ${outputDir}: use letters, digits and . _ - only (at most ${MAX_RUN_NAME_LENGTH} characters), e.g. "math500-llama-8b"; set outputDir (or --out) to write elsewhere.`,
  });
}

function runNameProblem(name: string): string | undefined {
  if (name === '' ) return 'is empty';
  if (name === '.' || name === '..') return 'would resolve outside the output folder';
  if (name.length > MAX_RUN_NAME_LENGTH) return `is longer than ${MAX_RUN_NAME_LENGTH} characters`;
  if (!allowed.test(name)) return 'holds characters other than letters, digits and . _ - (a slash or an absolute path would leave the output folder)';
  return undefined;
}
