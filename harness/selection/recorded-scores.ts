/**
 * Scores recorded elsewhere, read from data instead of computed: the reward-model scores of the
 * Qwen2.5-Math evaluation outputs (`pred_score`), served to score-run by a "recorded" scorer.
 *
 * Alignment with imported samples (the `qwen-math` import format numbers them the same way): a
 * record's problem id is `String(idx)` (its 0-based position among the file's records when it has
 * no `idx`), and a sample's index is its position in the record's per-sample lists
 * (`code`/`response`, `pred`, `score`, `pred_score` all run in the same order).
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { DatasetError, ProviderError } from '../core/errors.ts';
import { readJsonlFile } from '../store/sample-log.ts';
import type { ScoreScale } from './score-log.ts';
import type { ScoreCandidate, ScoreOutcome, Scorer } from './scorers/types.ts';

/** One recorded score of one sample. */
export interface RecordedScore {
  /** Problem id (`String(idx)`, or the record's 0-based position when it has no idx). */
  problem: string;
  /** Sample index: position in the record's per-sample lists. */
  index: number;
  /** The recorded reward-model score (a raw reward, higher = better). */
  score: number;
  /** The recorded correctness of the sample, when the file has it (`score` list). */
  correct?: boolean;
  /** The answer the source extracted (`pred`), when the file has it; null when it extracted none. */
  answer?: string | null;
}

const qwenRowSchema = z.object({
  idx: z.union([z.number(), z.string()]).nullish(),
  pred_score: z.array(z.union([z.number(), z.array(z.number()).min(1)])),
  score: z.array(z.boolean()).nullish(),
  pred: z.array(z.union([z.string(), z.number(), z.null()])).nullish(),
});

type QwenRow = z.infer<typeof qwenRowSchema>;

function parseQwenRow(text: string, line: number, path: string): QwenRow {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new DatasetError('RECORDED_SCORES_INVALID', `${path}:${line} is not valid JSON`, { hint: 'Each line must be one JSON object.', cause: error });
  }
  const parsed = qwenRowSchema.safeParse(value);
  if (!parsed.success) {
    throw new DatasetError('RECORDED_SCORES_INVALID', `${path}:${line} has no per-sample pred_score list`, {
      hint: 'Pass a Qwen2.5-Math evaluation output written with reward-model scores (fields idx, pred_score, score, pred).',
    });
  }
  return parsed.data;
}

/**
 * Streams the recorded reward-model scores of a Qwen2.5-Math evaluation file (`math_cot_100.jsonl`
 * and the like), one per sample, in file order. `pred_score` entries are `[float]` (one reward per
 * sample) or plain numbers; a list of several numbers counts by its last (the outcome reward).
 *
 * @throws DatasetError `RECORDED_SCORES_INVALID` naming the line, for a row without `pred_score`
 */
export async function* readQwenMathScores(path: string): AsyncGenerator<RecordedScore> {
  if (!existsSync(path)) {
    throw new DatasetError('RECORDED_SCORES_MISSING', `no file ${path}`, { hint: 'Pass the Qwen2.5-Math evaluation output (.jsonl) that holds `pred_score`.' });
  }
  let position = 0;
  for await (const row of readJsonlFile(path, parseQwenRow)) {
    const problem = row.idx === null || row.idx === undefined ? String(position) : String(row.idx);
    for (let index = 0; index < row.pred_score.length; index += 1) {
      const entry = row.pred_score[index];
      const score = Array.isArray(entry) ? entry[entry.length - 1] : entry;
      if (score === undefined) continue;
      const correct = row.score?.[index];
      const answer = row.pred?.[index];
      yield {
        problem,
        index,
        score,
        ...(correct === undefined ? {} : { correct }),
        ...(answer === undefined ? {} : { answer: answer === null ? null : String(answer) }),
      };
    }
    position += 1;
  }
}

/** Key of a recorded score: problem and sample index. */
export function recordedScoreKey(problem: string, index: number): string {
  return `${problem}\u0000${index}`;
}

/** Collects recorded scores into a map keyed by `recordedScoreKey`. */
export async function loadRecordedScores(scores: AsyncIterable<RecordedScore> | Iterable<RecordedScore>): Promise<Map<string, number>> {
  const map = new Map<string, number>();
  for await (const entry of scores) map.set(recordedScoreKey(entry.problem, entry.index), entry.score);
  return map;
}

/** Settings of a recorded scorer. */
export interface RecordedScorerOptions {
  /** Scores keyed by `recordedScoreKey(problem, index)`. */
  scores: ReadonlyMap<string, number>;
  /** How to read them. Default `logit` (a reward model's raw output). */
  scale?: ScoreScale;
  /** Scorer id written in score records. Default `recorded`. */
  id?: string;
  /** Legend label. Default `recorded reward model`. */
  label?: string;
}

/** A scorer that serves recorded scores (no model call, no compute spent). */
export function createRecordedScorer(options: RecordedScorerOptions): Scorer {
  const scale = options.scale ?? 'logit';
  return {
    id: options.id ?? 'recorded',
    kind: 'recorded',
    label: options.label ?? 'recorded reward model',
    simulated: false,
    score(candidate: ScoreCandidate): Promise<ScoreOutcome> {
      const score = options.scores.get(recordedScoreKey(candidate.problem, candidate.index));
      if (score === undefined) {
        return Promise.reject(
          new ProviderError('RECORDED_SCORE_MISSING', `no recorded score for sample ${candidate.index} of problem ${candidate.problem}`, {
            retryable: false,
            hint: 'The recorded scores must come from the same file the samples were imported from (problem id = idx, index = position in the sample lists).',
          }),
        );
      }
      return Promise.resolve({ score, scale });
    },
  };
}
