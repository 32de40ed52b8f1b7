/**
 * The engine's sequences as a pool of slots: a sample takes a free sequence, waiting in arrival
 * order when all are busy, and gives it back when done. A sequence keeps its KV cache between
 * samples, so a sample of the same prompt reuses the prompt's evaluated state.
 */
import { subscribeAbort } from '../../core/abort.ts';
import type { EngineSequence, EngineToken } from './engine-module.ts';

/** A pool of sequences. */
export interface SequencePool {
  /**
   * Waits for a free sequence; rejects with the signal's reason when it aborts. Of the free ones,
   * the sequence already holding the longest prefix of `tokens` is taken, so its state is reused.
   */
  acquire(signal: AbortSignal, tokens?: EngineToken[]): Promise<EngineSequence>;
  /** Gives a sequence back. */
  release(sequence: EngineSequence): void;
  /** Sequences in use now. */
  busy(): number;
}

interface Waiter {
  resolve(sequence: EngineSequence): void;
  unsubscribe(): void;
}

/** A pool over `sequences`. */
export function createSequencePool(sequences: EngineSequence[]): SequencePool {
  const free = [...sequences];
  const waiters: Waiter[] = [];
  return {
    acquire(signal, tokens) {
      if (signal.aborted) return Promise.reject(signal.reason);
      if (free.length > 0) {
        let best = 0;
        let bestShared = -1;
        free.forEach((sequence, index) => {
          const shared = tokens === undefined ? 0 : sequence.compareContextTokens(tokens).firstDifferentIndex;
          if (shared > bestShared) [best, bestShared] = [index, shared];
        });
        return Promise.resolve(free.splice(best, 1)[0] as EngineSequence);
      }
      return new Promise<EngineSequence>((resolve, reject) => {
        const waiter: Waiter = {
          resolve,
          unsubscribe: subscribeAbort(signal, () => {
            waiters.splice(waiters.indexOf(waiter), 1);
            reject(signal.reason);
          }),
        };
        waiters.push(waiter);
      });
    },
    release(sequence) {
      const waiter = waiters.shift();
      if (waiter === undefined) {
        free.push(sequence);
        return;
      }
      waiter.unsubscribe();
      waiter.resolve(sequence);
    },
    busy() {
      return sequences.length - free.length;
    },
  };
}
