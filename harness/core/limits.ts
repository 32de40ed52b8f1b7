/**
 * Bounds on sample counts, indices and seeds, shared by the config (which refuses values past them)
 * and the sample-log reader (which refuses stored records past them).
 */

/** Largest number of samples per problem (`sampling.samples`); stored indices are below it. */
export const MAX_SAMPLES_PER_PROBLEM = 1_000_000;

/**
 * Largest base seed: sample i of a problem gets seed `seed + i`, and with i < MAX_SAMPLES_PER_PROBLEM
 * that sum stays an exact integer at most 2^53 − 1 (Number.MAX_SAFE_INTEGER), so no two indices
 * share a seed. 9,007,199,253,740,991.
 */
export const MAX_SEED = Number.MAX_SAFE_INTEGER - MAX_SAMPLES_PER_PROBLEM;

/** Whether `index` is a valid stored sample index: an integer in [0, MAX_SAMPLES_PER_PROBLEM). */
export function isValidSampleIndex(index: unknown): index is number {
  return typeof index === 'number' && Number.isInteger(index) && index >= 0 && index < MAX_SAMPLES_PER_PROBLEM;
}
