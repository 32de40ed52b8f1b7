/**
 * The work that remains, walked lazily: cells × index blocks × problems, so that a stopped run has
 * every problem equally far along. Nothing is planned up front: memory does not grow with the
 * number of samples.
 */
import type { Problem } from '../core/types.ts';
import type { LoadedDataset } from '../datasets/registry.ts';
import type { PlannedCell } from './plan.ts';
import type { SlotBits } from './slot-bits.ts';

/** One request's worth of work: consecutive missing sample indices of one problem in one cell. */
export interface WorkItem {
  cell: PlannedCell;
  dataset: LoadedDataset;
  problem: Problem;
  /** Sample indices to draw (ascending, at most the provider's samples per request). */
  indices: number[];
}

/** What the cursor walks. */
export interface WorkCursorInput {
  /** Cells to draw, in order. */
  cells: ReadonlyArray<PlannedCell>;
  /** Loaded datasets by id. */
  datasets: ReadonlyMap<string, LoadedDataset>;
  /** Samples per problem. */
  samples: number;
  /** Slots already stored (skipped). */
  stored: SlotBits;
  /** Samples per request of a cell's provider (n-batching; at least 1). */
  batchOf: (cell: PlannedCell) => number;
  /** The problems this process draws (a shard); all when omitted. */
  problemsOf?: (dataset: LoadedDataset) => ReadonlyArray<Problem>;
}

/** Lazily yields the remaining work items in run order. */
export function* workCursor(input: WorkCursorInput): Generator<WorkItem> {
  const n = input.samples;
  for (const cell of input.cells) {
    const dataset = input.datasets.get(cell.dataset) as LoadedDataset;
    const problems = input.problemsOf ? input.problemsOf(dataset) : dataset.problems;
    const batch = Math.max(1, input.batchOf(cell));
    for (let start = 0; start < n; start += batch) {
      const end = Math.min(n, start + batch);
      for (const problem of problems) {
        const indices: number[] = [];
        for (let index = start; index < end; index += 1) if (!input.stored.has(cell.id, problem.id, index)) indices.push(index);
        if (indices.length > 0) yield { cell, dataset, problem, indices };
      }
    }
  }
}

/** Samples the cursor will yield in total (cells × problems × n, less the stored slots). */
export function remainingSamples(input: WorkCursorInput): number {
  let total = 0;
  for (const cell of input.cells) {
    const dataset = input.datasets.get(cell.dataset) as LoadedDataset;
    const problems = input.problemsOf ? input.problemsOf(dataset) : dataset.problems;
    total += problems.length * input.samples - input.stored.count(cell.id, problems.map((problem) => problem.id));
  }
  return total;
}
