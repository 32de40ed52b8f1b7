/**
 * One bit per sample slot (cell × problem × index < n): which slots of a run hold a stored
 * sample. A run of 1,319 problems × 10,000 samples costs 1.6 MB, where a Set of string keys
 * would cost gigabytes.
 */

/** Bits per cell and problem, each problem's bits allocated when its first slot is set. */
export interface SlotBits {
  /** Samples per problem covered (indices 0…n−1; others are never set). */
  readonly n: number;
  /** Sets a slot; false when the index is outside 0…n−1 or the slot was already set. */
  set(cell: string, problem: string, index: number): boolean;
  /** Whether a slot is set. */
  has(cell: string, problem: string, index: number): boolean;
  /** Slots set in a cell over the given problems (all of its problems when omitted). */
  count(cell: string, problems?: Iterable<string>): number;
  /** The bits of one problem (undefined while none is set); bit i of byte i >> 3 is slot i. */
  bitsOf(cell: string, problem: string): Uint8Array | undefined;
}

/** An empty set of slots for `n` samples per problem. */
export function createSlotBits(n: number): SlotBits {
  const cells = new Map<string, Map<string, { bits: Uint8Array; count: number }>>();
  const entry = (cell: string, problem: string): { bits: Uint8Array; count: number } | undefined => cells.get(cell)?.get(problem);
  return {
    n,
    set(cell, problem, index) {
      if (!Number.isInteger(index) || index < 0 || index >= n) return false;
      let problems = cells.get(cell);
      if (!problems) cells.set(cell, (problems = new Map()));
      let slots = problems.get(problem);
      if (!slots) problems.set(problem, (slots = { bits: new Uint8Array(Math.ceil(n / 8)), count: 0 }));
      const mask = 1 << (index & 7);
      const byte = slots.bits[index >> 3] as number;
      if ((byte & mask) !== 0) return false;
      slots.bits[index >> 3] = byte | mask;
      slots.count += 1;
      return true;
    },
    has(cell, problem, index) {
      const slots = entry(cell, problem);
      if (!slots || !Number.isInteger(index) || index < 0 || index >= n) return false;
      return ((slots.bits[index >> 3] as number) & (1 << (index & 7))) !== 0;
    },
    count(cell, problems) {
      const byProblem = cells.get(cell);
      if (!byProblem) return 0;
      let total = 0;
      if (problems === undefined) for (const slots of byProblem.values()) total += slots.count;
      else for (const problem of problems) total += byProblem.get(problem)?.count ?? 0;
      return total;
    },
    bitsOf(cell, problem) {
      return entry(cell, problem)?.bits;
    },
  };
}
