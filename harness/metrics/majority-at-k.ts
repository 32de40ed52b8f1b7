import { createRandom } from '../core/random.ts';
import { answerClasses, type AnswerClasses } from './answer-classes.ts';
import { kExceedsNError, requireInteger } from './metrics-error.ts';
import { binomialPmfVector, logChoose } from '../core/special-functions.ts';

/** How majority@k is computed. */
export interface MajorityOptions {
  /**
   * `exact`: the multivariate-hypergeometric sum (see `majorityAtK`); `monte-carlo`: the mean over
   * `draws` random k-subsets; `auto` (default): exact unless its estimated work exceeds
   * `maxExactWork`, then Monte Carlo.
   */
  method?: 'exact' | 'monte-carlo' | 'auto';
  /** Random k-subsets drawn by the Monte Carlo method. Default 10,000. */
  draws?: number;
  /** Seed of the Monte Carlo draws. Default 0. */
  seed?: number;
  /** `auto` switches to Monte Carlo above this many inner-loop steps of the exact method. Default 2e7. */
  maxExactWork?: number;
}

/** Default Monte Carlo draws of majority@k. */
export const defaultMajorityDraws = 10_000;
/** Default work limit (inner-loop steps) of the exact majority@k before `auto` uses Monte Carlo. */
export const defaultMaxExactWork = 2e7;
/**
 * Counts of a class whose Binomial(size, k/n) probability is below this are left out of the exact
 * sum (the hypergeometric count is more concentrated than the binomial), so the exact method is
 * exact to about 1e-15 absolute.
 */
const negligibleProbability = 1e-22;

/**
 * majority@k of one problem: the expected accuracy of a plurality vote over k samples drawn
 * uniformly without replacement from the problem's n samples.
 *
 * - Votes are taken over answer classes (`answerKeys`, already canonical: equivalent answers share a
 *   key). A sample with no answer (null) takes up one of the k draws but does not vote; when none
 *   of the k drawn samples has an answer the vote has no winner and counts as wrong.
 * - Ties between the classes with the most votes are broken uniformly at random, counted as the
 *   expected value (each of t tied classes wins with probability 1/t).
 * - The winning class is right with the fraction of its samples that are correct. When a class is
 *   all right or all wrong (the usual case) this is 1 or 0; with mixed correctness it is the expected
 *   correctness of the drawn member that represents the class, chosen at random (the same value
 *   for every draw size, by exchangeability).
 *
 * Exact method: for every possible winning count x, a dynamic programme over the classes that can
 * reach x, tracking drawn samples and tied classes; the class that reaches furthest is folded in by
 * running sums with the remaining samples (updated as x grows), and x = 1 needs one dimension only.
 * Class counts are weighted by Binomial(s, k/n) probabilities, which, divided by the
 * Binomial(n, k/n) probability of k, give the multivariate hypergeometric probabilities without
 * forming large binomials. Monte Carlo: the mean of the same vote value over `draws` random
 * k-subsets (seeded), ties still counted at their expected value.
 *
 * @param answerKeys answer class per sample (null = no answer)
 * @param correct correctness per sample, same order
 * @param k samples per vote (integer, 1..n)
 * @returns expected accuracy in [0, 1]
 * @throws MetricsError `K_EXCEEDS_N` when k > n
 */
export function majorityAtK(
  answerKeys: ReadonlyArray<string | null>,
  correct: ReadonlyArray<boolean>,
  k: number,
  options: MajorityOptions = {},
): number {
  const classes = answerClasses(answerKeys, correct);
  return majorityOfClasses(classes, k, options);
}

