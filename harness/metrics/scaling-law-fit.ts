import { MetricsError } from './metrics-error.ts';

/** A fitted exponentiated power law `coverage(k) ≈ exp(a·k^b)`. */
export interface ScalingLawFit {
  /** Scale: log coverage at k = 1 (negative for coverage below 1). */
  a: number;
  /** Exponent of k (negative: log coverage shrinks toward 0 as k grows). */
  b: number;
  /** Root mean squared error of the fit in log coverage, over the points used. */
  rmse: number;
  /** Points the fit used (coverage in (0, 1]). */
  points: number;
  /** Root mean squared error in coverage itself, over the same points. */
  rmseCoverage?: number;
  /** Points left out because their coverage was 0 (log coverage is −∞ there). */
  excluded?: number;
}

/**
 * Fits `log coverage(k) ≈ a·k^b` (Large Language Monkeys) by least squares on log coverage. For a
 * fixed b the best a is closed-form (a regression through the origin on k^b), so the fit is a
 * one-dimensional search over b: a scan of b in [−3, 1] refined by golden-section search.
 * Pass log-spaced k (e.g. `defaultKs`) so that every decade weighs alike. Points with coverage 0
 * are left out (counted in `excluded`); points with coverage 1 are kept (log coverage 0).
 *
 * @throws MetricsError `FIT_TOO_FEW_POINTS` with fewer than two usable points
 */
export function fitScalingLaw(points: ReadonlyArray<{ k: number; coverage: number }>): ScalingLawFit {
  const usable = points.filter((point) => point.k > 0 && point.coverage > 0 && point.coverage <= 1);
  const excluded = points.filter((point) => point.coverage <= 0).length;
  const distinctK = new Set(usable.map((point) => point.k)).size;
  if (usable.length < 2 || distinctK < 2) {
    throw new MetricsError('FIT_TOO_FEW_POINTS', `a scaling-law fit needs at least 2 points with distinct k and coverage > 0, got ${usable.length}`, {
      hint: 'Report more k values (sampling.k), or check that the cell solved at least some problems.',
    });
  }
  const ks = usable.map((point) => point.k);
  const logCoverage = usable.map((point) => Math.log(point.coverage));
  const scaleFor = (b: number): number => {
    let numerator = 0;
    let denominator = 0;
    ks.forEach((k, index) => {
      const power = Math.pow(k, b);
      numerator += power * (logCoverage[index] ?? 0);
      denominator += power * power;
    });
    return denominator === 0 ? 0 : numerator / denominator;
  };
  const squaredError = (b: number): number => {
    const a = scaleFor(b);
    let sum = 0;
    ks.forEach((k, index) => {
      const residual = (logCoverage[index] ?? 0) - a * Math.pow(k, b);
      sum += residual * residual;
    });
    return sum;
  };
  const scanLow = -3;
  const scanHigh = 1;
  const scanSteps = 400;
  let bestB = scanLow;
  let bestError = Number.POSITIVE_INFINITY;
  for (let step = 0; step <= scanSteps; step += 1) {
    const b = scanLow + ((scanHigh - scanLow) * step) / scanSteps;
    const error = squaredError(b);
    if (error < bestError) {
      bestError = error;
      bestB = b;
    }
  }
  const spacing = (scanHigh - scanLow) / scanSteps;
  const b = goldenSectionMinimum(squaredError, bestB - spacing, bestB + spacing, 1e-12);
  const a = scaleFor(b);
  const rmse = Math.sqrt(squaredError(b) / usable.length);
  let coverageSquares = 0;
  usable.forEach((point) => {
    const residual = point.coverage - Math.exp(a * Math.pow(point.k, b));
    coverageSquares += residual * residual;
  });
  return { a, b, rmse, points: usable.length, rmseCoverage: Math.sqrt(coverageSquares / usable.length), excluded };
}

/** The fitted curve `exp(a·k^b)` at the given k. */
export function scalingLawCurve(fit: Pick<ScalingLawFit, 'a' | 'b'>, ks: ReadonlyArray<number>): Array<{ k: number; coverage: number }> {
  return ks.map((k) => ({ k, coverage: Math.exp(fit.a * Math.pow(k, fit.b)) }));
}

/** Minimum of a unimodal function on [low, high] by golden-section search. */
export function goldenSectionMinimum(objective: (x: number) => number, low: number, high: number, tolerance: number): number {
  const ratio = (Math.sqrt(5) - 1) / 2;
  let left = low;
  let right = high;
  let inner1 = right - ratio * (right - left);
  let inner2 = left + ratio * (right - left);
  let value1 = objective(inner1);
  let value2 = objective(inner2);
  for (let iteration = 0; iteration < 200 && right - left > tolerance; iteration += 1) {
    if (value1 <= value2) {
      right = inner2;
      inner2 = inner1;
      value2 = value1;
      inner1 = right - ratio * (right - left);
      value1 = objective(inner1);
    } else {
      left = inner1;
      inner1 = inner2;
      value1 = value2;
      inner2 = left + ratio * (right - left);
      value2 = objective(inner2);
    }
  }
  return (left + right) / 2;
}
