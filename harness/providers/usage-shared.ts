/**
 * Token bookkeeping shared by the HTTP providers: a rough token estimate where a server gives no
 * count, honest splitting of one reported total over several parts, the usage of one answer, and
 * finish-reason mapping.
 */
import type { FinishReason, Usage } from '../core/types.ts';

/** Characters per token of the rough estimate (English prose and math with BPE tokenizers). */
export const charactersPerToken = 4;

/** Rough token count of a text: characters / 4, rounded up; 0 for an empty text. */
export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.max(1, Math.ceil(text.length / charactersPerToken));
}

/**
 * Splits an exact `total` over parts in proportion to `weights` (largest-remainder rounding), so
 * the parts are whole numbers that add up to `total` exactly. Equal shares when every weight is 0.
 */
export function splitProportionally(total: number, weights: ReadonlyArray<number>): number[] {
  if (weights.length === 0) return [];
  const sum = weights.reduce((accumulator, weight) => accumulator + weight, 0);
  const shares = weights.map((weight) => (sum > 0 ? (total * weight) / sum : total / weights.length));
  const floors = shares.map((share) => Math.floor(share));
  let remainder = total - floors.reduce((accumulator, value) => accumulator + value, 0);
  const order = shares.map((share, index) => ({ index, fraction: share - Math.floor(share) })).sort((a, b) => b.fraction - a.fraction || a.index - b.index);
  for (const { index } of order) {
    if (remainder <= 0) break;
    floors[index] = (floors[index] ?? 0) + 1;
    remainder -= 1;
  }
  return floors;
}

/**
 * Usage of one answer from the token counts its server reported. A count the server left out is
 * estimated from the texts; servers count thinking and answer together, so when there is
 * thinking its share is split off the completion count by the two texts' lengths. Either makes
 * the usage `estimated`.
 */
export function usageOfAnswer(
  reported: { promptTokens?: number | undefined; completionTokens?: number | undefined },
  answer: string,
  thinking: string,
  promptText: string,
): Usage {
  let estimated = false;
  let promptTokens = reported.promptTokens;
  if (promptTokens === undefined) {
    promptTokens = estimateTokens(promptText);
    estimated = true;
  }
  let completionTokens = reported.completionTokens;
  if (completionTokens === undefined) {
    completionTokens = estimateTokens(thinking) + estimateTokens(answer);
    estimated = true;
  }
  let thinkingTokens = 0;
  if (thinking.length > 0) {
    thinkingTokens = splitProportionally(completionTokens, [estimateTokens(thinking), estimateTokens(answer)])[0] ?? 0;
    estimated = true;
  }
  return estimated ? { promptTokens, completionTokens, thinkingTokens, estimated: true } : { promptTokens, completionTokens, thinkingTokens };
}

/** Maps a server's finish reason to ours: token limit → `length`; natural ends → `stop`. */
export function mapFinishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'stop':
    case 'eos':
    case 'eos_token':
    case 'stop_sequence':
    case 'end_turn':
    case 'tool_calls':
      return 'stop';
    case 'length':
    case 'max_tokens':
    case 'model_length':
      return 'length';
    default:
      return 'unknown';
  }
}
