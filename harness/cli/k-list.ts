/** The `--k` option of `report` and `import`: a comma-separated list of sample counts. */
import { ConfigError } from '../core/errors.ts';

/**
 * Parses `1,10,100` into ascending, distinct positive integers.
 *
 * @throws ConfigError `K_LIST_INVALID` naming the bad entry
 */
export function parseKList(text: string): number[] {
  const parts = text.split(',').map((part) => part.trim()).filter((part) => part !== '');
  const bad = parts.find((part) => !/^\d+$/.test(part) || Number(part) < 1);
  if (parts.length === 0 || bad !== undefined) {
    throw new ConfigError('K_LIST_INVALID', `--k ${JSON.stringify(text)} is not a list of positive integers${bad === undefined ? '' : ` ('${bad}')`}`, {
      hint: 'Write the k values separated by commas, e.g. --k 1,10,100.',
    });
  }
  return [...new Set(parts.map(Number))].sort((left, right) => left - right);
}
