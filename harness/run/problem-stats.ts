/**
 * Per-problem sufficient statistics of a cell's samples, folded from the sample log in one pass:
 * everything the report computes comes from these, so its memory grows with problems (and a few
 * bits per sample), not with stored texts or per-sample columns. Every sum is of integers, so the
 * statistics, and the metrics made from them, do not depend on the order of the log.
 */
import type { SampleRecord, Verdict } from '../core/types.ts';

/** Sample indices below this are tracked in bit sets; above it (a hostile or odd record), in a set. */
const DENSE_INDEX_LIMIT = 1 << 24;

/** The statistics of one problem in one cell. */
export interface ProblemStats {
  problem: string;
  /** Checked samples (each slot once). */
  samples: number;
  /** Of them, correct. */
  correct: number;
  /** Answer class → [samples, correct]. */
  classes: Map<string, [number, number]>;
  /** Samples without an extractable answer. */
  noAnswer: number;
  /** Σ completion tokens (thinking included). */
  completionTokens: number;
  /** Σ thinking tokens. */
  thinkingTokens: number;
  /** Σ prompt tokens. */
  promptTokens: number;
  /** Σ (C·P + C·(C−1)/2): the decode context sum of each sample, for FLOPs. */
  decodeContext: number;
  /** Σ P·(P−1)/2 over the samples' prompts of P tokens (the prefill's context sum, for FLOPs). */
  promptContext: number;
  /** The problem's nominal request size: its largest request (n-batching shares a prompt among its samples). */
  largestRequest: number;
  /** Slot bits: bit i set when index i is stored (dense part). */
  present: Uint8Array;
  /** Correctness bits, same layout (for the forecast from the first samples). */
  correctBits: Uint8Array;
  /** Indices at or past the dense limit. */
  sparse: Set<number> | undefined;
  /** Verdicts per index, kept only when a selection method needs them. */
  slots: Array<{ correct: boolean; answerKey: string | null } | undefined> | undefined;
}

/** A new, empty problem; `keepSlots` keeps per-sample verdicts for selection. */
export function emptyProblemStats(problem: string, expectedSamples: number, keepSlots: boolean): ProblemStats {
  const bytes = Math.ceil(Math.min(Math.max(8, expectedSamples), DENSE_INDEX_LIMIT) / 8);
  return {
    problem,
    samples: 0,
    correct: 0,
    classes: new Map(),
    noAnswer: 0,
    completionTokens: 0,
    thinkingTokens: 0,
    promptTokens: 0,
    decodeContext: 0,
    promptContext: 0,
    largestRequest: 1,
    present: new Uint8Array(bytes),
    correctBits: new Uint8Array(bytes),
    sparse: undefined,
    slots: keepSlots ? [] : undefined,
  };
}

/** Claims the slot of `index`; false when it is already filled (the same slot twice counts once) or invalid. */
export function claimSlot(stats: ProblemStats, index: number): boolean {
  if (!Number.isInteger(index) || index < 0) return false;
  if (index >= DENSE_INDEX_LIMIT) {
    stats.sparse ??= new Set();
    if (stats.sparse.has(index)) return false;
    stats.sparse.add(index);
    return true;
  }
  if (index >> 3 >= stats.present.length) {
    const size = Math.min(DENSE_INDEX_LIMIT / 8, Math.max((index >> 3) + 1, stats.present.length * 2));
    stats.present = grow(stats.present, size);
    stats.correctBits = grow(stats.correctBits, size);
  }
  const mask = 1 << (index & 7);
  const byte = stats.present[index >> 3] as number;
  if ((byte & mask) !== 0) return false;
  stats.present[index >> 3] = byte | mask;
  return true;
}

/** Folds one checked sample (whose slot was claimed) into the statistics; `answerKey` interned by the caller. */
export function addSample(stats: ProblemStats, record: SampleRecord, verdict: Verdict, answerKey: string | null): void {
  stats.samples += 1;
  if (verdict.correct) {
    stats.correct += 1;
    if (record.index < DENSE_INDEX_LIMIT) stats.correctBits[record.index >> 3] = (stats.correctBits[record.index >> 3] as number) | (1 << (record.index & 7));
  }
  if (answerKey === null) stats.noAnswer += 1;
  else {
    const entry = stats.classes.get(answerKey);
    if (entry) {
      entry[0] += 1;
      if (verdict.correct) entry[1] += 1;
    } else stats.classes.set(answerKey, [1, verdict.correct ? 1 : 0]);
  }
  const prompt = tokenCount(record.usage?.promptTokens);
  const completion = tokenCount(record.usage?.completionTokens);
  stats.completionTokens += completion;
  stats.thinkingTokens += tokenCount(record.usage?.thinkingTokens);
  stats.promptTokens += prompt;
  stats.decodeContext += completion * prompt + (completion * (completion - 1)) / 2;
  stats.promptContext += (prompt * (prompt - 1)) / 2;
  stats.largestRequest = Math.max(stats.largestRequest, Math.floor(record.requestSamples ?? 1));
  if (stats.slots && record.index < DENSE_INDEX_LIMIT) stats.slots[record.index] = { correct: verdict.correct, answerKey };
}

/**
 * Correct samples among the first `count` stored ones in index order (the forecast is fitted on
 * each problem's first samples, so it can be checked against the rest).
 */
export function correctInFirst(stats: ProblemStats, count: number): number {
  let seen = 0;
  let correct = 0;
  for (let byte = 0; byte < stats.present.length && seen < count; byte += 1) {
    const present = stats.present[byte] as number;
    if (present === 0) continue;
    for (let bit = 0; bit < 8 && seen < count; bit += 1) {
      if ((present & (1 << bit)) === 0) continue;
      seen += 1;
      if (((stats.correctBits[byte] as number) & (1 << bit)) !== 0) correct += 1;
    }
  }
  return correct;
}

function tokenCount(value: number | undefined): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

function grow(bits: Uint8Array, size: number): Uint8Array {
  const grown = new Uint8Array(size);
  grown.set(bits);
  return grown;
}