/** majority@k from already grouped answer classes (see `majorityAtK`); saves regrouping across many k. */
export function majorityOfClasses(classes: AnswerClasses, k: number, options: MajorityOptions = {}): number {
  const n = classes.classOfSample.length;
  requireInteger('n (samples)', n, 1);
  if (Number.isInteger(k) && k > n) throw kExceedsNError(k, n);
  requireInteger('k', k, 1, n);
  if (classes.sizes.length === 0) return 0;
  if (k === n) return voteValue(classes.sizes, classes.values);
  const method = options.method ?? 'auto';
  if (method === 'exact') return exactMajority(classes, k);
  const draws = options.draws ?? defaultMajorityDraws;
  const seed = options.seed ?? 0;
  if (method === 'monte-carlo') return monteCarloMajority(classes, k, draws, seed);
  const plan = planExactMajority(classes, k);
  return plan.work <= (options.maxExactWork ?? defaultMaxExactWork)
    ? runExactMajority(classes, k, plan)
    : monteCarloMajority(classes, k, draws, seed);
}

/** Which majority@k method `auto` would use for these classes and k, and the exact method's estimated work. */
export function majorityMethodFor(
  classes: AnswerClasses,
  k: number,
  maxExactWork = defaultMaxExactWork,
): { method: 'exact' | 'monte-carlo'; work: number } {
  if (k >= classes.classOfSample.length || classes.sizes.length === 0) return { method: 'exact', work: 0 };
  const { work } = planExactMajority(classes, k);
  return { method: work <= maxExactWork ? 'exact' : 'monte-carlo', work };
}

/** Vote value of fixed class counts: the mean value of the classes with the most votes; 0 when no class has a vote. */
function voteValue(counts: ArrayLike<number>, values: ReadonlyArray<number>): number {
  let best = 0;
  let tied = 0;
  let valueSum = 0;
  for (let index = 0; index < counts.length; index += 1) {
    const count = counts[index] ?? 0;
    if (count === 0 || count < best) continue;
    if (count > best) {
      best = count;
      tied = 0;
      valueSum = 0;
    }
    tied += 1;
    valueSum += values[index] ?? 0;
  }
  return tied === 0 ? 0 : valueSum / tied;
}

interface ClassRange {
  index: number;
  low: number;
  high: number;
  pmf: Float64Array;
  /** Natural log of the Binomial probability of a count <= x, for x in [low, high]; index x - low. */
  logCdf: Float64Array;
}

interface ExactPlan {
  ranges: ClassRange[];
  /** Winning counts x whose probability is not negligible. */
  winningCounts: number[];
  /** For each winning count, the classes that can reach it (in a fixed order). */
  competingAt: ClassRange[][];
  lowestWinning: number;
  highestWinning: number;
  work: number;
  probability: number;
}

/**
 * Binomial pmf vectors that recur across problems: every problem of a cell has the same n, so the
 * same k/n at each k, and small class sizes (1, 2, 3, ...) recur in every problem. Vectors of the
 * whole n and of sizes up to SMALL_CLASS are memoized by probability and size, at most
 * PMF_MEMO_ENTRIES numbers in all (8 bytes each: 16 MB); past that the memo starts again empty.
 * Other sizes (the large classes and the pools, which differ from problem to problem) are made per call.
 */
const PMF_MEMO_ENTRIES = 2_000_000;
const SMALL_CLASS = 64;
const pmfMemo = new Map<number, Map<number, Float64Array>>();
let pmfMemoEntries = 0;

/** binomialPmfVector(size, probability) for a problem of n samples; recurring vectors memoized (they are never written to). */
function recurringPmf(size: number, probability: number, n: number): Float64Array {
  if (size > SMALL_CLASS && size !== n) return binomialPmfVector(size, probability);
  let bySize = pmfMemo.get(probability);
  const found = bySize?.get(size);
  if (found !== undefined) return found;
  const pmf = binomialPmfVector(size, probability);
  if (pmfMemoEntries + pmf.length > PMF_MEMO_ENTRIES) {
    pmfMemo.clear();
    pmfMemoEntries = 0;
    bySize = undefined;
  }
  if (bySize === undefined) {
    bySize = new Map();
    pmfMemo.set(probability, bySize);
  }
  bySize.set(size, pmf);
  pmfMemoEntries += pmf.length;
  return pmf;
}

