/**
 * Profiles of the simulated model (`provider: sim`). A simulation, not a model: each problem gets
 * a latent solve rate p ~ Beta(alpha, beta), so the expected coverage curve is
 * 1 − B(alpha, beta + k) / B(alpha, beta). Alpha and beta were fitted (least squares on
 * log coverage over 40 log-spaced k in 1…10,000) to published exponentiated power laws.
 */
import { ConfigError } from '../../core/errors.ts';

/** One simulated model. */
export interface SimProfile {
  /** Profile id used in configs. */
  id: string;
  /** What it imitates and where its numbers come from. */
  description: string;
  /** Beta distribution of per-problem solve rates. */
  alpha: number;
  beta: number;
  /** The published fit it was calibrated to (coverage ≈ exp(a·k^b)), when there is one. */
  calibratedTo?: { a: number; b: number; source: string };
  /** Architecture table entry for FLOPs. */
  architecture: string;
  /** Mean completion tokens of an answer (log-normal, sigma 0.35). */
  meanCompletionTokens: number;
  /** Share of the wrong probability mass on the most popular wrong answer (skews votes). */
  topDistractorShare: number;
  /** Fraction of wrong samples that state no final answer at all. */
  noAnswerRate: number;
  /** Solve-rate gain from thinking: p' = 1 − (1 − p)^(1 + thinkingGain·ln(1 + budget/256)). */
  thinkingGain: number;
  /** Accuracy of the simulated verifier (self-verification demo): P(judged correct | correct) and P(judged wrong | wrong). */
  verifierAccuracy: number;
}

const monkeys = 'Brown et al. 2024, Large Language Monkeys, MATH (Figure 5 fits)';

/** The built-in profiles. */
export const simProfiles: readonly SimProfile[] = [
  {
    id: 'llama-3-8b-instruct-math',
    description: 'Simulated Llama-3-8B-Instruct on MATH: coverage ≈ exp(−1.33·k^−0.43)',
    alpha: 0.3586,
    beta: 1.0027,
    calibratedTo: { a: -1.33, b: -0.43, source: monkeys },
    architecture: 'llama-3-8b',
    meanCompletionTokens: 330,
    topDistractorShare: 0.55,
    noAnswerRate: 0.04,
    thinkingGain: 0.35,
    verifierAccuracy: 0.75,
  },
  {
    id: 'llama-3-70b-instruct-math',
    description: 'Simulated Llama-3-70B-Instruct on MATH: coverage ≈ exp(−0.75·k^−0.46)',
    alpha: 0.4147,
    beta: 0.4864,
    calibratedTo: { a: -0.75, b: -0.46, source: monkeys },
    architecture: 'llama-3-70b',
    meanCompletionTokens: 300,
    topDistractorShare: 0.6,
    noAnswerRate: 0.02,
    thinkingGain: 0.3,
    verifierAccuracy: 0.82,
  },
  {
    id: 'small-reasoner',
    description: 'Simulated 7B reasoning model whose solve rate grows with the thinking budget (illustrative, not calibrated)',
    alpha: 0.5,
    beta: 1.5,
    architecture: 'qwen2.5-7b',
    meanCompletionTokens: 400,
    topDistractorShare: 0.5,
    noAnswerRate: 0.03,
    thinkingGain: 0.8,
    verifierAccuracy: 0.7,
  },
];

/** Looks up a profile or throws a ConfigError listing the valid ones. */
export function findSimProfile(id: string): SimProfile {
  const profile = simProfiles.find((candidate) => candidate.id === id);
  if (!profile) {
    throw new ConfigError('SIM_PROFILE_UNKNOWN', `unknown sim profile '${id}'`, {
      hint: `Use one of: ${simProfiles.map((candidate) => candidate.id).join(', ')}.`,
    });
  }
  return profile;
}
