import { describe, expect, it } from 'vitest';
import { answerClasses } from '../../harness/metrics/answer-classes.ts';
import { cellMajorityCeiling, majorityCeiling } from '../../harness/metrics/majority-ceiling.ts';
import { bruteMajority } from './reference.ts';

const labels = ['A', 'B', 'C', null] as const;

/** Every way n samples can answer A (gold), B, C or nothing. */
function* assignments(n: number): Generator<Array<string | null>> {
  const total = Math.pow(labels.length, n);
  for (let code = 0; code < total; code += 1) {
    let rest = code;
    const keys: Array<string | null> = [];
    for (let sample = 0; sample < n; sample += 1) {
      keys.push(labels[rest % labels.length] ?? null);
      rest = Math.floor(rest / labels.length);
    }
    yield keys;
  }
}

/** The definition, counted by hand: 1 when A is strictly the most frequent, 1/t when A ties with t−1 others, else 0. */
function definition(keys: ReadonlyArray<string | null>): number {
  const counts = new Map<string, number>();
  for (const key of keys) if (key !== null) counts.set(key, (counts.get(key) ?? 0) + 1);
  const gold = counts.get('A') ?? 0;
  if (gold === 0) return 0;
  const best = Math.max(...counts.values());
  if (gold < best) return 0;
  return 1 / [...counts.values()].filter((count) => count === best).length;
}

/**
 * Plurality vote over K draws with replacement from class frequencies (three classes), exact by
 * enumerating the multinomial counts: majority@K of a model whose answer distribution is `shares`.
 */
function voteWithReplacement(shares: [number, number, number], values: [number, number, number], draws: number): number {
  const logFactorial = [0];
  for (let index = 1; index <= draws; index += 1) logFactorial.push((logFactorial[index - 1] ?? 0) + Math.log(index));
  let expected = 0;
  for (let first = 0; first <= draws; first += 1) {
    for (let second = 0; first + second <= draws; second += 1) {
      const third = draws - first - second;
      const counts = [first, second, third];
      const logProbability =
        (logFactorial[draws] ?? 0) -
        (logFactorial[first] ?? 0) -
        (logFactorial[second] ?? 0) -
        (logFactorial[third] ?? 0) +
        counts.reduce((sum, count, index) => sum + (count === 0 ? 0 : count * Math.log(shares[index] ?? 0)), 0);
      const best = Math.max(...counts);
      const winners = counts.flatMap((count, index) => (count === best ? [values[index] ?? 0] : []));
      expected += (Math.exp(logProbability) * winners.reduce((sum, value) => sum + value, 0)) / winners.length;
    }
  }
  return expected;
}

describe('majorityCeiling (majority@∞)', () => {
  it('matches the definition on every assignment of up to 6 samples to answers A (gold), B, C or none', () => {
    let checked = 0;
    for (let n = 1; n <= 6; n += 1) {
      for (const keys of assignments(n)) {
        const correct = keys.map((key) => key === 'A');
        expect(majorityCeiling(answerClasses(keys, correct)), keys.join(',')).toBeCloseTo(definition(keys), 14);
        checked += 1;
      }
    }
    expect(checked).toBe(5460);
  });

  it('equals the brute-force vote over all n samples, mixed-correctness classes included', () => {
    const keys = ['x', 'x', 'y', 'y', 'y', 'z', null];
    const correct = [true, false, true, true, false, false, false];
    expect(majorityCeiling(answerClasses(keys, correct))).toBeCloseTo(bruteMajority(keys, correct, keys.length), 14);
    const tiedKeys = ['x', 'y', 'x', 'y', null];
    const tiedCorrect = [true, false, true, false, false];
    expect(majorityCeiling(answerClasses(tiedKeys, tiedCorrect))).toBe(0.5);
    expect(majorityCeiling(answerClasses(tiedKeys, tiedCorrect))).toBeCloseTo(bruteMajority(tiedKeys, tiedCorrect, 5), 14);
  });

  it('is the plateau a vote with ever more draws approaches', () => {
    const shares: [number, number, number] = [0.45, 0.35, 0.2];
    const ceiling = majorityCeiling({ sizes: [45, 35, 20], correctCounts: [45, 0, 0] });
    expect(ceiling).toBe(1);
    const gaps = [25, 101, 401].map((draws) => Math.abs(ceiling - voteWithReplacement(shares, [1, 0, 0], draws)));
    expect(gaps[0]).toBeGreaterThan(gaps[1] ?? 0);
    expect(gaps[1]).toBeGreaterThan(gaps[2] ?? 0);
    expect(gaps[2]).toBeLessThan(0.02);
    // A gold answer that is frequent but not the most frequent: the vote tends to 0.
    const wrongCeiling = majorityCeiling({ sizes: [35, 45, 20], correctCounts: [35, 0, 0] });
    expect(wrongCeiling).toBe(0);
    expect(voteWithReplacement([0.35, 0.45, 0.2], [1, 0, 0], 401)).toBeLessThan(0.02);
  });

  it.each([
    [{ sizes: [], correctCounts: [] }, 0],
    [{ sizes: [3], correctCounts: [3] }, 1],
    [{ sizes: [2, 2, 2], correctCounts: [2, 0, 0] }, 1 / 3],
    [{ sizes: [2, 3], correctCounts: [2, 0] }, 0],
  ])('%j gives %d', (classes, expected) => {
    expect(majorityCeiling(classes)).toBeCloseTo(expected, 15);
  });

  it('averages over the problems of a cell with a bootstrap interval', () => {
    const estimate = cellMajorityCeiling(
      [
        { sizes: [3, 1], correctCounts: [3, 0] },
        { sizes: [1, 3], correctCounts: [1, 0] },
      ],
      { draws: 200, seed: 3 },
    );
    expect(estimate.value).toBe(0.5);
    expect(estimate.low).toBeGreaterThanOrEqual(0);
    expect(estimate.high).toBeLessThanOrEqual(1);
  });
});
