/**
 * Self-verification: a model (any Provider; by default the sampling model itself) is asked whether
 * a candidate solution is correct, `samplesPerCandidate` times at `temperature`. Each reply casts a
 * vote (parseJudgeVerdict); the score is the fraction of "correct" votes, which is what best-of-k
 * ranks by and what the weighted vote sums. Every judge token counts as verification compute.
 */
import { hashSeed } from '../../core/random.ts';
import type { GenerateResult, Provider } from '../../providers/types.ts';
import type { JudgeVotes, ScoreUsage } from '../score-log.ts';
import { fillTemplate } from './http-shared.ts';
import { parseJudgeVerdict } from './judge-verdict.ts';
import type { ScoreCandidate, ScoreOutcome, Scorer } from './types.ts';

/** The default judge prompt: `{question}` and `{solution}` are filled in. */
export const DEFAULT_JUDGE_PROMPT = [
  'You are checking a proposed solution to a problem.',
  '',
  'Problem:',
  '{question}',
  '',
  'Proposed solution:',
  '{solution}',
  '',
  'Check the reasoning and the final answer. Is the final answer correct?',
  'Reply briefly, then end with exactly one line: "Verdict: Yes" if it is correct, or "Verdict: No" if it is not.',
].join('\n');

/** Settings of a judge scorer. */
export interface JudgeScorerOptions {
  /** The model that judges (any provider). */
  provider: Provider;
  /** Endpoint (base URL) passed with each request; '' for providers without one. */
  endpoint: string;
  /** Model label, for the default scorer id. */
  model: string;
  /** Judge prompt with `{question}` and `{solution}`. Default DEFAULT_JUDGE_PROMPT. */
  prompt?: string;
  /** System message sent before the prompt (default none). */
  systemPrompt?: string;
  /** Judge replies per candidate (votes). Default 1. */
  samplesPerCandidate?: number;
  /** Sampling temperature of the judge. Default 0 for one vote, 0.7 for several. */
  temperature?: number;
  /** Completion token limit of one reply. Default 512. */
  maxTokens?: number;
  /** Base seed of the judge's requests; each vote's seed derives from it and the sample. Default 0. */
  seed?: number;
  /** Scorer id written in score records. Default `judge:<model>`. */
  id?: string;
  /** Legend label. Default `self-verification`. */
  label?: string;
}

/** The seeds of a candidate's votes: distinct per sample and per vote, stable across runs. */
export function judgeSeeds(baseSeed: number, candidate: Pick<ScoreCandidate, 'cell' | 'problem' | 'index'>, votes: number): number[] {
  const start = hashSeed(baseSeed, candidate.cell, candidate.problem, candidate.index) % 0x7fff0000;
  return Array.from({ length: votes }, (_, vote) => start + vote);
}

/** Builds a judge scorer over a provider. */
export function createJudgeScorer(options: JudgeScorerOptions): Scorer {
  const votesPerCandidate = Math.max(1, options.samplesPerCandidate ?? 1);
  const temperature = options.temperature ?? (votesPerCandidate === 1 ? 0 : 0.7);
  const maxTokens = options.maxTokens ?? 512;
  const perRequest = Math.max(1, options.provider.maxSamplesPerRequest);

  async function score(candidate: ScoreCandidate, signal: AbortSignal): Promise<ScoreOutcome> {
    const content = fillTemplate(options.prompt ?? DEFAULT_JUDGE_PROMPT, { question: candidate.question, solution: candidate.solution });
    const messages = [
      ...(options.systemPrompt === undefined ? [] : [{ role: 'system' as const, content: options.systemPrompt }]),
      { role: 'user' as const, content },
    ];
    const seeds = judgeSeeds(options.seed ?? 0, candidate, votesPerCandidate);
    const votes: JudgeVotes = { correct: 0, wrong: 0, abstained: 0 };
    const usage: ScoreUsage = { promptTokens: 0, completionTokens: 0 };
    let modelName: string | undefined;
    for (let start = 0; start < seeds.length; start += perRequest) {
      const result: GenerateResult = await options.provider.generate({
        prompt: { kind: 'chat', messages },
        seeds: seeds.slice(start, start + perRequest),
        temperature,
        maxTokens,
        thinkingBudget: 0,
        endpoint: options.endpoint,
        problemId: candidate.problem,
        signal,
      });
      modelName ??= result.modelName;
      // Samples of one request share its prompt: prefilled once.
      usage.promptTokens += result.completions[0]?.usage.promptTokens ?? 0;
      for (const completion of result.completions) {
        usage.completionTokens += completion.usage.completionTokens;
        if (completion.usage.estimated === true) usage.estimated = true;
        const vote = parseJudgeVerdict(completion.text);
        if (vote === null) {
          votes.abstained += 1;
        } else {
          votes.correct += vote;
          votes.wrong += 1 - vote;
        }
      }
    }
    const counted = votes.correct + votes.wrong;
    // A candidate no reply gave a verdict on is undecided: halfway.
    const value = counted > 0 ? votes.correct / counted : 0.5;
    return modelName === undefined ? { score: value, scale: 'probability', usage, votes } : { score: value, scale: 'probability', usage, votes, modelName };
  }

  return {
    id: options.id ?? `judge:${options.model}`,
    kind: 'judge',
    label: options.label ?? 'self-verification',
    simulated: options.provider.simulated,
    score,
  };
}
