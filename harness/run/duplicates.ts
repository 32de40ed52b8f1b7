/**
 * Finds duplicate samples: two samples of the same cell and problem with the same text. Under
 * temperature > 0 that almost never happens by chance for a full answer, so it signals a server
 * that ignores seeds (or a cache in front of it) and the samples are not independent.
 */
import { createHash } from 'node:crypto';

/** Duplicate-detector settings. */
export interface DuplicateDetectorOptions {
  /**
   * Shortest text (after trimming whitespace) that counts, characters (default 32). Short answers
   * such as `42` or `\boxed{7}` legitimately repeat across independent samples, so they are not
   * evidence of an ignored seed.
   */
  minLength?: number;
  /** Samples expected per problem: each problem's table is allocated at that size once (default: grows from 16). */
  expectedPerProblem?: number;
}

/** A set of samples with the same text. */
export interface DuplicateGroup {
  /** Cell id. */
  cell: string;
  /** Problem id. */
  problem: string;
  /** Sample indices sharing one text, ascending. */
  indices: number[];
}

/** What the detector found. */
export interface DuplicateReport {
  /** Samples that repeat an earlier sample's text (a group of m identical samples counts m − 1). */
  duplicates: number;
  /** Every group of two or more identical samples, by cell, problem and first index. */
  groups: DuplicateGroup[];
}

/** Tracks sample texts per cell and problem. */
export interface DuplicateDetector {
  /** Records a sample's text. Adding the same index again (a resumed run re-reading its log) counts once. */
  add(cell: string, problem: string, index: number, text: string): void;
  /** Duplicates found so far: groups ordered by cell, problem and first index. */
  report(): DuplicateReport;
}

/** Indices at or above this are not tracked (they do not fit the packed slot). */
const INDEX_BITS = 21n;
const INDEX_LIMIT = 2 ** 21;

/**
 * A detector of identical sample texts, per cell and problem. Each sample costs 8 bytes: a 43-bit
 * prefix of the SHA-256 of its trimmed text packed with its index (below 2,097,152) in one 64-bit
 * slot; texts are not kept. Groups are found at `report()` by sorting each problem's slots. Over
 * 10,000 samples of a problem the chance of a false match is below 1e-5.
 */
export function createDuplicateDetector(options: DuplicateDetectorOptions = {}): DuplicateDetector {
  const minLength = options.minLength ?? 32;
  interface ProblemState {
    cell: string;
    problem: string;
    slots: BigUint64Array;
    length: number;
  }
  const problems = new Map<string, ProblemState>();
  return {
    add(cell, problem, index, text) {
      if (!Number.isInteger(index) || index < 0 || index >= INDEX_LIMIT) return;
      const trimmed = text.trim();
      if (trimmed.length < minLength) return;
      const problemKey = `${cell}\u0000${problem}`;
      let state = problems.get(problemKey);
      if (state === undefined) {
        state = { cell, problem, slots: new BigUint64Array(options.expectedPerProblem ?? 16), length: 0 };
        problems.set(problemKey, state);
      }
      if (state.length === state.slots.length) {
        const grown = new BigUint64Array(Math.max(16, state.slots.length * 2));
        grown.set(state.slots);
        state.slots = grown;
      }
      const digest = createHash('sha256').update(trimmed).digest();
      state.slots[state.length] = ((digest.readBigUInt64BE(0) >> INDEX_BITS) << INDEX_BITS) | BigInt(index);
      state.length += 1;
    },
    report(): DuplicateReport {
      const groups: DuplicateGroup[] = [];
      const ordered = [...problems.values()].sort((a, b) => compare(a.cell, b.cell) || compare(a.problem, b.problem));
      for (const state of ordered) groups.push(...groupsOf(state.cell, state.problem, state.slots.subarray(0, state.length).slice().sort()));
      return { duplicates: groups.reduce((sum, group) => sum + group.indices.length - 1, 0), groups };
    },
  };
}

/** Groups of equal text hashes in sorted packed slots (a repeated slot, the same index twice, counts once). */
function groupsOf(cell: string, problem: string, sorted: BigUint64Array): DuplicateGroup[] {
  const groups: DuplicateGroup[] = [];
  const mask = (1n << INDEX_BITS) - 1n;
  let start = 0;
  while (start < sorted.length) {
    const hash = (sorted[start] as bigint) >> INDEX_BITS;
    let end = start;
    const indices: number[] = [];
    while (end < sorted.length && (sorted[end] as bigint) >> INDEX_BITS === hash) {
      const index = Number((sorted[end] as bigint) & mask);
      if (indices.at(-1) !== index) indices.push(index);
      end += 1;
    }
    if (indices.length > 1) groups.push({ cell, problem, indices });
    start = end;
  }
  return groups.sort((a, b) => (a.indices[0] as number) - (b.indices[0] as number));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
