/**
 * A simulated verifier for the `sim` provider (offline demos and tests): a noisy copy of each
 * sample's verdict, not a model. Signal-detection model: a sample's evidence is
 * x ~ Normal(+d, 1) when it is correct and Normal(−d, 1) when it is wrong, with d = Φ⁻¹(accuracy),
 * and its score is Φ(x) in (0, 1). Thresholding at 0.5 judges a sample correct with probability
 * `accuracy` when it is correct and wrong with probability `accuracy` when it is wrong; the
 * continuous score lets best-of-k rank k candidates. Seeded per sample; labelled simulated.
 */
import { ConfigError } from '../../core/errors.ts';
import { createRandom, hashSeed, randomNormal } from '../../core/random.ts';
import { findSimProfile } from '../../providers/sim/sim-profiles.ts';
import { estimateTokens } from '../../providers/usage-shared.ts';
import type { ScoreCandidate, ScoreOutcome, Scorer } from './types.ts';

/** Settings of the simulated verifier. */
export interface SimulatedVerifierOptions {
  /** P(judged correct | correct) = P(judged wrong | wrong), in (0.5, 1). */
  accuracy: number;
  /** Seed of the simulation; each sample's noise derives from it. Default 0. */
  seed?: number;
  /**
   * Tokens a simulated check is charged, so selection is compared at equal compute: the candidate
   * and question are read (estimated from their length) and this many tokens are written. Default 16
   * (a short verdict).
   */
  completionTokensPerCheck?: number;
  /** Scorer id written in score records. Default `simulated:<accuracy>`. */
  id?: string;
  /** Legend label. Default `simulated verifier`. */
  label?: string;
}

/** Standard normal cumulative distribution Φ(x) (erfc, Numerical Recipes' Chebyshev fit; |error| < 1.2e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/** Inverse standard normal Φ⁻¹(p) for p in (0, 1) (Acklam's rational approximation; relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = d as [number, number, number, number];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  }
  if (p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) / (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1);
}

/** The simulated verifier's score of one sample (deterministic in seed, cell, problem and index). */
export function simulatedScore(accuracy: number, seed: number, candidate: Pick<ScoreCandidate, 'cell' | 'problem' | 'index' | 'correct'>): number {
  const separation = normalQuantile(accuracy);
  const random = createRandom(hashSeed('simulated-verifier', seed, candidate.cell, candidate.problem, candidate.index));
  const evidence = (candidate.correct ? separation : -separation) + randomNormal(random);
  return normalCdf(evidence);
}

/** Builds the simulated verifier with a set accuracy. */
export function createSimulatedVerifier(options: SimulatedVerifierOptions): Scorer {
  if (!(options.accuracy > 0.5 && options.accuracy < 1)) {
    throw new ConfigError('SIMULATED_VERIFIER_ACCURACY', `simulated verifier accuracy ${options.accuracy} is outside (0.5, 1)`, {
      hint: 'Use an accuracy above 0.5 (a coin flip) and below 1 (a perfect oracle), e.g. 0.75.',
    });
  }
  const seed = options.seed ?? 0;
  const completionTokens = options.completionTokensPerCheck ?? 16;
  return {
    id: options.id ?? `simulated:${options.accuracy}`,
    kind: 'simulated',
    label: options.label ?? 'simulated verifier',
    simulated: true,
    score(candidate: ScoreCandidate): Promise<ScoreOutcome> {
      return Promise.resolve({
        score: simulatedScore(options.accuracy, seed, candidate),
        scale: 'probability',
        usage: { promptTokens: estimateTokens(candidate.question) + estimateTokens(candidate.solution), completionTokens: completionTokens, estimated: true },
      });
    },
  };
}

/** The simulated verifier of a sim profile: its `verifierAccuracy`. */
export function createSimulatedVerifierForProfile(profileId: string, options: { seed?: number } = {}): Scorer {
  const profile = findSimProfile(profileId);
  return createSimulatedVerifier({ accuracy: profile.verifierAccuracy, ...(options.seed === undefined ? {} : { seed: options.seed }), id: `simulated:${profile.id}` });
}
