/**
 * `scoreRun`: scores the stored samples of a run directory with one scorer and appends the scores
 * to scores.jsonl. Streams samples.jsonl (one sample in memory per call in flight), skips samples
 * this scorer already scored (so a stopped scoring continues where it stopped), retries through
 * the scheduler's `withRetry`, and records a scoring that failed for good as an error record
 * (scored again on the next run). Ctrl-C (an aborted signal) flushes what is done and stops.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { HarnessError, InterruptedError, ProviderError } from '../core/errors.ts';
import type { SampleRecord } from '../core/types.ts';
import { RetryExhaustedError, withRetry, type RetryDependencies, type RetryPolicy } from '../run/retry.ts';
import { problemKey, readProblemsFile } from '../store/problems-file.ts';
import { readManifest } from '../store/run-manifest.ts';
import { readSampleLog, sampleLogExists, SAMPLES_FILE } from '../store/sample-log.ts';
import { openScoreLog, scoredKeys, scoreKey, SCORES_FILE, type ScoreRecord } from './score-log.ts';
import type { ScoreCandidate, Scorer } from './scorers/types.ts';

/** Options of scoreRun. */
export interface ScoreRunOptions {
  /** The scorer (reward model, judge, simulated verifier or recorded scores). */
  scorer: Scorer;
  /** Only samples of these cells (default: every cell). */
  cells?: ReadonlyArray<string>;
  /** Scoring calls in flight at once (at least 1). */
  concurrency: number;
  /** Stops the scoring: what is done is flushed, then InterruptedError is thrown. */
  signal: AbortSignal;
  /** Retries of a failed scoring call (default: one attempt, no retry; 5-minute attempt timeout). */
  retry?: RetryPolicy;
  /** Sleep, jitter and retry notification for withRetry (tests inject them). */
  retryDependencies?: RetryDependencies;
  /** Stop with `ERROR_RATE_EXCEEDED` when more than this fraction of scorings fail (after 20). Default 0.5. */
  maxErrorRate?: number;
  /**
   * The question of each problem, keyed `problemKey(dataset, problemId)` (default: read from the run's
   * problems.jsonl). A problem without one is scored with an empty question.
   */
  questions?: ReadonlyMap<string, string>;
  /** Called after each sample is scored (or fails). */
  onProgress?: (progress: ScoreRunProgress) => void;
  /** Current time, for record timestamps (default `new Date()`). */
  now?: () => Date;
  /** Monotonic clock for latencies, milliseconds (default performance.now). */
  clock?: () => number;
  /** Records per write to scores.jsonl (default 64). */
  flushEvery?: number;
}

/** Counts of a scoring session. */
export interface ScoreRunProgress {
  /** Samples scored in this session. */
  scored: number;
  /** Samples whose scoring failed for good in this session (error records written). */
  errors: number;
  /** Samples skipped because this scorer had already scored them. */
  skipped: number;
}

/** What scoreRun did. */
export interface ScoreRunSummary extends ScoreRunProgress {
  /** The scorer id. */
  scorer: string;
  /** Prompt tokens the scorer read in this session. */
  promptTokens: number;
  /** Tokens the scorer generated in this session. */
  completionTokens: number;
  /** Samples sent to the scorer with an empty question (the run has no problems.jsonl entry for them). */
  withoutQuestion: number;
}

/** Errors counted before the error-rate limit applies. */
const minimumScoringsForErrorRate = 20;

const defaultRetryPolicy: RetryPolicy = { attempts: 1, baseDelayMs: 500, maxDelayMs: 60_000, timeoutMs: 300_000 };

/** problems.jsonl of a run: `problemKey(dataset, id)` → question. */
export function readRunQuestions(runDir: string): Map<string, string> {
  return new Map([...readProblemsFile(runDir)].map(([key, problem]) => [key, problem.question]));
}

/**
 * Scores every stored `ok` sample of a run that `options.scorer` has not scored yet and appends
 * the scores to `<runDir>/scores.jsonl`.
 *
 * @throws HarnessError `RUN_NO_SAMPLES` without samples.jsonl; `SAMPLE_UNCHECKED` when a simulated
 *   verifier meets a sample without a verdict; `ERROR_RATE_EXCEEDED`; InterruptedError on abort
 */
