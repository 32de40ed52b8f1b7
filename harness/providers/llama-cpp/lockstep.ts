/**
 * Keeps the samples of a group in step: after each token, a sample waits until every sample still
 * running has its token too, and then they all go on in the order of their sequences. Why: with a
 * KV stream per sequence, llama.cpp puts a batch's tokens in one micro-batch only while their
 * sequence ids come in increasing, consecutive order; every break starts another pass over all the
 * weights. node-llama-cpp lays a batch out in the order the sequences asked for their next token,
 * which, left alone, is the order their sampling happened to finish in.
 */

/** A barrier over the samples of a group, by position (0 = the lowest sequence). */
export interface Lockstep {
  /** Waits until every running sample has arrived; all are then released in position order. */
  arrive(position: number): Promise<void>;
  /** The sample at `position` is done: the others no longer wait for it. */
  leave(position: number): void;
}

/** A lockstep over `count` samples, all running at first. */
export function createLockstep(count: number): Lockstep {
  const running = new Set(Array.from({ length: count }, (_, position) => position));
  const waiting = new Map<number, () => void>();
  let checking = false;
  // Checked a microtask later: the last sample to arrive has by then awaited its promise too, so
  // all continuations are queued in the order of release (a promise resolved before it is awaited
  // would run its continuation last).
  const releaseWhenAllArrived = (): void => {
    if (checking) return;
    checking = true;
    queueMicrotask(() => {
      checking = false;
      if (waiting.size === 0 || waiting.size < running.size) return;
      const ordered = [...waiting.entries()].sort((a, b) => a[0] - b[0]);
      waiting.clear();
      for (const [, release] of ordered) release();
    });
  };
  return {
    arrive(position) {
      return new Promise<void>((resolve) => {
        waiting.set(position, resolve);
        releaseWhenAllArrived();
      });
    },
    leave(position) {
      running.delete(position);
      waiting.get(position)?.();
      waiting.delete(position);
      releaseWhenAllArrived();
    },
  };
}