function planExactMajority(classes: AnswerClasses, k: number): ExactPlan {
  const n = classes.classOfSample.length;
  const probability = k / n;
  const pmfBySize = new Map<number, Float64Array>();
  const pmfOf = (size: number): Float64Array => {
    let pmf = pmfBySize.get(size);
    if (pmf === undefined) {
      pmf = recurringPmf(size, probability, n);
      pmfBySize.set(size, pmf);
    }
    return pmf;
  };
  const ranges: ClassRange[] = classes.sizes.map((size, index) => {
    const pmf = pmfOf(size);
    let low = 0;
    while (low < size && (pmf[low] ?? 0) < negligibleProbability) low += 1;
    let high = Math.min(size, k);
    while (high > low && (pmf[high] ?? 0) < negligibleProbability) high -= 1;
    const logCdf = new Float64Array(high - low + 1);
    let cumulative = 0;
    for (let count = 0; count <= high; count += 1) {
      cumulative += pmf[count] ?? 0;
      if (count >= low) logCdf[count - low] = Math.log(Math.min(1, cumulative));
    }
    return { index, low, high, pmf, logCdf };
  });
  const logNormalizer = Math.log(binomialPmfAt(n, probability, k));
  let lowestWinning = 1;
  let highestWinning = 0;
  for (const range of ranges) {
    lowestWinning = Math.max(lowestWinning, range.low);
    highestWinning = Math.max(highestWinning, range.high);
  }
  let work = 0;
  const winningCounts: number[] = [];
  const competingAt: ClassRange[][] = [];
  // Classes by the highest count they reach: for a given x only a prefix of them can reach it.
  const byHigh = [...ranges].sort((left, right) => right.high - left.high);
  let reaching = byHigh.length;
  for (let x = lowestWinning; x <= highestWinning; x += 1) {
    while (reaching > 0 && (byHigh[reaching - 1]?.high ?? 0) < x) reaching -= 1;
    // Under independent Binomial counts, P(all counts <= x) bounds P(max = x, total = k); divided by
    // P(total = k) it bounds the probability of the vote being won with x votes.
    let logAllAtMost = 0;
    for (let position = 0; position < reaching; position += 1) {
      const range = byHigh[position];
      if (range !== undefined && x < range.high) logAllAtMost += range.logCdf[x - range.low] ?? 0;
    }
    if (logAllAtMost - logNormalizer < Math.log(negligibleProbability)) continue;
    const competing = byHigh.slice(0, reaching).filter((range) => range.low <= x);
    winningCounts.push(x);
    competingAt.push(competing);
    const ties = Math.min(competing.length, Math.floor(k / x)) + 1;
    let width = 1;
    if (x === 1) {
      // One vote each: drawn samples and tied classes are the same number (see winsWithOneVote).
      for (let index = 0; index < competing.length; index += 1) work += 2 * Math.min(k + 1, index + 1);
      continue;
    }
    // The programme runs over all competing classes but the one that reaches furthest, which the
    // running sums of runExactMajority handle at O(1) per state.
    let lastPosition = 0;
    competing.forEach((range, position) => {
      if (range.high > (competing[lastPosition]?.high ?? 0)) lastPosition = position;
    });
    let restWidth = 0;
    competing.forEach((range, position) => {
      if (position === lastPosition) return;
      const counts = Math.min(range.high, x) - range.low + 1;
      work += width * ties * counts;
      width = Math.min(k + 1, width + counts - 1);
      restWidth += range.high - range.low;
    });
    work += width * ties + restWidth + 1;
  }
  return { ranges, winningCounts, competingAt, lowestWinning, highestWinning, work, probability };
}

/** Binomial(size, probability) probability of `count`, via log-gamma. */
function binomialPmfAt(size: number, probability: number, count: number): number {
  return Math.exp(logChoose(size, count) + count * Math.log(probability) + (size - count) * Math.log1p(-probability));
}

function exactMajority(classes: AnswerClasses, k: number): number {
  return runExactMajority(classes, k, planExactMajority(classes, k));
}

