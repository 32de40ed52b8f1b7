/** Special functions shared by the metrics and the simulation: log-gamma, log-binomials, binomial probability vectors. */

const lanczosCoefficients = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** Natural log of the gamma function for x > 0 (Lanczos, g = 7; relative error about 1e-15). */
export function logGamma(x: number): number {
  if (x < 0.5) {
    // Reflection keeps the series in its accurate range.
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  }
  const shifted = x - 1;
  let sum = lanczosCoefficients[0] ?? 1;
  const t = shifted + 7.5;
  for (let i = 1; i < 9; i += 1) sum += (lanczosCoefficients[i] ?? 0) / (shifted + i);
  return 0.5 * Math.log(2 * Math.PI) + (shifted + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Natural log of the beta function B(a, b) = Γ(a)Γ(b)/Γ(a+b), for a, b > 0. */
export function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/** Natural log of the binomial coefficient C(n, k) for integers 0 <= k <= n; -Infinity outside. */
export function logChoose(n: number, k: number): number {
  if (k < 0 || k > n) return Number.NEGATIVE_INFINITY;
  if (k === 0 || k === n) return 0;
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

/**
 * The Binomial(size, probability) probability mass function over 0..size as a vector, computed by
 * the ratio recursion outward from the mode and normalized to sum 1 (so rounding in the starting
 * value cancels). Entries below about 1e-300 are 0.
 */
export function binomialPmfVector(size: number, probability: number): Float64Array {
  const pmf = new Float64Array(size + 1);
  if (probability <= 0) {
    pmf[0] = 1;
    return pmf;
  }
  if (probability >= 1) {
    pmf[size] = 1;
    return pmf;
  }
  const mode = Math.min(size, Math.floor((size + 1) * probability));
  const odds = probability / (1 - probability);
  pmf[mode] = 1;
  let value = 1;
  for (let y = mode; y < size; y += 1) {
    value *= ((size - y) / (y + 1)) * odds;
    if (value < 1e-300) break;
    pmf[y + 1] = value;
  }
  value = 1;
  for (let y = mode; y > 0; y -= 1) {
    value *= (y / (size - y + 1)) / odds;
    if (value < 1e-300) break;
    pmf[y - 1] = value;
  }
  let total = 0;
  for (let y = 0; y <= size; y += 1) total += pmf[y] ?? 0;
  for (let y = 0; y <= size; y += 1) pmf[y] = (pmf[y] ?? 0) / total;
  return pmf;
}
