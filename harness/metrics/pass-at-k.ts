import { kExceedsNError, requireInteger } from './metrics-error.ts';

/**
 * coverage@k (pass@k) of one problem: the probability that at least one of k samples drawn without
 * replacement from the problem's n samples, c of them correct, is correct. The unbiased estimator of
 * Chen et al. (2021), `1 − C(n−c, k)/C(n, k)`, in its stable product form
 * `1 − ∏_{i=n−c+1}^{n} (1 − k/i)`, which never forms a large binomial.
 *
 * @param n samples of the problem (integer >= 1)
 * @param c correct samples (integer, 0..n)
 * @param k samples per attempt (integer, 1..n)
 * @returns a probability in [0, 1]
 * @throws MetricsError `K_EXCEEDS_N` when k > n; `METRIC_INVALID_ARGUMENT` for other bad values
 */
export function passAtK(n: number, c: number, k: number): number {
  requireInteger('n', n, 1);
  requireInteger('c', c, 0, n);
  if (Number.isInteger(k) && k > n) throw kExceedsNError(k, n);
  requireInteger('k', k, 1, n);
  if (n - c < k) return 1;
  let allWrong = 1;
  for (let i = n - c + 1; i <= n; i += 1) allWrong *= 1 - k / i;
  return 1 - allWrong;
}
