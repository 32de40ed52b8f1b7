/**
 * Finds duplicate samples: two samples of the same cell and problem with the same text. Under
 * temperature > 0 that almost never happens by chance for a full answer, so it signals a server
 * that ignores seeds (or a cache in front of it) and the samples are not independent.
 */
import * as crypto from 'node:crypto';

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

/** Indices at or above this are not tracked (they do not fit the 21 low bits of the packed slot). */
const INDEX_LIMIT = 2 ** 21;
/** Whether a BigUint64Array keeps the low 32 bits of a slot in the first of its two 32-bit words. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * SHA-256 of a text. The one-shot `crypto.hash` (Node 20.12 and later) is about three times as
 * fast as a Hash object for texts of a few hundred bytes, which at ten million samples is seconds.
 */
export const sha256: (text: string) => Buffer =
  typeof crypto.hash === 'function' ? (text) => crypto.hash('sha256', text, 'buffer') : (text) => crypto.createHash('sha256').update(text).digest();

/** The first 43 bits of a text's SHA-256 as an integer (exact in a double). */
export function textHash43(text: string): number {
  const digest = sha256(text);
  return digest.readUInt32BE(0) * 2048 + (digest.readUInt32BE(4) >>> 21);
}

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
    /** The same memory as `slots`, as 32-bit words. */
    words: Uint32Array;
    length: number;
  }
  // By cell, then problem: no key string is built per sample.
  const cells = new Map<string, Map<string, ProblemState>>();
  return {
    add(cell, problem, index, text) {
      if (!Number.isInteger(index) || index < 0 || index >= INDEX_LIMIT) return;
      const trimmed = text.trim();
      if (trimmed.length < minLength) return;
      let problems = cells.get(cell);
      if (problems === undefined) {
        problems = new Map();
        cells.set(cell, problems);
      }
      let state = problems.get(problem);
      if (state === undefined) {
        const slots = new BigUint64Array(options.expectedPerProblem ?? 16);
        state = { cell, problem, slots, words: new Uint32Array(slots.buffer), length: 0 };
        problems.set(problem, state);
      }
      if (state.length === state.slots.length) {
        const grown = new BigUint64Array(Math.max(16, state.slots.length * 2));
        grown.set(state.slots);
        state.slots = grown;
        state.words = new Uint32Array(grown.buffer);
      }
      // The slot is (the digest's first 64 bits with the low 21 cleared) | index, written as two
      // 32-bit words so that no BigInt is made per sample.
      const digest = sha256(trimmed);
      const high = digest.readUInt32BE(0);
      const low = ((digest.readUInt32BE(4) & 0xffe00000) | index) >>> 0;
      state.words[2 * state.length + (LITTLE_ENDIAN ? 0 : 1)] = low;
      state.words[2 * state.length + (LITTLE_ENDIAN ? 1 : 0)] = high;
      state.length += 1;
    },
    report(): DuplicateReport {
      const groups: DuplicateGroup[] = [];
      const ordered = [...cells.values()].flatMap((problems) => [...problems.values()]).sort((a, b) => compare(a.cell, b.cell) || compare(a.problem, b.problem));
      for (const state of ordered) groups.push(...groupsOf(state.cell, state.problem, state.slots.subarray(0, state.length).slice().sort()));
      return { duplicates: groups.reduce((sum, group) => sum + group.indices.length - 1, 0), groups };
    },
  };
}

/**
 * Groups of equal text hashes in sorted packed slots (a repeated slot, the same index twice, counts
 * once). Read as 32-bit words (high: the hash's first 32 bits; low: its next 11 and the index), so
 * that no BigInt is made per slot.
 */
function groupsOf(cell: string, problem: string, sorted: BigUint64Array): DuplicateGroup[] {
  const groups: DuplicateGroup[] = [];
  const words = new Uint32Array(sorted.buffer, sorted.byteOffset, sorted.length * 2);
  const highAt = (slot: number): number => words[2 * slot + (LITTLE_ENDIAN ? 1 : 0)] as number;
  const lowAt = (slot: number): number => words[2 * slot + (LITTLE_ENDIAN ? 0 : 1)] as number;
  const indexMask = INDEX_LIMIT - 1;
  let start = 0;
  while (start < sorted.length) {
    const high = highAt(start);
    const hashLow = lowAt(start) >>> 21;
    let end = start + 1;
    while (end < sorted.length && highAt(end) === high && lowAt(end) >>> 21 === hashLow) end += 1;
    if (end - start > 1) {
      const indices: number[] = [];
      for (let slot = start; slot < end; slot += 1) {
        const index = lowAt(slot) & indexMask;
        if (indices.at(-1) !== index) indices.push(index);
      }
      if (indices.length > 1) groups.push({ cell, problem, indices });
    }
    start = end;
  }
  return groups.sort((a, b) => (a.indices[0] as number) - (b.indices[0] as number));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
