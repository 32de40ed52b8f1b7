import { MetricsError } from './metrics-error.ts';

/** The numbers the FLOPs formula needs. Without `layers` and `dModel` the attention (context) term is left out. */
export interface FlopsArchitecture {
  /** Parameters used per token (for a mixture of experts: the active parameters). */
  params: number;
  /** Transformer layers. */
  layers?: number;
  /** Hidden size (d_model). */
  dModel?: number;
}

/** Token counts of one sample, as stored in its usage. */
export interface SampleTokens {
  /** Prompt tokens of the request that produced the sample. */
  promptTokens: number;
  /** Generated tokens, thinking included. */
  completionTokens: number;
  /** Samples the request produced (n-batching): its prompt was prefilled once for all of them. Default 1. */
  requestSamples?: number;
}

function contextCoefficient(architecture: FlopsArchitecture): number {
  if (!(architecture.params > 0)) {
    throw new MetricsError('METRIC_INVALID_ARGUMENT', `architecture params must be positive, got ${architecture.params}`, {
      hint: 'Set `params` (e.g. 8.0e9) on the model in the config, or name a known `architecture`.',
    });
  }
  return architecture.layers === undefined || architecture.dModel === undefined ? 0 : architecture.layers * architecture.dModel;
}

/**
 * Inference FLOPs of one token processed with `contextTokens` tokens before it, by the Large
 * Language Monkeys formula `2·(params + 2·layers·d_model·context)`: 2 FLOPs per parameter
 * (multiply and add) plus the attention over the context.
 *
 * @param contextTokens tokens already in the context (0 for the first prompt token)
 * @returns FLOPs
 */
export function flopsPerToken(architecture: FlopsArchitecture, contextTokens: number): number {
  return 2 * (architecture.params + 2 * contextCoefficient(architecture) * contextTokens);
}

/**
 * FLOPs of `tokenCount` consecutive tokens, the first at position `firstPosition` (the token at
 * position i has i tokens of context): the closed form of the sum of `flopsPerToken`,
 * `2·params·m + 4·layers·d_model·(m·first + m·(m−1)/2)` for m tokens.
 */
export function flopsOfTokenRange(architecture: FlopsArchitecture, firstPosition: number, tokenCount: number): number {
  const coefficient = contextCoefficient(architecture);
  const contextSum = tokenCount * firstPosition + (tokenCount * (tokenCount - 1)) / 2;
  return 2 * architecture.params * tokenCount + 4 * coefficient * contextSum;
}

/**
 * Inference FLOPs attributed to one sample: the prompt's prefill (positions 0…P−1), shared equally
 * by the `requestSamples` samples of its request, plus the sample's own completion tokens, each at
 * its growing context (positions P…P+C−1).
 *
 * @returns FLOPs
 */
export function sampleFlops(architecture: FlopsArchitecture, sample: SampleTokens): number {
  const requestSamples = Math.max(1, sample.requestSamples ?? 1);
  const prefill = flopsOfTokenRange(architecture, 0, sample.promptTokens);
  const decode = flopsOfTokenRange(architecture, sample.promptTokens, sample.completionTokens);
  return prefill / requestSamples + decode;
}
