/**
 * scores.jsonl: the append-only score log of a run, beside samples.jsonl. One ScoreRecord per
 * (cell, problem, sample index, scorer): the score a reward model, a judge, a simulated verifier or
 * recorded data gave the sample, and the tokens the scoring spent (verification compute). Failed
 * scoring calls are recorded as `status: 'error'` and scored again on the next run, exactly like
 * failed samples. Read back as a stream; a torn last line (a crash mid-write) is ignored.
 */
import { z } from 'zod';
import { HarnessError } from '../core/errors.ts';
import { openJsonlLog, readJsonlLog, type JsonlLogWriter } from '../store/sample-log.ts';

/** File name of the score log inside a run directory. */
export const SCORES_FILE = 'scores.jsonl';

/** What kind of scorer produced a score (shown in legends and used to pick a default label). */
export const SCORER_KINDS = ['reward-model', 'judge', 'simulated', 'recorded'] as const;

/** One of SCORER_KINDS. */
export type ScorerKind = (typeof SCORER_KINDS)[number];

/**
 * How a score is to be read. `probability`: in [0, 1] (a judge's fraction of "correct" votes, a
 * classifier's probability), summed as given by the weighted vote. `logit`: an unbounded reward
 * (a reward model's raw output); the weighted vote sums its logistic sigmoid.
 */
export type ScoreScale = 'probability' | 'logit';

/** Tokens one scoring spent (the verification compute of a sample). */
export interface ScoreUsage {
  /** Prompt tokens the scorer read (the question, the candidate and any instructions), all requests summed. */
  promptTokens: number;
  /** Tokens the scorer generated (a judge's replies, all votes summed); 0 for reward models. */
  completionTokens: number;
  /** True when the counts are a tokenizer estimate rather than the server's own. */
  estimated?: boolean;
}

/** A judge's votes on one candidate. */
export interface JudgeVotes {
  /** Replies that judged the candidate correct (a numeric verdict counts with its value). */
  correct: number;
  /** Replies that judged it wrong. */
  wrong: number;
  /** Replies with no verdict that could be read (left out of the score). */
  abstained: number;
}

/** One line of scores.jsonl. */
export interface ScoreRecord {
  /** Record schema version. */
  v: 1;
  /** Cell id, as in samples.jsonl. */
  cell: string;
  /** Problem id, as in samples.jsonl. */
  problem: string;
  /** Sample index within the problem, as in samples.jsonl. */
  index: number;
  /** Scorer id: names one scorer configuration (e.g. `reward:Qwen/Qwen2.5-Math-RM-72B`); several may score one run. */
  scorer: string;
  /** Kind of scorer. */
  kind: ScorerKind;
  /** True when the score came from a simulated verifier (reports label it "(simulated)"). */
  simulated: boolean;
  /** `ok`: scored; `error`: the scoring failed after its retries (scored again on the next run). */
  status: 'ok' | 'error';
  /** The score, higher = more likely correct (`status: 'ok'` only). */
  score?: number;
  /** How to read the score (`status: 'ok'` only). */
  scale?: ScoreScale;
  /** A judge's votes, when the scorer is a judge. */
  votes?: JudgeVotes;
  /** Tokens the scoring spent (absent for recorded scores, which cost nothing here). */
  usage?: ScoreUsage;
  /** Wall-clock time of the scoring calls, milliseconds. */
  latencyMs?: number;
  /** Model name the scoring server reported. */
  modelName?: string;
  /** Error details for `status: 'error'`. */
  error?: { code: string; message: string; status?: number; attempts: number };
  /** ISO time the record was written. */
  time?: string;
}

const scoreRecordSchema = z.object({
  v: z.literal(1),
  cell: z.string(),
  problem: z.string(),
  index: z.number().int().nonnegative(),
  scorer: z.string(),
  kind: z.enum(SCORER_KINDS),
  simulated: z.boolean(),
  status: z.enum(['ok', 'error']),
  score: z.number().optional(),
  scale: z.enum(['probability', 'logit']).optional(),
  votes: z.object({ correct: z.number(), wrong: z.number(), abstained: z.number() }).optional(),
  usage: z.object({ promptTokens: z.number(), completionTokens: z.number(), estimated: z.boolean().optional() }).optional(),
  latencyMs: z.number().optional(),
  modelName: z.string().optional(),
  error: z.object({ code: z.string(), message: z.string(), status: z.number().optional(), attempts: z.number() }).optional(),
  time: z.string().optional(),
});

/** Key identifying one scored slot: cell, problem, index and scorer. */
export function scoreKey(cell: string, problem: string, index: number, scorer: string): string {
  return `${cell}\u0000${problem}\u0000${index}\u0000${scorer}`;
}

function parseLine(text: string, line: number, path: string): ScoreRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new HarnessError('SCORE_LOG_CORRUPT', `${path}:${line} is not valid JSON`, {
      hint: 'The score log was edited or damaged; remove the damaged line (its sample is scored again on the next run).',
      cause: error,
    });
  }
  const parsed = scoreRecordSchema.safeParse(value);
  if (!parsed.success || (parsed.data.status === 'ok' && parsed.data.score === undefined)) {
    throw new HarnessError('SCORE_LOG_CORRUPT', `${path}:${line} is not a score record`, {
      hint: 'Each line of scores.jsonl must be a record written by scaling-bench (v, cell, problem, index, scorer, kind, status, score).',
    });
  }
  return parsed.data as ScoreRecord;
}

/**
 * Streams the records of a score log (nothing when the file does not exist). A torn last line is
 * skipped; a bad line elsewhere is a `SCORE_LOG_CORRUPT` error naming the line.
 */
export function readScoreLog(path: string): AsyncGenerator<ScoreRecord> {
  return readJsonlLog(path, parseLine);
}

/**
 * The keys (see `scoreKey`) of the slots a score log already holds a good score for; error
 * records do not count, so their samples are scored again.
 */
export async function scoredKeys(path: string): Promise<Set<string>> {
  const keys = new Set<string>();
  for await (const record of readScoreLog(path)) {
    if (record.status === 'ok') keys.add(scoreKey(record.cell, record.problem, record.index, record.scorer));
  }
  return keys;
}

/** Appends records to a score log, one line each, buffered and flushed in batches. */
export type ScoreLogWriter = JsonlLogWriter<ScoreRecord>;

/** Opens a score log for appending, repairing a torn tail first. `flushEvery`: records per write (default 64). */
export function openScoreLog(path: string, options: { flushEvery?: number } = {}): ScoreLogWriter {
  return openJsonlLog<ScoreRecord>(path, { ...options, name: 'score log' });
}