function runExactMajority(classes: AnswerClasses, k: number, plan: ExactPlan): number {
  const n = classes.classOfSample.length;
  const normalizer = recurringPmf(n, plan.probability, n)[k] ?? 0;
  const poolPmfBySize = new Map<number, Float64Array>();
  const poolPmfFor = (poolSize: number): Float64Array => {
    let pmf = poolPmfBySize.get(poolSize);
    if (pmf === undefined) {
      pmf = recurringPmf(poolSize, plan.probability, n);
      poolPmfBySize.set(poolSize, pmf);
    }
    return pmf;
  };
  const scratch = createScratch();
  let expected = 0;
  let segment: LastClassSums | undefined;
  for (const [position, x] of plan.winningCounts.entries()) {
    const competing = plan.competingAt[position] ?? [];
    if (competing.length === 0) continue;
    if (x === 1) {
      expected += winsWithOneVote(classes, k, competing, poolPmfFor(n - sizeOf(classes, competing)));
      continue;
    }
    const { last, others } = splitLast(classes, competing);
    // Every other sample (no answer, classes that cannot reach x) fills the remaining draws.
    const poolPmf = poolPmfFor(n - sizeOf(classes, competing));
    const key = competing.map((range) => range.index).join(',');
    if (segment === undefined || segment.key !== key) segment = startLastClassSums(key, last, others, poolPmf, k);
    advanceLastClassSums(segment, x);
    const ties = Math.min(others.length, Math.floor(k / x));
    const stride = ties + 1;
    // weight[d][t]: probability weight of the other classes having d samples drawn, t of them tied at x;
    // valueSum[d][t]: the same weight times the summed value of the tied classes.
    let low = 0;
    let high = 0;
    let weight = scratch.weight(0, stride);
    let valueSum = scratch.valueSum(0, stride);
    weight[0] = 1;
    let side = 0;
    for (const range of others) {
      const classValue = classes.values[range.index] ?? 0;
      const pmf = range.pmf;
      const countHigh = Math.min(range.high, x);
      const nextLow = low + range.low;
      const nextHigh = Math.min(k, high + countHigh);
      if (nextLow > nextHigh) {
        low = 1;
        high = 0;
        break;
      }
      side = 1 - side;
      const nextWeight = scratch.weight(side, (nextHigh - nextLow + 1) * stride);
      const nextValueSum = scratch.valueSum(side, (nextHigh - nextLow + 1) * stride);
      for (let drawn = low; drawn <= high; drawn += 1) {
        const row = (drawn - low) * stride;
        const countLimit = Math.min(countHigh, k - drawn);
        // Counts below x keep the number of tied classes; a count of x (the largest, so last, as
        // in ascending order) adds a tie. Each target gets at most one term per drawn count.
        const belowLimit = Math.min(countLimit, x - 1);
        const reachesX = countLimit >= x && range.low <= x;
        const base = (drawn - nextLow) * stride;
        for (let tied = 0; tied <= ties; tied += 1) {
          const stateWeight = weight[row + tied] ?? 0;
          if (stateWeight === 0) continue;
          const stateValue = valueSum[row + tied] ?? 0;
          for (let count = range.low; count <= belowLimit; count += 1) {
            const countProbability = pmf[count] ?? 0;
            const target = base + count * stride + tied;
            nextWeight[target] = (nextWeight[target] ?? 0) + stateWeight * countProbability;
            nextValueSum[target] = (nextValueSum[target] ?? 0) + stateValue * countProbability;
          }
          if (reachesX && tied < ties) {
            const countProbability = pmf[x] ?? 0;
            const target = base + x * stride + tied + 1;
            nextWeight[target] = (nextWeight[target] ?? 0) + stateWeight * countProbability;
            nextValueSum[target] = (nextValueSum[target] ?? 0) + (stateValue + classValue * stateWeight) * countProbability;
          }
        }
      }
      weight = nextWeight;
      valueSum = nextValueSum;
      low = nextLow;
      high = nextHigh;
    }
    if (low > high) continue;
    // The last class either stays below x (its running sums with the pool) or ties at x.
    const lastValue = classes.values[last.index] ?? 0;
    const lastAtX = last.pmf[x] ?? 0;
    for (let drawn = low; drawn <= high; drawn += 1) {
      const rest = k - drawn;
      const below = segment.sums[rest - segment.restLow] ?? 0;
      const tiedWithPool = rest >= x ? lastAtX * (poolPmf[rest - x] ?? 0) : 0;
      const row = (drawn - low) * stride;
      for (let tied = 0; tied <= ties; tied += 1) {
        const stateWeight = weight[row + tied] ?? 0;
        const stateValue = valueSum[row + tied] ?? 0;
        if (tied >= 1) expected += (stateValue / tied) * below;
        expected += ((stateValue + lastValue * stateWeight) / (tied + 1)) * tiedWithPool;
      }
    }
  }
  return Math.min(1, Math.max(0, expected / normalizer));
}

