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
  /** Every group of two or more identical samples, in the order first seen. */
  groups: DuplicateGroup[];
}

/** Tracks sample texts per cell and problem. */
export interface DuplicateDetector {
  /**
   * Records a sample; true when its text repeats an earlier sample of the same cell and problem.
   * Adding the same index again (a resumed run re-reading its log) is ignored and returns false.
   */
  add(cell: string, problem: string, index: number, text: string): boolean;
  /** Duplicates found so far. */
  report(): DuplicateReport;
}

/**
 * A detector of identical sample texts, keyed per cell and problem by a 96-bit prefix of the
 * SHA-256 of the trimmed text (texts are not kept). Memory is a few dozen bytes per sample, so a
 * run of millions of samples fits.
 */
export function createDuplicateDetector(options: DuplicateDetectorOptions = {}): DuplicateDetector {
  const minLength = options.minLength ?? 32;
  interface ProblemState {
    cell: string;
    problem: string;
    seen: Set<number>;
    /** Digest → indices with that text (a number while there is only one). */
    texts: Map<string, number | number[]>;
  }
  const problems = new Map<string, ProblemState>();
  /** Groups of two or more, in the order they became groups. */
  const groups: DuplicateGroup[] = [];
  return {
    add(cell: string, problem: string, index: number, text: string): boolean {
      const problemKey = `${cell}\u0000${problem}`;
      let state = problems.get(problemKey);
      if (state === undefined) {
        state = { cell, problem, seen: new Set(), texts: new Map() };
        problems.set(problemKey, state);
      }
      if (state.seen.has(index)) return false;
      state.seen.add(index);
      const trimmed = text.trim();
      if (trimmed.length < minLength) return false;
      const digest = createHash('sha256').update(trimmed).digest('base64').slice(0, 16);
      const earlier = state.texts.get(digest);
      if (earlier === undefined) {
        state.texts.set(digest, index);
        return false;
      }
      if (typeof earlier === 'number') {
        const indices = [earlier, index];
        state.texts.set(digest, indices);
        const group = { cell, problem, indices };
        groups.push(group);
      } else {
        earlier.push(index);
      }
      return true;
    },
    report(): DuplicateReport {
      const found = groups.map((group) => ({ ...group, indices: [...group.indices].sort((a, b) => a - b) }));
      return { duplicates: found.reduce((sum, group) => sum + group.indices.length - 1, 0), groups: found };
    },
  };
}
