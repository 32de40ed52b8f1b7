import { describe, expect, it } from 'vitest';
import { createRandom } from '../../harness/core/random.ts';
import { answerClasses } from '../../harness/metrics/answer-classes.ts';
import { majorityAtK, majorityMethodFor } from '../../harness/metrics/majority-at-k.ts';
import { bruteMajority, countVectorMajority } from './reference.ts';

type Case = [name: string, keys: Array<string | null>, correct: boolean[]];

const cases: Case[] = [
  ['one right class', ['a', 'a', 'a', 'b', 'c'], [true, true, true, false, false]],
  ['two-way ties', ['a', 'a', 'b', 'b', 'c', 'd'], [true, true, false, false, false, false]],
  ['all different answers', ['a', 'b', 'c', 'd', 'e', 'f'], [true, false, false, false, false, false]],
  ['no-answer samples', ['a', null, null, 'b', 'b', null, 'a'], [true, false, false, false, false, false, true]],
  ['mixed-correctness class', ['a', 'a', 'a', 'b', 'b', 'c', 'a', 'b'], [true, false, true, false, false, true, true, false]],
  ['wrong plurality', ['w', 'w', 'w', 'w', 'r', 'r', 'r', 'x', 'y', null], [false, false, false, false, true, true, true, false, false, false]],
  ['all no answer', [null, null, null, null], [false, false, false, false]],
  [
    'many classes with ties',
    ['a', 'b', 'c', 'a', 'b', 'c', 'd', 'd', 'e', 'a', null, 'f', 'c'],
    [true, false, false, true, false, false, false, false, false, true, false, false, false],
  ],
];

describe('majorityAtK exact against brute-force enumeration of all k-subsets', () => {
  const table = cases.flatMap(([name, keys, correct]) =>
    Array.from({ length: keys.length }, (_, index) => ({ name, keys, correct, k: index + 1 })),
  );
  it.each(table)('$name, k=$k', ({ keys, correct, k }) => {
    const expected = bruteMajority(keys, correct, k);
    expect(Math.abs(majorityAtK(keys, correct, k, { method: 'exact' }) - expected)).toBeLessThan(1e-12);
    expect(Math.abs(majorityAtK(keys, correct, k) - expected)).toBeLessThan(1e-12);
  });
});

describe('majorityAtK exact against brute force on random small problems', () => {
  const random = createRandom(2024);
  const problems = Array.from({ length: 24 }, (_, index) => {
    const n = 6 + Math.floor(random.next() * 9);
    const classCount = 1 + Math.floor(random.next() * 5);
    const keys: Array<string | null> = [];
    const correct: boolean[] = [];
    for (let sample = 0; sample < n; sample += 1) {
      // Skewed class popularity, some samples without an answer, class 0 right.
      const draw = random.next();
      const key = draw < 0.12 ? null : `c${Math.floor(classCount * random.next() ** 1.7)}`;
      keys.push(key);
      correct.push(key === 'c0');
    }
    return { index, keys, correct };
  });
  it.each(problems)('problem $index', ({ keys, correct }) => {
    for (let k = 1; k <= keys.length; k += 1) {
      expect(Math.abs(majorityAtK(keys, correct, k, { method: 'exact' }) - bruteMajority(keys, correct, k))).toBeLessThan(1e-12);
    }
  });
});

describe('majorityAtK exact against enumeration of class-count vectors', () => {
  it.each([
    { sizes: [20, 18, 9, 5], values: [1, 0, 0, 0], noAnswer: 4 },
    { sizes: [12, 12, 12, 3, 1, 1], values: [0, 1, 0, 0, 1, 0], noAnswer: 0 },
    { sizes: [30, 2, 2, 2, 2, 2], values: [0.5, 1, 0, 0, 0, 0], noAnswer: 10 },
  ])('sizes $sizes, no answer $noAnswer, every k', ({ sizes, values, noAnswer }) => {
    const keys: Array<string | null> = [];
    const correct: boolean[] = [];
    sizes.forEach((size, index) => {
      for (let sample = 0; sample < size; sample += 1) {
        keys.push(`c${index}`);
        correct.push(sample < Math.round(size * (values[index] ?? 0)));
      }
    });
    for (let sample = 0; sample < noAnswer; sample += 1) {
      keys.push(null);
      correct.push(false);
    }
    for (let k = 1; k <= keys.length; k += 1) {
      const expected = countVectorMajority(sizes, values, noAnswer, k);
      expect(Math.abs(majorityAtK(keys, correct, k, { method: 'exact' }) - expected)).toBeLessThan(1e-10);
    }
  });
});