/**
 * Two pairs of (weight, value sum) tables of the programme, reused from class to class and from
 * one winning count to the next instead of allocated each time (the allocation was most of the cost).
 */
interface Scratch {
  /** Table `side` (0 or 1) of weights, its first `length` entries zeroed. */
  weight(side: number, length: number): Float64Array;
  /** Table `side` of value sums, its first `length` entries zeroed. */
  valueSum(side: number, length: number): Float64Array;
}

function createScratch(): Scratch {
  const tables: Float64Array[] = [new Float64Array(64), new Float64Array(64), new Float64Array(64), new Float64Array(64)];
  const zeroed = (slot: number, length: number): Float64Array => {
    let table = tables[slot] as Float64Array;
    if (table.length < length) {
      table = new Float64Array(Math.max(length, 2 * table.length));
      tables[slot] = table;
    } else {
      table.fill(0, 0, length);
    }
    return table;
  };
  return { weight: (side, length) => zeroed(side, length), valueSum: (side, length) => zeroed(2 + side, length) };
}

/**
 * For the last competing class L and the pool: sums[r] = Σ_{y < x} P(L = y)·P(pool = r − y), the
 * weight of L staying below x while L and the pool share r draws. Kept while the competing set
 * stays the same and advanced one count at a time as x grows, so L costs O(1) per state.
 */
interface LastClassSums {
  key: string;
  last: ClassRange;
  poolPmf: Float64Array;
  restLow: number;
  sums: Float64Array;
  /** Counts of L below this are already in `sums`. */
  nextCount: number;
}

function startLastClassSums(key: string, last: ClassRange, others: ReadonlyArray<ClassRange>, poolPmf: Float64Array, k: number): LastClassSums {
  let othersLow = 0;
  let othersHigh = 0;
  for (const range of others) {
    othersLow += range.low;
    othersHigh += range.high;
  }
  const restLow = Math.max(0, k - Math.min(k, othersHigh));
  const restHigh = Math.max(restLow - 1, k - othersLow);
  return { key, last, poolPmf, restLow, sums: new Float64Array(restHigh - restLow + 1), nextCount: last.low };
}

function advanceLastClassSums(segment: LastClassSums, x: number): void {
  const { sums, restLow, poolPmf, last } = segment;
  for (let count = segment.nextCount; count < x; count += 1) {
    const countProbability = last.pmf[count] ?? 0;
    if (countProbability === 0) continue;
    for (let index = Math.max(0, count - restLow); index < sums.length; index += 1) {
      const poolCount = restLow + index - count;
      sums[index] = (sums[index] ?? 0) + countProbability * (poolPmf[poolCount] ?? 0);
    }
  }
  segment.nextCount = Math.max(segment.nextCount, x);
}

/** The competing class handled last (the one reaching the highest count, the largest on ties) and the others. */
function splitLast(classes: AnswerClasses, competing: ReadonlyArray<ClassRange>): { last: ClassRange; others: ClassRange[] } {
  let lastPosition = 0;
  competing.forEach((range, position) => {
    const current = competing[lastPosition];
    if (current === undefined) return;
    if (range.high > current.high || (range.high === current.high && (classes.sizes[range.index] ?? 0) > (classes.sizes[current.index] ?? 0))) {
      lastPosition = position;
    }
  });
  const last = competing[lastPosition] as ClassRange;
  return { last, others: competing.filter((_, position) => position !== lastPosition) };
}

