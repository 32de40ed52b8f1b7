/** Deterministic pseudo-random numbers: every random choice in scaling-bench is seeded. */

/** A seeded generator of uniform numbers in [0, 1). */
export interface Random {
  /** Next uniform number in [0, 1). */
  next(): number;
}

/** mulberry32: small, fast, good enough for simulation and resampling; same seed, same stream. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  return {
    next(): number {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

/** A 32-bit hash of strings and numbers (FNV-1a), for deriving seeds from names. */
export function hashSeed(...parts: ReadonlyArray<string | number>): number {
  let hash = 0x811c9dc5;
  for (const part of parts) {
    const text = `${String(part)}\u0000`;
    for (let i = 0; i < text.length; i += 1) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193);
    }
  }
  return hash >>> 0;
}

/** A random integer in [0, n). */
export function randomInt(random: Random, n: number): number {
  return Math.floor(random.next() * n);
}

/** Standard normal deviate (Box–Muller). */
export function randomNormal(random: Random): number {
  const u = Math.max(random.next(), 1e-300);
  const v = random.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Gamma(shape, 1) deviate (Marsaglia–Tsang). */
export function randomGamma(random: Random, shape: number): number {
  if (shape < 1) {
    return randomGamma(random, shape + 1) * Math.pow(Math.max(random.next(), 1e-300), 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = randomNormal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = random.next();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Beta(alpha, beta) deviate. */
export function randomBeta(random: Random, alpha: number, beta: number): number {
  const x = randomGamma(random, alpha);
  const y = randomGamma(random, beta);
  return x / (x + y);
}

/**
 * A seeded draw of `count` items without replacement (0 ≤ count ≤ items.length), in draw order:
 * the first `count` steps of a Fisher–Yates shuffle. Reorders `items` in place (pass a copy to
 * keep yours) and returns the drawn items.
 */
export function drawWithoutReplacement<T>(items: T[], count: number, random: Random): T[] {
  for (let index = 0; index < count; index += 1) {
    const swap = index + randomInt(random, items.length - index);
    [items[index], items[swap]] = [items[swap] as T, items[index] as T];
  }
  return items.slice(0, count);
}
