/**
 * How temperature acts on the simulated model. The profiles are calibrated at the default sampling
 * temperature (REFERENCE_TEMPERATURE, 0.6); at another temperature T every per-sample probability
 * is tempered as a softmax over {right, wrong} (and over the wrong answers) would be when its logits
 * are divided by T instead of 0.6: p ↦ p^γ / (p^γ + (1 − p)^γ) with γ = 0.6 / T.
 *
 * Lower temperature (γ > 1) pushes each problem's solve rate towards 0 or 1: less diversity, so
 * pass@1 barely moves while coverage rises more slowly with k (hard problems become rarer to
 * solve), and wrong answers gather on the most popular one. Higher temperature (γ < 1) spreads
 * them: coverage rises faster. Temperature 0 is greedy: every sample is the same.
 */

/** The temperature the sim profiles are calibrated at (the config default), unitless. */
export const REFERENCE_TEMPERATURE = 0.6;

/** The exponent γ = REFERENCE_TEMPERATURE / temperature (1 at the reference; Infinity at 0). */
export function temperatureExponent(temperature: number): number {
  return temperature <= 0 ? Number.POSITIVE_INFINITY : REFERENCE_TEMPERATURE / temperature;
}

/** A solve rate in [0, 1] tempered to `temperature`; at 0 (greedy) 1 when above one half, else 0. */
export function temperSolveRate(solveRate: number, temperature: number): number {
  const exponent = temperatureExponent(temperature);
  if (exponent === 1 || solveRate <= 0 || solveRate >= 1) return solveRate;
  if (!Number.isFinite(exponent)) return solveRate > 0.5 ? 1 : 0;
  // In log space, so that a steep exponent on a small rate does not underflow to 0/0.
  const logRight = exponent * Math.log(solveRate);
  const logWrong = exponent * Math.log1p(-solveRate);
  return 1 / (1 + Math.exp(logWrong - logRight));
}

/** Cumulative weights (last = 1) of answer shares tempered to `temperature`; at 0 all mass on the largest share. */
export function temperCumulative(cumulative: readonly number[], temperature: number): number[] {
  const exponent = temperatureExponent(temperature);
  if (exponent === 1) return [...cumulative];
  const shares = cumulative.map((bound, index) => bound - (index === 0 ? 0 : (cumulative[index - 1] as number)));
  let tempered: number[];
  if (!Number.isFinite(exponent)) {
    const top = shares.indexOf(Math.max(...shares));
    tempered = shares.map((_, index) => (index === top ? 1 : 0));
  } else {
    const largest = Math.max(...shares);
    tempered = shares.map((share) => (share <= 0 ? 0 : Math.exp(exponent * Math.log(share / largest))));
  }
  const total = tempered.reduce((sum, share) => sum + share, 0);
  const result: number[] = [];
  let sum = 0;
  for (const share of tempered) {
    sum += share / total;
    result.push(sum);
  }
  if (result.length > 0) result[result.length - 1] = 1;
  return result;
}
