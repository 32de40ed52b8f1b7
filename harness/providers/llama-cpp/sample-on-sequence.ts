/**
 * One sample on one engine sequence: reuse the prompt state the sequence already holds, evaluate
 * the rest of the prompt, then sample token by token with the sample's own seed until the end of
 * sequence, a stop string or the token limit. Counts come from the model's own tokenizer.
 */
import type { FinishReason } from '../../core/types.ts';
import type { EngineModel, EngineSequence, EngineToken } from './engine-module.ts';
import type { Lockstep } from './lockstep.ts';

/** What one sample needs. */
export interface SequenceSampleInput {
  /** Prompt tokens (templated, with BOS where the model wants it). */
  tokens: EngineToken[];
  /** Most tokens to generate (at least 1). */
  maxTokens: number;
  /** Sampling temperature (0 = greedy). */
  temperature: number;
  /** Nucleus sampling, when set. */
  topP?: number | undefined;
  /** The sample's seed: the same seed, prompt and settings give the same text. */
  seed: number;
  /** Stop strings; the text ends before the first one found. */
  stop: string[];
  /** Cancels the sample between tokens. */
  signal: AbortSignal;
  /** Keeps this sample in step with the others of its group (see lockstep.ts), at `position`. */
  lockstep?: { barrier: Lockstep; position: number } | undefined;
}

/** What one sample produced. */
export interface SequenceSampleOutput {
  /** Generated text, stop string excluded. */
  text: string;
  /** Prompt tokens of this call. */
  promptTokens: number;
  /** Tokens generated (the stop string's tokens included, as servers count them). */
  completionTokens: number;
  /** `length` at the token limit, `stop` at a stop string or the end of sequence. */
  finishReason: FinishReason;
}

/**
 * Drops the cached tokens past the longest prefix shared with `tokens`, keeping at most `limit`
 * (default: all but the last token, which is evaluated again: its logits pick the first new token).
 * Returns how many are kept.
 */
export async function reusePrefix(sequence: EngineSequence, tokens: EngineToken[], limit = tokens.length - 1): Promise<number> {
  const kept = Math.min(sequence.compareContextTokens(tokens).firstDifferentIndex, limit);
  const held = sequence.contextTokens.length;
  if (kept < held) await sequence.eraseContextTokenRanges([{ start: kept, end: held }]);
  return kept;
}

/** Index of the earliest stop string in `text`, or -1. */
function firstStop(text: string, stop: string[]): number {
  let found = -1;
  for (const candidate of stop) {
    const index = text.indexOf(candidate);
    if (index >= 0 && (found < 0 || index < found)) found = index;
  }
  return found;
}

/**
 * Samples on `sequence`. Stop strings are looked for in the detokenized tail of the generation
 * (a window of tokens long enough for the longest stop), so the check costs the same at every step.
 */
export async function sampleOnSequence(model: EngineModel, sequence: EngineSequence, input: SequenceSampleInput): Promise<SequenceSampleOutput> {
  const kept = await reusePrefix(sequence, input.tokens);
  const generated: EngineToken[] = [];
  const longestStop = input.stop.reduce((longest, candidate) => Math.max(longest, Buffer.byteLength(candidate)), 0);
  const window = longestStop + 4;
  let finishReason: FinishReason = 'stop';
  let stopAt = -1;
  const options = { temperature: input.temperature, seed: input.seed, ...(input.topP === undefined ? {} : { topP: input.topP }) };
  const iterator = sequence.evaluate(input.tokens.slice(kept), options);
  try {
    for await (const token of iterator) {
      if (input.signal.aborted) throw input.signal.reason;
      generated.push(token);
      if (longestStop > 0 && firstStop(model.detokenize(generated.slice(-window)), input.stop) >= 0) {
        stopAt = firstStop(model.detokenize(generated), input.stop);
        break;
      }
      if (generated.length >= input.maxTokens) {
        finishReason = 'length';
        break;
      }
      await input.lockstep?.barrier.arrive(input.lockstep.position);
    }
  } finally {
    input.lockstep?.barrier.leave(input.lockstep.position);
    await iterator.return(undefined);
  }
  const text = model.detokenize(generated);
  return {
    text: stopAt >= 0 ? text.slice(0, stopAt) : text,
    promptTokens: input.tokens.length,
    completionTokens: generated.length,
    finishReason,
  };
}
