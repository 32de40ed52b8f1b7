import { describe, expect, it } from 'vitest';
import { createRandom } from '../../harness/core/random.ts';
import type { AnswerClasses } from '../../harness/metrics/answer-classes.ts';
import { majorityOfClasses, sampleHypergeometric } from '../../harness/metrics/majority-at-k.ts';
import { majorityOfClasses as previousMajorityOfClasses, sampleHypergeometric as previousSampleHypergeometric } from './majority-at-k-previous.ts';
import { countVectorMajority } from './reference.ts';

/**
 * A random answer-class table: `classes` classes whose sizes often repeat (so that votes tie),
 * values 1, 0 or a mixed fraction, and some samples with no answer.
 */
function randomTable(random: { next(): number }, n: number, classes: number): AnswerClasses {
  const noAnswer = random.next() < 0.5 ? Math.floor(random.next() * 0.1 * n) : 0;
  const sizes: number[] = [];
  let left = n - noAnswer;
  for (let index = 0; index < classes - 1 && left > 1; index += 1) {
    // Half the time a class repeats the size before it: equal classes tie in many draws.
    const previous = sizes.at(-1);
    const size = previous !== undefined && previous < left && random.next() < 0.5 ? previous : 1 + Math.floor(random.next() * Math.min(left - 1, (2 * left) / 3));
    sizes.push(size);
    left -= size;
  }
  sizes.push(left);
  const correctCounts = sizes.map((size, index) => (index === 0 ? size : random.next() < 0.2 ? Math.floor(random.next() * (size + 1)) : 0));
  const classOfSample = new Int32Array(n).fill(-1);
  let at = 0;
  sizes.forEach((size, index) => {
    classOfSample.fill(index, at, at + size);
    at += size;
  });
  return { keys: sizes.map((_, index) => `c${index}`), sizes, correctCounts, values: sizes.map((size, index) => (correctCounts[index] ?? 0) / size), noAnswer, classOfSample };
}

const kList = (n: number): number[] => [...new Set([1, 2, 3, 5, 8, 16, 32, 64, 100, 128, 256, 512, 1000, 1024, 2048, 4096, 8192, n - 1, n].filter((k) => k >= 1 && k <= n))];

describe('majority@k is bit-identical to the implementation before the speed-up', () => {
  const random = createRandom(14);
  const tables = [
    ...Array.from({ length: 40 }, () => randomTable(random, 4 + Math.floor(random.next() * 40), 1 + Math.floor(random.next() * 7))),
    ...Array.from({ length: 12 }, () => randomTable(random, 100 + Math.floor(random.next() * 900), 2 + Math.floor(random.next() * 12))),
    ...Array.from({ length: 3 }, () => randomTable(random, 10_000, 3 + Math.floor(random.next() * 4))),
  ];

  it.each(tables.map((table, index) => ({ index, table })))('table $index (exact and auto)', ({ table }) => {
    for (const k of kList(table.classOfSample.length)) {
      for (const method of ['exact', 'auto'] as const) {
        const options = { method, seed: k, draws: 300 };
        const now = majorityOfClasses(table, k, options);
        const before = previousMajorityOfClasses(table, k, options);
        expect(Object.is(now, before), `k = ${k}, ${method}: ${now} against ${before}`).toBe(true);
      }
    }
  });

  it.each(tables.slice(36, 48).map((table, index) => ({ index, table })))('table $index (Monte Carlo)', ({ table }) => {
    for (const k of kList(table.classOfSample.length)) {
      const options = { method: 'monte-carlo' as const, seed: 7 * k, draws: 400 };
      expect(majorityOfClasses(table, k, options)).toBe(previousMajorityOfClasses(table, k, options));
    }
  });

  it('sampleHypergeometric draws the same numbers with and without its memo', () => {
    const now = createRandom(3);
    const before = createRandom(3);
    const memo = new Map<string, number>();
    for (let draw = 0; draw < 2000; draw += 1) {
      const population = 50 + (draw % 37);
      const successes = draw % population;
      const draws = (draw * 7) % (population + 1);
      expect(sampleHypergeometric(now, population, successes, draws, memo)).toBe(previousSampleHypergeometric(before, population, successes, draws));
    }
  });
});

describe('majority@k with ties against the enumeration of class-count vectors', () => {
  // Ties are broken uniformly at random and counted at their expected value: each of t tied
  // classes wins with probability 1/t; a draw with no answered sample counts as wrong.
  const random = createRandom(41);
  const tables = Array.from({ length: 30 }, () => randomTable(random, 5 + Math.floor(random.next() * 30), 2 + Math.floor(random.next() * 5)));
  it.each(tables.map((table, index) => ({ index, table })))('table $index', ({ table }) => {
    const n = table.classOfSample.length;
    for (let k = 1; k <= n; k += 1) {
      const reference = countVectorMajority(table.sizes, table.values, table.noAnswer, k);
      expect(Math.abs(majorityOfClasses(table, k, { method: 'exact' }) - reference)).toBeLessThan(1e-12);
    }
  });

  it('two equal classes, one right: each wins half of the tied votes', () => {
    const table = randomTable(createRandom(1), 2, 1);
    const tied: AnswerClasses = { ...table, keys: ['a', 'b'], sizes: [3, 3], correctCounts: [3, 0], values: [1, 0], noAnswer: 0, classOfSample: new Int32Array([0, 0, 0, 1, 1, 1]) };
    // k = 6: 3 against 3, a tie: 1/2. k = 2: P(one of each) = 9/15 → 1/2 each; P(both a) = 3/15.
    expect(majorityOfClasses(tied, 6)).toBe(0.5);
    expect(majorityOfClasses(tied, 2, { method: 'exact' })).toBeCloseTo(3 / 15 + (9 / 15) * 0.5, 14);
  });
});
