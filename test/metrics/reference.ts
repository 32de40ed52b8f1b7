/** Independent reference computations for the metrics tests: big-integer binomials and brute-force enumeration. */

/** C(n, k) as a BigInt (0 outside 0 <= k <= n). */
export function bigChoose(n: number, k: number): bigint {
  if (k < 0 || k > n) return 0n;
  const small = Math.min(k, n - k);
  let result = 1n;
  for (let i = 1; i <= small; i += 1) result = (result * BigInt(n - small + i)) / BigInt(i);
  return result;
}

/** 1 − C(n−c, k)/C(n, k) from exact big-integer binomials, rounded to 30 decimal digits before the float division. */
export function referencePassAtK(n: number, c: number, k: number): number {
  const total = bigChoose(n, k);
  const miss = bigChoose(n - c, k);
  const scale = 10n ** 30n;
  return Number(((total - miss) * scale) / total) / 1e30;
}

/** Every k-subset of 0..n-1, in lexicographic order. */
export function* subsets(n: number, k: number): Generator<number[]> {
  const subset = Array.from({ length: k }, (_, index) => index);
  for (;;) {
    yield subset.slice();
    let position = k - 1;
    while (position >= 0 && subset[position] === n - k + position) position -= 1;
    if (position < 0) return;
    subset[position] = (subset[position] ?? 0) + 1;
    for (let next = position + 1; next < k; next += 1) subset[next] = (subset[next - 1] ?? 0) + 1;
  }
}

/**
 * Brute-force majority@k: the mean over all k-subsets of the vote's value, where the vote goes to
 * the answer class with the most drawn samples (null never votes), ties count 1/t each, and a
 * winning class is worth the fraction of its drawn samples that are correct.
 */
export function bruteMajority(keys: ReadonlyArray<string | null>, correct: ReadonlyArray<boolean>, k: number): number {
  return meanOverSubsets(keys.length, k, (subset) => winnerValue(drawnClasses(keys, subset), (members) => members.length, correct));
}

/** Brute-force score-weighted majority: like `bruteMajority` with votes weighted by score. */
export function bruteWeightedMajority(
  keys: ReadonlyArray<string | null>,
  scores: ReadonlyArray<number>,
  correct: ReadonlyArray<boolean>,
  k: number,
): number {
  const scoreSum = (members: number[]): number => members.reduce((sum, sample) => sum + (scores[sample] ?? 0), 0);
  return meanOverSubsets(keys.length, k, (subset) => winnerValue(drawnClasses(keys, subset), scoreSum, correct));
}

/** Brute-force best-of-k: mean over subsets of the correctness of the top-scored drawn sample (ties averaged). */
export function bruteBestOfK(scores: ReadonlyArray<number>, correct: ReadonlyArray<boolean>, k: number): number {
  return meanOverSubsets(scores.length, k, (subset) => {
    const top = Math.max(...subset.map((sample) => scores[sample] ?? 0));
    const tied = subset.filter((sample) => scores[sample] === top);
    return tied.filter((sample) => correct[sample] === true).length / tied.length;
  });
}

/** The drawn samples grouped by answer class (samples without an answer are left out). */
function drawnClasses(keys: ReadonlyArray<string | null>, subset: number[]): number[][] {
  const drawn = new Map<string, number[]>();
  for (const sample of subset) {
    const key = keys[sample];
    if (key === null || key === undefined) continue;
    drawn.set(key, [...(drawn.get(key) ?? []), sample]);
  }
  return [...drawn.values()];
}

function winnerValue(groups: number[][], votes: (members: number[]) => number, correct: ReadonlyArray<boolean>): number {
  if (groups.length === 0) return 0;
  const best = Math.max(...groups.map(votes));
  // Summed scores that differ only by rounding are a tie.
  const winners = groups.filter((members) => best - votes(members) <= 1e-12 * Math.max(1, Math.abs(best)));
  const values = winners.map((members) => members.filter((sample) => correct[sample] === true).length / members.length);
  return values.reduce((sum, value) => sum + value, 0) / winners.length;
}

function meanOverSubsets(n: number, k: number, value: (subset: number[]) => number): number {
  let total = 0;
  let count = 0;
  for (const subset of subsets(n, k)) {
    total += value(subset);
    count += 1;
  }
  return total / count;
}

/**
 * majority@k by enumerating every vector of drawn counts per class (multivariate hypergeometric
 * probabilities from Pascal's triangle): independent of the subset enumeration and of the
 * library's dynamic programme, and feasible for n in the tens with a few classes.
 */
export function countVectorMajority(sizes: number[], values: number[], noAnswer: number, k: number): number {
  const n = sizes.reduce((sum, size) => sum + size, noAnswer);
  const pascal: number[][] = [[1]];
  for (let row = 1; row <= n; row += 1) {
    const previous = pascal[row - 1] ?? [];
    pascal.push(Array.from({ length: row + 1 }, (_, column) => (previous[column - 1] ?? 0) + (previous[column] ?? 0)));
  }
  const choose = (top: number, bottom: number): number => (bottom < 0 || bottom > top ? 0 : (pascal[top]?.[bottom] ?? 0));
  let expected = 0;
  const counts: number[] = [];
  const visit = (index: number, remaining: number, weight: number): void => {
    if (index === sizes.length) {
      if (remaining > noAnswer) return;
      const probability = (weight * choose(noAnswer, remaining)) / choose(n, k);
      const best = Math.max(0, ...counts);
      if (best === 0) return;
      const winners = counts.flatMap((count, position) => (count === best ? [values[position] ?? 0] : []));
      expected += (probability * winners.reduce((sum, value) => sum + value, 0)) / winners.length;
      return;
    }
    const size = sizes[index] ?? 0;
    for (let count = 0; count <= Math.min(size, remaining); count += 1) {
      counts[index] = count;
      visit(index + 1, remaining - count, weight * choose(size, count));
    }
    counts.length = index;
  };
  visit(0, k, 1);
  return expected;
}
