/**
 * The engine's sequences as a pool of slots: a request takes as many free sequences as it has
 * samples (all at once, so two requests never hold part of what each needs and wait on each
 * other), waiting in arrival order when too few are free, and gives them back when done. A
 * sequence keeps its KV cache between samples, so a later sample of the same prompt reuses it.
 */
import { subscribeAbort } from '../../core/abort.ts';
import type { EngineSequence, EngineToken } from './engine-module.ts';

/** A pool of sequences. */
export interface SequencePool {
  /**
   * Waits until `count` sequences are free (first come, first served) and takes them; rejects with
   * the signal's reason when it aborts, and with a RangeError when `count` exceeds the pool. Of the
   * free ones, those already holding the longest prefix of `tokens` are taken, so their state is
   * reused; they are given in the pool's order, which is the order of their sequence ids.
   */
  acquire(signal: AbortSignal, count: number, tokens?: EngineToken[]): Promise<EngineSequence[]>;
  /** Gives sequences back. */
  release(sequences: EngineSequence[]): void;
  /** Sequences in use now. */
  busy(): number;
  /** Sequences in the pool. */
  readonly size: number;
}

interface Waiter {
  count: number;
  tokens: EngineToken[] | undefined;
  resolve(sequences: EngineSequence[]): void;
  unsubscribe(): void;
}

/** Takes `count` of `free` (removed from it), longest shared prefix with `tokens` first. */
function takeBest(free: EngineSequence[], count: number, tokens: EngineToken[] | undefined): EngineSequence[] {
  const shared = (sequence: EngineSequence): number => (tokens === undefined ? 0 : sequence.compareContextTokens(tokens).firstDifferentIndex);
  const ranked = free.map((sequence) => ({ sequence, shared: shared(sequence) })).sort((a, b) => b.shared - a.shared);
  const taken = ranked.slice(0, count).map((entry) => entry.sequence);
  for (const sequence of taken) free.splice(free.indexOf(sequence), 1);
  return taken;
}

/** A pool over `sequences`. */
export function createSequencePool(sequences: EngineSequence[]): SequencePool {
  const free = [...sequences];
  const waiters: Waiter[] = [];
  // The context numbers its sequences in the order they were made, which is the pool's order.
  const inPoolOrder = (taken: EngineSequence[]): EngineSequence[] => taken.sort((a, b) => sequences.indexOf(a) - sequences.indexOf(b));
  return {
    size: sequences.length,
    acquire(signal, count, tokens) {
      if (signal.aborted) return Promise.reject(signal.reason);
      if (!Number.isInteger(count) || count < 1 || count > sequences.length) {
        return Promise.reject(new RangeError(`cannot take ${count} sequences from a pool of ${sequences.length}`));
      }
      if (waiters.length === 0 && free.length >= count) return Promise.resolve(inPoolOrder(takeBest(free, count, tokens)));
      return new Promise<EngineSequence[]>((resolve, reject) => {
        const waiter: Waiter = {
          count,
          tokens,
          resolve,
          unsubscribe: subscribeAbort(signal, () => {
            waiters.splice(waiters.indexOf(waiter), 1);
            reject(signal.reason);
          }),
        };
        waiters.push(waiter);
      });
    },
    release(returned) {
      free.push(...returned);
      // First come, first served: a large request at the head is not overtaken by smaller ones.
      while (waiters.length > 0 && free.length >= (waiters[0] as Waiter).count) {
        const waiter = waiters.shift() as Waiter;
        waiter.unsubscribe();
        waiter.resolve(inPoolOrder(takeBest(free, waiter.count, waiter.tokens)));
      }
    },
    busy() {
      return sequences.length - free.length;
    },
  };
}
