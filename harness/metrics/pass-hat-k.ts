import { kExceedsNError, requireInteger } from './metrics-error.ts';

/**
 * pass^k of one problem: the probability that all k samples drawn without replacement from the
 * problem's n samples, c of them correct, are correct (the reliability view of τ-bench, Yao et al.
 * 2024: an agent must succeed every time, not once). The unbiased estimator `C(c, k)/C(n, k)` in the
 * stable product form `∏_{i=0}^{k−1} (c − i)/(n − i)`, which never forms a large binomial.
 *
 * @param n samples of the problem (integer >= 1)
 * @param c correct samples (integer, 0..n)
 * @param k samples per attempt (integer, 1..n)
 * @returns a probability in [0, 1]; 0 when c < k
 * @throws MetricsError `K_EXCEEDS_N` when k > n; `METRIC_INVALID_ARGUMENT` for other bad values
 */
export function passHatK(n: number, c: number, k: number): number {
  requireInteger('n', n, 1);
  requireInteger('c', c, 0, n);
  if (Number.isInteger(k) && k > n) throw kExceedsNError(k, n);
  requireInteger('k', k, 1, n);
  if (c < k) return 0;
  let allRight = 1;
  for (let i = 0; i < k; i += 1) allRight *= (c - i) / (n - i);
  return allRight;
}