export async function scoreRun(runDir: string, options: ScoreRunOptions): Promise<ScoreRunSummary> {
  const manifest = readManifest(runDir);
  const samplesPath = join(runDir, SAMPLES_FILE);
  if (!sampleLogExists(samplesPath)) {
    throw new HarnessError('RUN_NO_SAMPLES', `${runDir} has no ${SAMPLES_FILE}`, { hint: 'Run `scaling-bench run <config>` (or import samples) first.', exitCode: 2 });
  }
  const { scorer, signal } = options;
  const concurrency = Math.max(1, Math.floor(options.concurrency));
  const maxErrorRate = options.maxErrorRate ?? 0.5;
  const now = options.now ?? (() => new Date());
  const clock = options.clock ?? (() => performance.now());
  const questions = options.questions ?? readRunQuestions(runDir);
  const datasetOf = new Map(manifest.cells.map((cell) => [cell.id, cell.dataset]));
  const wantedCells = options.cells === undefined ? undefined : new Set(options.cells);
  const scoresPath = join(runDir, SCORES_FILE);
  const done = await scoredKeys(scoresPath);
  const seenThisSession = new Set<string>();
  const summary: ScoreRunSummary = { scorer: scorer.id, scored: 0, errors: 0, skipped: 0, promptTokens: 0, completionTokens: 0, withoutQuestion: 0 };
  const log = openScoreLog(scoresPath, options.flushEvery === undefined ? {} : { flushEvery: options.flushEvery });
  let fatal: unknown;

  const base = (candidate: ScoreCandidate): Omit<ScoreRecord, 'status'> => ({
    v: 1,
    cell: candidate.cell,
    problem: candidate.problem,
    index: candidate.index,
    scorer: scorer.id,
    kind: scorer.kind,
    simulated: scorer.simulated,
  });

  async function scoreOne(candidate: ScoreCandidate): Promise<void> {
    const started = clock();
    try {
      const outcome = await withRetry((attemptSignal) => scorer.score(candidate, attemptSignal), options.retry ?? defaultRetryPolicy, options.retryDependencies ?? {}, signal);
      const record: ScoreRecord = {
        ...base(candidate),
        status: 'ok',
        score: outcome.score,
        scale: outcome.scale,
        ...(outcome.votes === undefined ? {} : { votes: outcome.votes }),
        ...(outcome.usage === undefined ? {} : { usage: outcome.usage }),
        latencyMs: Math.round(clock() - started),
        ...(outcome.modelName === undefined ? {} : { modelName: outcome.modelName }),
        time: now().toISOString(),
      };
      log.append(record);
      summary.scored += 1;
      summary.promptTokens += outcome.usage?.promptTokens ?? 0;
      summary.completionTokens += outcome.usage?.completionTokens ?? 0;
    } catch (error) {
      if (signal.aborted) return;
      if (!(error instanceof ProviderError)) {
        fatal ??= error;
        return;
      }
      log.append({
        ...base(candidate),
        status: 'error',
        error: {
          code: error.code,
          message: error.message,
          ...(error.status === undefined ? {} : { status: error.status }),
          attempts: error instanceof RetryExhaustedError ? error.attempts : 1,
        },
        time: now().toISOString(),
      });
      summary.errors += 1;
    }
    const attempted = summary.scored + summary.errors;
    if (fatal === undefined && attempted >= minimumScoringsForErrorRate && summary.errors / attempted > maxErrorRate) {
      fatal = new HarnessError('ERROR_RATE_EXCEEDED', `${summary.errors} of ${attempted} scorings with ${scorer.id} failed, above maxErrorRate ${maxErrorRate}`, {
        hint: 'See the `error` field of the failed records in scores.jsonl; fix the cause and run again (stored scores are kept).',
      });
    }
    options.onProgress?.({ scored: summary.scored, errors: summary.errors, skipped: summary.skipped });
  }

  const candidateOf = (record: SampleRecord): ScoreCandidate => ({
    cell: record.cell,
    problem: record.problem,
    index: record.index,
    question: questions.get(problemKey(datasetOf.get(record.cell) ?? '', record.problem)) ?? '',
    solution: record.text ?? '',
    answerKey: record.verdict?.answerKey ?? null,
    correct: record.verdict?.correct ?? false,
  });

  const inFlight = new Set<Promise<void>>();
  try {
    for await (const record of readSampleLog(samplesPath)) {
      if (signal.aborted || fatal !== undefined) break;
      if (record.status !== 'ok') continue;
      if (wantedCells !== undefined && !wantedCells.has(record.cell)) continue;
      const key = scoreKey(record.cell, record.problem, record.index, scorer.id);
      if (seenThisSession.has(key)) continue; // the same slot twice (merged shards): scored once
      seenThisSession.add(key);
      if (done.has(key)) {
        summary.skipped += 1;
        continue;
      }
      if (scorer.simulated && record.verdict === undefined) {
        fatal = new HarnessError('SAMPLE_UNCHECKED', `the simulated verifier needs verdicts: sample ${record.index} of ${record.problem} in ${record.cell} has none`, {
          hint: `Run \`scaling-bench report ${runDir} --regrade\` first, or score with a real scorer.`,
          exitCode: 2,
        });
        break;
      }
      const candidate = candidateOf(record);
      if (candidate.question === '') summary.withoutQuestion += 1;
      const task: Promise<void> = scoreOne(candidate).finally(() => inFlight.delete(task));
      inFlight.add(task);
      if (inFlight.size >= concurrency) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  } finally {
    await Promise.allSettled(inFlight);
    log.close();
  }
  if (fatal !== undefined) throw fatal;
  if (signal.aborted) throw new InterruptedError(`interrupted: ${summary.scored} samples scored this session in ${runDir}`);
  return summary;
}

/** selectionCurves lives in its own file; re-exported here beside scoreRun. */
export { selectionCurves } from './selection-curves.ts';
