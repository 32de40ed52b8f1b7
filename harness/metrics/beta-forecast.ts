import { MetricsError } from './metrics-error.ts';
import { logBeta, logGamma } from '../core/special-functions.ts';

/** A Beta distribution of per-problem solve rates fitted to observed samples, and its coverage forecast. */
export interface BetaForecast {
  /** Beta shape alpha (> 0). */
  alpha: number;
  /** Beta shape beta (> 0). */
  beta: number;
  /** Samples per problem the fit saw (the largest n; beyond it the forecast extrapolates). */
  fittedAtN: number;
  /** Forecast coverage@k = 1 − E[(1−p)^k] = 1 − B(alpha, beta+k)/B(alpha, beta), for any k > 0. */
  predict(k: number): number;
  /** Log-likelihood of the data at the fit. */
  logLikelihood: number;
}

/** Options of `fitBetaForecast`. */
export interface BetaForecastOptions {
  /** Smallest and largest shape the search allows. Default [1e-4, 1e4]. */
  shapeBounds?: [number, number];
}

/**
 * Fits a Beta(alpha, beta) distribution of per-problem solve rates p by maximum likelihood of the
 * beta-binomial model (problem i: c_i correct of n_i, c_i ~ Binomial(n_i, p_i), p_i ~ Beta), as
 * Schaeffer et al. (2025), "How Do Large Language Monkeys Get Their Power (Laws)?". The forecast
 * coverage@k = 1 − B(alpha, beta + k)/B(alpha, beta), computed with log-gamma; its power-law tail
 * (coverage → 1 like k^−alpha) comes from the Beta's mass near p = 0. The likelihood is maximized
 * over (log alpha, log beta) by Nelder–Mead from a method-of-moments start.
 *
 * @throws MetricsError `FIT_TOO_FEW_POINTS` without problems that have samples
 */
export function fitBetaForecast(perProblem: ReadonlyArray<{ n: number; c: number }>, options: BetaForecastOptions = {}): BetaForecast {
  const [smallest, largest] = options.shapeBounds ?? [1e-4, 1e4];
  const counts = new Map<string, { n: number; c: number; weight: number }>();
  for (const { n, c } of perProblem) {
    if (!(n > 0) || c < 0 || c > n) continue;
    const key = `${n}:${c}`;
    const entry = counts.get(key);
    if (entry === undefined) counts.set(key, { n, c, weight: 1 });
    else entry.weight += 1;
  }
  const groups = [...counts.values()];
  if (groups.length === 0) {
    throw new MetricsError('FIT_TOO_FEW_POINTS', 'a Beta forecast needs at least one problem with samples', {
      hint: 'Check that the cell has problems with at least one successful sample.',
    });
  }
  const fittedAtN = groups.reduce((most, group) => Math.max(most, group.n), 0);
  const logLikelihood = (alpha: number, beta: number): number => {
    const base = logBeta(alpha, beta);
    let sum = 0;
    for (const group of groups) sum += group.weight * (logBeta(alpha + group.c, beta + group.n - group.c) - base);
    return sum;
  };
  const clampLog = (value: number): number => Math.min(Math.log(largest), Math.max(Math.log(smallest), value));
  const objective = (point: readonly [number, number]): number =>
    -logLikelihood(Math.exp(clampLog(point[0])), Math.exp(clampLog(point[1])));
  // Method of moments on the observed rates, kept inside the bounds.
  let mean = 0;
  let total = 0;
  for (const group of groups) {
    mean += group.weight * (group.c / group.n);
    total += group.weight;
  }
  mean /= total;
  let variance = 0;
  for (const group of groups) variance += group.weight * (group.c / group.n - mean) ** 2;
  variance /= total;
  const safeMean = Math.min(0.99, Math.max(0.01, mean));
  const concentration = variance > 0 ? Math.max(0.1, (safeMean * (1 - safeMean)) / variance - 1) : 10;
  const start: [number, number] = [Math.log(safeMean * concentration), Math.log((1 - safeMean) * concentration)];
  const best = nelderMead(objective, start, 0.5, 1e-10, 2000);
  const alpha = Math.exp(clampLog(best[0]));
  const beta = Math.exp(clampLog(best[1]));
  const base = logGamma(alpha + beta) - logGamma(beta);
  return {
    alpha,
    beta,
    fittedAtN,
    logLikelihood: logLikelihood(alpha, beta),
    predict(k: number): number {
      if (!(k > 0)) return 0;
      return 1 - Math.exp(base + logGamma(beta + k) - logGamma(alpha + beta + k));
    },
  };
}

/** Nelder–Mead minimization in two dimensions. */
function nelderMead(
  objective: (point: readonly [number, number]) => number,
  start: [number, number],
  step: number,
  tolerance: number,
  maxIterations: number,
): [number, number] {
  let simplex: Array<{ point: [number, number]; value: number }> = [
    start,
    [start[0] + step, start[1]] as [number, number],
    [start[0], start[1] + step] as [number, number],
  ].map((point) => ({ point, value: objective(point) }));
  for (let iteration = 0; iteration < maxIterations; iteration += 1) {
    simplex.sort((left, right) => left.value - right.value);
    const [best, middle, worst] = simplex as [
      { point: [number, number]; value: number },
      { point: [number, number]; value: number },
      { point: [number, number]; value: number },
    ];
    if (Math.abs(worst.value - best.value) <= tolerance * (1 + Math.abs(best.value)) && iteration > 20) {
      const spread = Math.max(Math.abs(worst.point[0] - best.point[0]), Math.abs(worst.point[1] - best.point[1]));
      if (spread < 1e-7) break;
    }
    const centroid: [number, number] = [(best.point[0] + middle.point[0]) / 2, (best.point[1] + middle.point[1]) / 2];
    const along = (factor: number): [number, number] => [
      centroid[0] + factor * (worst.point[0] - centroid[0]),
      centroid[1] + factor * (worst.point[1] - centroid[1]),
    ];
    const reflected = along(-1);
    const reflectedValue = objective(reflected);
    if (reflectedValue < best.value) {
      const expanded = along(-2);
      const expandedValue = objective(expanded);
      simplex = [best, middle, expandedValue < reflectedValue ? { point: expanded, value: expandedValue } : { point: reflected, value: reflectedValue }];
    } else if (reflectedValue < middle.value) {
      simplex = [best, middle, { point: reflected, value: reflectedValue }];
    } else {
      const contracted = reflectedValue < worst.value ? along(-0.5) : along(0.5);
      const contractedValue = objective(contracted);
      if (contractedValue < Math.min(reflectedValue, worst.value)) {
        simplex = [best, middle, { point: contracted, value: contractedValue }];
      } else {
        const shrink = (vertex: { point: [number, number] }): { point: [number, number]; value: number } => {
          const point: [number, number] = [(vertex.point[0] + best.point[0]) / 2, (vertex.point[1] + best.point[1]) / 2];
          return { point, value: objective(point) };
        };
        simplex = [best, shrink(middle), shrink(worst)];
      }
    }
  }
  simplex.sort((left, right) => left.value - right.value);
  return simplex[0]?.point ?? start;
}
