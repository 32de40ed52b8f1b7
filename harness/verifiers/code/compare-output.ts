/**
 * Output comparison by CodeContests' rules: the expected and actual outputs are split into
 * whitespace-separated tokens (so spacing, blank lines and trailing whitespace do not matter);
 * tokens must match exactly (case-sensitive), except that two numeric tokens of which at least
 * one is written as a floating-point number (a `.` or an exponent) match when they differ by at
 * most `floatTolerance` absolutely or relatively.
 */

/** Default tolerance for floating-point tokens: 1e-6, absolute or relative. */
export const defaultFloatTolerance = 1e-6;

const numberPattern = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const integerPattern = /^[+-]?\d+$/;

/** True when the two tokens count as equal (exact, or floating-point within the tolerance). */
export function tokensMatch(expected: string, actual: string, floatTolerance: number = defaultFloatTolerance): boolean {
  if (expected === actual) return true;
  if (!numberPattern.test(expected) || !numberPattern.test(actual)) return false;
  if (integerPattern.test(expected) && integerPattern.test(actual)) return false;
  const want = Number(expected);
  const got = Number(actual);
  if (!Number.isFinite(want) || !Number.isFinite(got)) return false;
  const difference = Math.abs(want - got);
  return difference <= floatTolerance || difference <= floatTolerance * Math.abs(want);
}

/** True when `actual` matches `expected` token by token (see the file comment). */
export function outputsMatch(expected: string, actual: string, floatTolerance: number = defaultFloatTolerance): boolean {
  const want = expected.split(/\s+/).filter((token) => token !== '');
  const got = actual.split(/\s+/).filter((token) => token !== '');
  if (want.length !== got.length) return false;
  return want.every((token, index) => tokensMatch(token, got[index] ?? '', floatTolerance));
}