function sizeOf(classes: AnswerClasses, ranges: ReadonlyArray<ClassRange>): number {
  let total = 0;
  for (const range of ranges) total += classes.sizes[range.index] ?? 0;
  return total;
}

/**
 * The part of majority@k where the winner has a single vote: every drawn class then has one
 * sample, so the drawn count and the number of tied classes coincide and the programme needs one
 * dimension (this is the case with hundreds of one-off answers).
 */
function winsWithOneVote(classes: AnswerClasses, k: number, competing: ReadonlyArray<ClassRange>, poolPmf: Float64Array): number {
  const limit = Math.min(k, competing.length);
  const weight = new Float64Array(limit + 1);
  const valueSum = new Float64Array(limit + 1);
  weight[0] = 1;
  let high = 0;
  for (const range of competing) {
    const none = range.low === 0 ? (range.pmf[0] ?? 0) : 0;
    const one = range.pmf[1] ?? 0;
    const classValue = classes.values[range.index] ?? 0;
    const top = high;
    if (high + 1 <= limit) {
      weight[high + 1] = (weight[high] ?? 0) * one;
      valueSum[high + 1] = ((valueSum[high] ?? 0) + classValue * (weight[high] ?? 0)) * one;
    }
    for (let drawn = top; drawn >= 1; drawn -= 1) {
      const previousWeight = weight[drawn - 1] ?? 0;
      const previousValue = valueSum[drawn - 1] ?? 0;
      valueSum[drawn] = (valueSum[drawn] ?? 0) * none + (previousValue + classValue * previousWeight) * one;
      weight[drawn] = (weight[drawn] ?? 0) * none + previousWeight * one;
    }
    weight[0] = (weight[0] ?? 0) * none;
    valueSum[0] = 0;
    high = Math.min(limit, high + 1);
  }
  let sum = 0;
  for (let drawn = 1; drawn <= high; drawn += 1) sum += ((valueSum[drawn] ?? 0) / drawn) * (poolPmf[k - drawn] ?? 0);
  return sum;
}

/**
 * Monte Carlo majority@k: the mean vote value over `draws` uniform k-subsets. Each subset is the
 * first k (or, for k > n/2, the complement of the first n−k) entries of a partial Fisher–Yates
 * shuffle; ties are counted at their expected value, so only the subsets are sampled.
 */
function monteCarloMajority(classes: AnswerClasses, k: number, draws: number, seed: number): number {
  requireInteger('draws', draws, 1);
  const n = classes.classOfSample.length;
  const random = createRandom(seed);
  // A random k-subset is drawn class by class: the number of votes of each class is a
  // hypergeometric draw given what earlier classes took (the multivariate hypergeometric,
  // sampled sequentially). Classes go largest first, so the loop stops as soon as no remaining
  // class can reach the leading count: the cost per draw is a few classes, not k samples.
  const order = classes.sizes.map((_, index) => index).sort((a, b) => (classes.sizes[b] ?? 0) - (classes.sizes[a] ?? 0));
  // The population and the class size at each step of a draw are the same in every draw (step 0:
  // the samples with no answer; step i: the i-th class in `order`); only the draws left vary. So the
  // mode's probability is memoized per step and draws left, in arrays (NaN: not computed yet).
  const modeProbabilities: Array<Float64Array | undefined> = [];
  const sample = (step: number, population: number, successes: number, picks: number): number => {
    let table = modeProbabilities[step];
    if (table === undefined) {
      table = new Float64Array(k + 1).fill(Number.NaN);
      modeProbabilities[step] = table;
    }
    return drawHypergeometric(random, population, successes, picks, table);
  };
  let total = 0;
  for (let draw = 0; draw < draws; draw += 1) {
    let population = n;
    let picks = k;
    if (classes.noAnswer > 0) {
      picks -= sample(0, population, classes.noAnswer, picks);
      population -= classes.noAnswer;
    }
    let best = 0;
    let tied = 0;
    let valueSum = 0;
    for (let step = 1; step <= order.length; step += 1) {
      const index = order[step - 1] as number;
      const size = classes.sizes[index] ?? 0;
      if (picks === 0 || Math.min(size, picks) < best) break;
      const votes = sample(step, population, size, picks);
      population -= size;
      picks -= votes;
      if (votes > best) {
        best = votes;
        tied = 1;
        valueSum = classes.values[index] ?? 0;
      } else if (votes === best && votes > 0) {
        tied += 1;
        valueSum += classes.values[index] ?? 0;
      }
    }
    total += tied === 0 ? 0 : valueSum / tied;
  }
  return total / draws;
}

