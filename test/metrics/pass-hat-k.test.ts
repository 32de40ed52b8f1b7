import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../harness/core/errors.ts';
import { passHatK } from '../../harness/metrics/pass-hat-k.ts';
import { bigChoose } from './reference.ts';

/** num/den as a float with about 15 significant digits, however small (big-integer long division). */
function bigRatio(numerator: bigint, denominator: bigint): number {
  if (numerator === 0n) return 0;
  const shift = denominator.toString().length - numerator.toString().length + 40;
  const scaled = shift >= 0 ? (numerator * 10n ** BigInt(shift)) / denominator : numerator / (denominator * 10n ** BigInt(-shift));
  return Number(scaled) * Math.pow(10, -shift);
}

/** C(c, k)/C(n, k) from exact big-integer binomials. */
function referencePassHatK(n: number, c: number, k: number): number {
  return bigRatio(bigChoose(c, k), bigChoose(n, k));
}

function* cases(): Generator<[number, number, number]> {
  for (const n of [1, 2, 3, 5, 8, 13, 64, 250, 1000, 10_000]) {
    for (const c of new Set([0, 1, 2, Math.floor(n / 3), Math.floor(n / 2), n - 1, n].filter((value) => value >= 0 && value <= n))) {
      for (const k of new Set([1, 2, 3, 7, 16, 100, 250, n - 1, n].filter((value) => value >= 1 && value <= n))) yield [n, c, k];
    }
  }
}

describe('passHatK', () => {
  const table = [...cases()];

  it(`equals C(c,k)/C(n,k) from big-integer binomials on ${String(table.length)} (n, c, k), to 1e-12 relative`, () => {
    expect(table.length).toBeGreaterThan(300);
    for (const [n, c, k] of table) {
      const expected = referencePassHatK(n, c, k);
      const got = passHatK(n, c, k);
      if (expected === 0) expect(got, `n=${n} c=${c} k=${k}`).toBe(0);
      else expect(Math.abs(got - expected) / expected, `n=${n} c=${c} k=${k}`).toBeLessThan(1e-12);
    }
  });

  it.each([
    [4, 2, 2, 1 / 6],
    [4, 4, 3, 1],
    [10, 5, 1, 0.5],
    [10, 2, 3, 0],
    [250, 0, 1, 0],
  ])('n=%i c=%i k=%i is exactly %d', (n, c, k, expected) => {
    expect(passHatK(n, c, k)).toBeCloseTo(expected, 15);
  });

  it('equals c/n at k = 1 and never exceeds pass@1', () => {
    expect(passHatK(250, 37, 1)).toBeCloseTo(37 / 250, 15);
    for (const k of [2, 5, 50]) expect(passHatK(250, 200, k)).toBeLessThan(200 / 250);
  });

  it.each([
    [100, 3, 101, 'K_EXCEEDS_N'],
    [10, 11, 1, 'METRIC_INVALID_ARGUMENT'],
    [10, 2, 0, 'METRIC_INVALID_ARGUMENT'],
    [10, 2, 1.5, 'METRIC_INVALID_ARGUMENT'],
  ])('n=%i c=%i k=%d throws %s', (n, c, k, code) => {
    let caught: unknown;
    try {
      passHatK(n, c, k);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(HarnessError);
    expect((caught as HarnessError).code).toBe(code);
  });
});
