/** Resume: which sample slots a run folder already holds, read from its sample log in one pass. */
import type { SampleRecord } from '../core/types.ts';
import { createSlotBits, type SlotBits } from './slot-bits.ts';

/**
 * Reads the stored slots of a sample log: an `ok` record with index below `n` fills its slot; an
 * error record does not (it is drawn again), nor does an index at or past `n` (a run resumed with
 * fewer samples keeps them but does not count them).
 *
 * @param records the log's records (e.g. `readSampleLog(path)`)
 * @param n samples per problem of the run
 * @returns the filled slots and how many there are
 */
export async function readStoredSlots(records: AsyncIterable<SampleRecord>, n: number): Promise<{ stored: SlotBits; count: number }> {
  const stored = createSlotBits(n);
  let count = 0;
  for await (const record of records) {
    if (record.status === 'ok' && stored.set(record.cell, record.problem, record.index)) count += 1;
  }
  return { stored, count };
}