/**
 * One draw of Hypergeometric(population, successes, draws): successes among `draws` items taken
 * without replacement. Inverse transform over outcomes visited outward from the mode (by the pmf
 * ratio recurrences), so the cost is about a few standard deviations, whatever the sizes.
 */
export function sampleHypergeometric(
  random: { next(): number },
  population: number,
  successes: number,
  draws: number,
  /** Memo of the mode's probability by parameters (the same few recur across draws). */
  modeCache?: Map<string, number>,
): number {
  const { low, high, mode } = hypergeometricSupport(population, successes, draws);
  if (low >= high) return low;
  const cacheKey = modeCache ? `${population},${successes},${draws}` : '';
  let modeProbability = modeCache?.get(cacheKey);
  if (modeProbability === undefined) {
    modeProbability = hypergeometricAt(population, successes, draws, mode);
    if (modeCache && modeCache.size < 100_000) modeCache.set(cacheKey, modeProbability);
  }
  return drawFromMode(random, successes, population - successes, draws, { low, high, mode }, modeProbability);
}

/** The outcomes of Hypergeometric(population, successes, draws) run from low to high; the mode used as the start. */
function hypergeometricSupport(population: number, successes: number, draws: number): { low: number; high: number; mode: number } {
  const failures = population - successes;
  const low = Math.max(0, draws - failures);
  const high = Math.min(draws, successes);
  const mode = Math.min(Math.max(Math.floor(((draws + 1) * (successes + 1)) / (population + 2)), low), high);
  return { low, high, mode };
}

function hypergeometricAt(population: number, successes: number, draws: number, count: number): number {
  return Math.exp(logChoose(successes, count) + logChoose(population - successes, draws - count) - logChoose(population, draws));
}

/** sampleHypergeometric with the mode's probability memoized in `modeByDraws[draws]` (NaN: not yet). */
function drawHypergeometric(random: { next(): number }, population: number, successes: number, draws: number, modeByDraws: Float64Array): number {
  const support = hypergeometricSupport(population, successes, draws);
  if (support.low >= support.high) return support.low;
  let modeProbability = modeByDraws[draws] ?? Number.NaN;
  if (Number.isNaN(modeProbability)) {
    modeProbability = hypergeometricAt(population, successes, draws, support.mode);
    modeByDraws[draws] = modeProbability;
  }
  return drawFromMode(random, successes, population - successes, draws, support, modeProbability);
}

/** Inverse transform from the mode outward (see sampleHypergeometric), given the mode's probability. */
function drawFromMode(
  random: { next(): number },
  successes: number,
  failures: number,
  draws: number,
  { low, high, mode }: { low: number; high: number; mode: number },
  modeProbability: number,
): number {
  const u = random.next();
  let cumulative = modeProbability;
  if (u < cumulative) return mode;
  let left = mode;
  let right = mode;
  let leftProbability = modeProbability;
  let rightProbability = modeProbability;
  for (;;) {
    const nextRight = right < high ? (rightProbability * (successes - right) * (draws - right)) / ((right + 1) * (failures - draws + right + 1)) : 0;
    const nextLeft = left > low ? (leftProbability * left * (failures - draws + left)) / ((successes - left + 1) * (draws - left + 1)) : 0;
    if (nextRight === 0 && nextLeft === 0) return u < cumulative + 1e-12 ? mode : right; // rounding: the mass is used up
    if (nextRight >= nextLeft) {
      right += 1;
      rightProbability = nextRight;
      cumulative += nextRight;
      if (u < cumulative) return right;
    } else {
      left -= 1;
      leftProbability = nextLeft;
      cumulative += nextLeft;
      if (u < cumulative) return left;
    }
  }
}