describe('majorityAtK', () => {
  it('votes over the keys it is given: `1/2` and `0.5` keyed alike vote together', () => {
    // Five samples answered 1/2, 0.5, 0.5, 7, 7; the verifier keys 0.5 as 1/2 (the gold answer).
    const pooled = ['1/2', '1/2', '1/2', '7', '7'];
    const unpooled = ['1/2', '0.5', '0.5', '7', '7'];
    const correct = [true, true, true, false, false];
    expect(majorityAtK(pooled, correct, 5)).toBe(1);
    // Unpooled, 0.5 and 7 tie at two votes each: half the time the wrong one wins.
    expect(majorityAtK(unpooled, correct, 5)).toBe(0.5);
  });

  it('is the plain vote when k = n, ties averaged', () => {
    expect(majorityAtK(['a', 'b', 'b', 'a', 'c'], [true, false, false, true, false], 5)).toBe(0.5);
  });

  it('is the fraction of answered correct samples at k = 1', () => {
    const keys = ['a', 'a', 'b', null, 'c', 'a'];
    const correct = [true, true, false, false, false, true];
    expect(majorityAtK(keys, correct, 1)).toBeCloseTo(3 / 6, 14);
  });

  it('throws K_EXCEEDS_N for k > n and rejects arrays of different lengths', () => {
    expect(() => majorityAtK(['a', 'b'], [true, false], 3)).toThrowError(expect.objectContaining({ code: 'K_EXCEEDS_N' }) as Error);
    expect(() => majorityAtK(['a', 'b'], [true], 1)).toThrowError(expect.objectContaining({ code: 'METRIC_LENGTH_MISMATCH' }) as Error);
  });

  it('Monte Carlo is deterministic for a seed and close to the exact value', () => {
    const { keys, correct } = realisticProblem(400, 11);
    const first = majorityAtK(keys, correct, 20, { method: 'monte-carlo', draws: 4000, seed: 5 });
    const again = majorityAtK(keys, correct, 20, { method: 'monte-carlo', draws: 4000, seed: 5 });
    expect(again).toBe(first);
    const exact = majorityAtK(keys, correct, 20, { method: 'exact' });
    // Standard error of a mean of 4000 values in [0, 1] is at most 0.0079.
    expect(Math.abs(first - exact)).toBeLessThan(0.03);
  });

  it('exact and Monte Carlo agree on a large problem (n = 10,000, a handful of classes and one-off answers)', () => {
    const { keys, correct } = realisticProblem(10_000, 3);
    for (const k of [1, 16, 256, 4096]) {
      const exact = majorityAtK(keys, correct, k, { method: 'exact' });
      const monteCarlo = majorityAtK(keys, correct, k, { method: 'monte-carlo', draws: 3000, seed: 1 });
      expect(Math.abs(exact - monteCarlo)).toBeLessThan(0.035);
    }
  });

  it('chooses exact below the work limit and Monte Carlo above it', () => {
    const { keys, correct } = realisticProblem(10_000, 3);
    const classes = answerClasses(keys, correct);
    expect(majorityMethodFor(classes, 10_000).method).toBe('exact');
    const planned = majorityMethodFor(classes, 256);
    expect(planned.work).toBeGreaterThan(0);
    expect(majorityMethodFor(classes, 256, planned.work - 1).method).toBe('monte-carlo');
    expect(majorityMethodFor(classes, 256, planned.work).method).toBe('exact');
    const viaMonteCarlo = majorityAtK(keys, correct, 256, { maxExactWork: 0, draws: 500, seed: 2 });
    expect(viaMonteCarlo).toBe(majorityAtK(keys, correct, 256, { method: 'monte-carlo', draws: 500, seed: 2 }));
  });

  it('n = 250 with many classes matches Monte Carlo', () => {
    const random = createRandom(9);
    const keys: Array<string | null> = [];
    const correct: boolean[] = [];
    for (let index = 0; index < 250; index += 1) {
      const draw = random.next();
      if (draw < 0.2) {
        keys.push('gold');
        correct.push(true);
      } else if (draw < 0.3) {
        keys.push(null);
        correct.push(false);
      } else {
        keys.push(`wrong-${Math.floor(random.next() * 60)}`);
        correct.push(false);
      }
    }
    for (const k of [8, 64, 128]) {
      const exact = majorityAtK(keys, correct, k, { method: 'exact' });
      const monteCarlo = majorityAtK(keys, correct, k, { method: 'monte-carlo', draws: 4000, seed: 3 });
      expect(Math.abs(exact - monteCarlo)).toBeLessThan(0.03);
    }
  });
});

/** A problem with a right answer, a few popular wrong ones, one-off answers and some samples without an answer. */
function realisticProblem(n: number, seed: number): { keys: Array<string | null>; correct: boolean[] } {
  const random = createRandom(seed);
  const shares: Array<[string, number]> = [['gold', 0.3], ['wrong-a', 0.27], ['wrong-b', 0.15], ['wrong-c', 0.08]];
  const keys: Array<string | null> = [];
  const correct: boolean[] = [];
  for (let index = 0; index < n; index += 1) {
    let draw = random.next();
    let key: string | null = null;
    for (const [name, share] of shares) {
      if (draw < share) {
        key = name;
        break;
      }
      draw -= share;
    }
    if (key === null && random.next() < 0.6) key = `once-${index}`;
    keys.push(key);
    correct.push(key === 'gold');
  }
  return { keys, correct };
}
