/**
 * Budget forcing's raw completion port on the engine: each call tokenizes the templated text and
 * samples on the sample's own sequence, which still holds the previous call's tokens, so a
 * continuation evaluates only what was appended (the delimiter, the answer cue, "Wait").
 */
import type { RawComplete } from '../thinking/budget-forcing.ts';
import type { EngineSequence } from './engine-module.ts';
import type { LlamaEngine } from './engine.ts';
import { textTokens } from './prompt-tokens.ts';
import { sampleOnSequence } from './sample-on-sequence.ts';

/** Sampling settings shared by every call of a sample. */
export interface EnginePortSampling {
  /** Sampling temperature. */
  temperature: number;
  /** Nucleus sampling, when set. */
  topP?: number | undefined;
  /** Cuts a call's token limit to the room left in the sequence (throws when none is left). */
  fitMaxTokens: (promptLength: number, maxTokens: number) => number;
}

/** A raw port over one sequence of the engine. */
export function enginePort(engine: LlamaEngine, sequence: EngineSequence, sampling: EnginePortSampling): RawComplete {
  return async (input) => {
    const tokens = textTokens(engine.model, input.prompt);
    const output = await sampleOnSequence(engine.model, sequence, {
      tokens,
      maxTokens: sampling.fitMaxTokens(tokens.length, input.maxTokens),
      temperature: sampling.temperature,
      topP: sampling.topP,
      seed: input.seed,
      stop: input.stop,
      signal: input.signal,
    });
    return { text: output.text, completionTokens: output.completionTokens, promptTokens: output.promptTokens, finishReason: output.finishReason };
  };
}
