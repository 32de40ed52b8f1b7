/**
 * The engine's sequence pool and the lockstep of a group's samples: pure bookkeeping, checked with
 * stand-in sequences that hold a token list (the pool only compares prefixes).
 */
import { describe, expect, it } from 'vitest';
import type { EngineSequence, EngineToken } from '../../../harness/providers/llama-cpp/engine-module.ts';
import { createLockstep } from '../../../harness/providers/llama-cpp/lockstep.ts';
import { createSequencePool } from '../../../harness/providers/llama-cpp/sequence-pool.ts';
import { llamaCppRequestsAtOnce } from '../../../harness/providers/llama-cpp.ts';

/** A stand-in holding `tokens`; only what the pool reads is real. */
function holding(tokens: number[]): EngineSequence {
  return {
    contextTokens: tokens as EngineToken[],
    compareContextTokens(other: EngineToken[]) {
      let index = 0;
      while (index < tokens.length && index < other.length && tokens[index] === other[index]) index += 1;
      return { firstDifferentIndex: index };
    },
  } as unknown as EngineSequence;
}

const signal = new AbortController().signal;

describe('createSequencePool', () => {
  it('gives the sequences holding the longest prefix, in pool order', async () => {
    const sequences = [holding([]), holding([1, 2, 3]), holding([1, 9]), holding([1, 2])];
    const pool = createSequencePool(sequences);
    const taken = await pool.acquire(signal, 2, [1, 2, 3, 4] as EngineToken[]);
    expect(taken).toEqual([sequences[1], sequences[3]]);
    expect(pool.busy()).toBe(2);
  });

  it('takes all of a request at once and serves waiters first come, first served', async () => {
    const sequences = [holding([]), holding([]), holding([])];
    const pool = createSequencePool(sequences);
    const first = await pool.acquire(signal, 2);
    const order: string[] = [];
    const large = pool.acquire(signal, 3).then((taken) => order.push(`large:${taken.length}`));
    const small = pool.acquire(signal, 1).then((taken) => order.push(`small:${taken.length}`));
    await Promise.resolve();
    expect(order).toEqual([]); // one sequence is free, but the large request came first
    pool.release(first);
    await large;
    expect(order).toEqual(['large:3']);
    pool.release(sequences);
    await small;
    expect(order).toEqual(['large:3', 'small:1']);
  });

  it('rejects a count larger than the pool, and a waiter whose signal aborts', async () => {
    const pool = createSequencePool([holding([]), holding([])]);
    await expect(pool.acquire(signal, 3)).rejects.toThrow('cannot take 3 sequences from a pool of 2');
    const held = await pool.acquire(signal, 2);
    const controller = new AbortController();
    const waiting = pool.acquire(controller.signal, 1);
    controller.abort(new Error('stopped'));
    await expect(waiting).rejects.toThrow('stopped');
    pool.release(held);
    expect(pool.busy()).toBe(0);
  });
});

describe('createLockstep', () => {
  it('releases the samples in position order once every running one has arrived', async () => {
    const barrier = createLockstep(3);
    const released: number[] = [];
    const arrivals = [2, 0, 1].map((position) => barrier.arrive(position).then(() => released.push(position)));
    await Promise.all(arrivals);
    expect(released).toEqual([0, 1, 2]);
  });

  it('stops waiting for a sample that leaves, and leaving twice is harmless', async () => {
    const barrier = createLockstep(3);
    const released: number[] = [];
    const arrivals = [1, 2].map((position) => barrier.arrive(position).then(() => released.push(position)));
    await Promise.resolve();
    expect(released).toEqual([]);
    barrier.leave(0);
    barrier.leave(0);
    await Promise.all(arrivals);
    expect(released).toEqual([1, 2]);
  });
});

describe('llamaCppRequestsAtOnce', () => {
  it.each([
    [8, 250, 1],
    [8, 8, 1],
    [8, 4, 2],
    [8, 3, 2],
    [2, 4, 1],
    [4, 1, 4],
  ])('parallel %i, %i samples per problem → %i requests at once', (parallel, samples, expected) => {
    expect(llamaCppRequestsAtOnce({ parallel }, samples)).toBe(expected);
  });
});
