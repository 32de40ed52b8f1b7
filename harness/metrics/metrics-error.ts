import { HarnessError } from '../core/errors.ts';

/**
 * An error in computing a metric: a k larger than the samples a problem has, inputs of different
 * lengths, too few points for a fit. Exit code 2, because the cause is always a config or input
 * the user can change (the k list, the samples per problem).
 */
export class MetricsError extends HarnessError {
  constructor(code: string, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(code, message, { ...options, exitCode: 2 });
  }
}

/** Throws unless `value` is an integer in [min, max]; `name` is used in the message. */
export function requireInteger(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new MetricsError('METRIC_INVALID_ARGUMENT', `${name} must be an integer in [${min}, ${max}], got ${value}`, {
      hint: `Pass a whole number ${name} between ${min} and ${max}.`,
    });
  }
}

/** Throws unless all arrays have the same length; `names` label them in the message. */
export function requireSameLength(names: ReadonlyArray<string>, arrays: ReadonlyArray<{ length: number }>): void {
  const first = arrays[0]?.length ?? 0;
  if (arrays.some((array) => array.length !== first)) {
    const lengths = names.map((name, index) => `${name}: ${arrays[index]?.length ?? 0}`).join(', ');
    throw new MetricsError('METRIC_LENGTH_MISMATCH', `per-sample arrays differ in length (${lengths})`, {
      hint: 'Give one entry per sample, in the same sample order, in every array.',
    });
  }
}

/** The K_EXCEEDS_N error: a problem has fewer samples than the k asked for. */
export function kExceedsNError(k: number, n: number, problem?: string): MetricsError {
  const where = problem === undefined ? '' : ` for problem ${problem}`;
  return new MetricsError('K_EXCEEDS_N', `k = ${k} exceeds the ${n} samples available${where}; valid k are 1..${n}`, {
    hint: `Lower k to at most ${n}, or draw more samples per problem (sampling.samples) so that n >= k.`,
  });
}
