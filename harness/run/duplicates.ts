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

/** A detector of identical sample texts, keyed by a SHA-256 of the trimmed text (texts are not kept). */
export function createDuplicateDetector(options: DuplicateDetectorOptions = {}): DuplicateDetector {
  const minLength = options.minLength ?? 32;
  const groups = new Map<string, DuplicateGroup>();
  const seen = new Set<string>();
  return {
    add(cell: string, problem: string, index: number, text: string): boolean {
      const sampleKey = JSON.stringify([cell, problem, index]);
      if (seen.has(sampleKey)) return false;
      seen.add(sampleKey);
      const trimmed = text.trim();
      if (trimmed.length < minLength) return false;
      const digest = createHash('sha256').update(trimmed).digest('base64');
      const key = JSON.stringify([cell, problem, digest]);
      const group = groups.get(key);
      if (group === undefined) {
        groups.set(key, { cell, problem, indices: [index] });
        return false;
      }
      group.indices.push(index);
      return true;
    },
    report(): DuplicateReport {
      const found = [...groups.values()]
        .filter((group) => group.indices.length > 1)
        .map((group) => ({ ...group, indices: [...group.indices].sort((a, b) => a - b) }));
      return { duplicates: found.reduce((sum, group) => sum + group.indices.length - 1, 0), groups: found };
    },
  };
}
