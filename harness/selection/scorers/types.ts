/**
 * The contract every scorer implements: a candidate solution in, a score out (higher = more likely
 * correct), with the tokens the scoring spent. A scorer maps one candidate to its server's wire
 * format and back; it never reads the environment, retries, throttles or prints (score-run and the
 * scheduler's `withRetry` own that). Failures are ProviderErrors saying whether they are retryable.
 */
import type { JudgeVotes, ScorerKind, ScoreScale, ScoreUsage } from '../score-log.ts';

/** One candidate to score: a stored sample and the problem it answers. */
export interface ScoreCandidate {
  /** Cell id of the sample. */
  cell: string;
  /** Problem id. */
  problem: string;
  /** Sample index within the problem. */
  index: number;
  /** The problem as the dataset states it (empty when the run has no problems.jsonl). */
  question: string;
  /** The candidate solution: the sample's answer text (thinking excluded). */
  solution: string;
  /** The sample's answer class (from its verdict), null when no answer was extracted. */
  answerKey: string | null;
  /**
   * The sample's verdict. Only simulated and recorded scorers may look at it (a simulated
   * verifier is a noisy copy of it); real scorers never do.
   */
  correct: boolean;
}

/** What scoring one candidate produced. */
export interface ScoreOutcome {
  /** The score, higher = more likely correct. */
  score: number;
  /** How to read the score (probability in [0, 1], or an unbounded logit). */
  scale: ScoreScale;
  /** Tokens spent (absent: nothing spent, e.g. recorded scores). */
  usage?: ScoreUsage;
  /** A judge's votes. */
  votes?: JudgeVotes;
  /** Model name the server reported. */
  modelName?: string;
}

/** A source of scores for candidate solutions. */
export interface Scorer {
  /** Scorer id written in every score record (one configuration of one scorer). */
  readonly id: string;
  /** Kind of scorer. */
  readonly kind: ScorerKind;
  /** Name shown in legends, e.g. `reward model`, `self-verification`. */
  readonly label: string;
  /** True for simulated verifiers: every curve they produce is labelled simulated. */
  readonly simulated: boolean;
  /** Scores one candidate. Throws ProviderError on failure; honours `signal`. */
  score(candidate: ScoreCandidate, signal: AbortSignal): Promise<ScoreOutcome>;
}
