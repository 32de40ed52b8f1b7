/**
 * The run's duplicate detector, bounded: each sample's text is compared with the last `window`
 * samples of its cell and problem (default 256), not with all of them. Memory is problems ×
 * window × 8 bytes (1,319 problems: 2.7 MB) whatever the number of samples, where the full
 * detector (`duplicates.ts`) holds 8 bytes per sample (105 MB at 13.19 M samples).
 *
 * The trade-off: what duplicates signal is a server that ignores seeds or a cache in front of it,
 * and both repeat a text at neighbouring indices of a problem (the work cursor walks index-major, so
 * a problem's consecutive indices are drawn close together); a window finds those at once. A repeat
 * between indices further apart than the window (almost never by chance for a full answer) is not
 * counted by `run`; `report`, which reads every sample, counts it with the full detector.
 */
import { textHash43, type DuplicateDetector, type DuplicateDetectorOptions, type DuplicateGroup, type DuplicateReport } from './duplicates.ts';

/** Settings of the bounded detector. */
export interface RecentDuplicateOptions extends Pick<DuplicateDetectorOptions, 'minLength'> {
  /** Samples per cell and problem a text is compared with (default 256). */
  window?: number;
}

interface ProblemWindow {
  cell: string;
  problem: string;
  /** 43-bit text hashes (exact in a double) of the last `window` samples, a ring. */
  hashes: Float64Array;
  indices: Float64Array;
  /** Samples added so far. */
  added: number;
  /** Groups found, by hash. */
  groups: Map<number, number[]>;
}

/** A duplicate detector that compares each text with the last `window` texts of its problem. */
export function createRecentDuplicateDetector(options: RecentDuplicateOptions = {}): DuplicateDetector {
  const minLength = options.minLength ?? 32;
  const window = Math.max(1, options.window ?? 256);
  const problems = new Map<string, ProblemWindow>();
  let duplicates = 0;
  return {
    add(cell, problem, index, text) {
      const trimmed = text.trim();
      if (trimmed.length < minLength) return;
      const key = `${cell}\u0000${problem}`;
      let state = problems.get(key);
      if (state === undefined) {
        state = { cell, problem, hashes: new Float64Array(window), indices: new Float64Array(window), added: 0, groups: new Map() };
        problems.set(key, state);
      }
      const hash = textHash43(trimmed);
      const seen = Math.min(state.added, window);
      for (let position = 0; position < seen; position += 1) {
        if (state.hashes[position] !== hash || state.indices[position] === index) continue;
        duplicates += 1;
        const group = state.groups.get(hash);
        if (group === undefined) state.groups.set(hash, [state.indices[position] as number, index]);
        else group.push(index);
        break;
      }
      state.hashes[state.added % window] = hash;
      state.indices[state.added % window] = index;
      state.added += 1;
    },
    report(): DuplicateReport {
      const groups: DuplicateGroup[] = [];
      const ordered = [...problems.values()].sort((a, b) => compare(a.cell, b.cell) || compare(a.problem, b.problem));
      for (const state of ordered) {
        const found = [...state.groups.values()].map((indices) => ({ cell: state.cell, problem: state.problem, indices: [...new Set(indices)].sort((a, b) => a - b) }));
        groups.push(...found.sort((a, b) => (a.indices[0] as number) - (b.indices[0] as number)));
      }
      return { duplicates, groups };
    },
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
