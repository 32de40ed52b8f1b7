/**
 * The sample sink: where drawn samples go. Each is checked by its dataset's verifier, appended to
 * the sample log, counted for progress and the error-rate limit, and fed to the duplicate
 * detector. A failing append is fatal: the run stops (exit 1) rather than record samples it lost.
 */
import { HarnessError, ProviderError } from '../core/errors.ts';
import type { SampleRecord, Verdict } from '../core/types.ts';
import { isModelWideFailure } from '../providers/errors-shared.ts';
import type { SampleLogWriter } from '../store/sample-log.ts';
import { SandboxError } from '../verifiers/code/sandbox-error.ts';
import type { VerifierSet } from '../verifiers/registry.ts';
import type { DuplicateDetector } from './duplicates.ts';
import type { Drawn } from './request-loop.ts';
import { DrawFailure } from './request-loop.ts';
import { RetryExhaustedError } from './retry.ts';
import type { WorkItem } from './work-cursor.ts';

/** Progress of a run, reported as samples finish. */
export interface RunProgress {
  /** Samples stored this session (ok or error). */
  done: number;
  /** Samples this session set out to draw. */
  total: number;
  /** Samples already stored before this session (resume). */
  resumed: number;
  /** Failed samples this session. */
  errors: number;
  /** Retries so far. */
  retries: number;
}

/** Below this many finished samples the error rate is not yet judged. */
const MIN_SAMPLES_FOR_ERROR_RATE = 20;

/** What the sink writes to and reports to. */
export interface SampleSinkOptions {
  log: SampleLogWriter;
  verifiers: VerifierSet;
  duplicates: DuplicateDetector;
  progress: RunProgress;
  /** Base seed (sample i has seed `seed + i`). */
  seed: number;
  /** Failed fraction of this session's samples above which the run stops. */
  maxErrorRate: number;
  signal: AbortSignal;
  /** Stops the run with an error (the first one wins). */
  fail: (error: HarnessError) => void;
  onProgress?: (progress: RunProgress) => void;
  /** Clock for records' `time` (default: now). */
  now?: () => Date;
  /** Removes secrets and URL credentials from error messages before they are stored (default: none removed). */
  scrub?: (text: string) => string;
}

/** Stores drawn items and failures. */
export interface SampleSink {
  /** Verifies and stores the samples of a drawn item (verification errors become error records). */
  acceptDrawn(item: WorkItem, drawn: Drawn): Promise<void>;
  /** Stores a failed item as one error record per index, or stops the run for a model-wide failure. */
  acceptFailure(item: WorkItem, failure: DrawFailure): void;
  /** The message of the first error record stored, if any. */
  firstError(): string | undefined;
}

/** A sink over a sample log. */
export function createSampleSink(options: SampleSinkOptions): SampleSink {
  const { progress } = options;
  const now = options.now ?? (() => new Date());
  const scrub = options.scrub ?? ((text: string) => text);
  let appendFailed = false;
  let firstError: string | undefined;
  const store = (record: SampleRecord): void => {
    // After a failed append nothing more is written: the log stays valid up to the failure.
    if (appendFailed) return;
    try {
      options.log.append(record);
    } catch (error) {
      appendFailed = true;
      options.fail(appendError(error));
      return;
    }
    progress.done += 1;
    if (record.status === 'error') {
      progress.errors += 1;
      firstError ??= record.error?.message;
    }
    options.onProgress?.(progress);
    if (progress.done >= MIN_SAMPLES_FOR_ERROR_RATE && progress.errors / progress.done > options.maxErrorRate) {
      options.fail(
        new HarnessError('ERROR_RATE_EXCEEDED', `${progress.errors} of ${progress.done} samples failed (${((100 * progress.errors) / progress.done).toFixed(1)}%), above maxErrorRate ${options.maxErrorRate}`, {
          hint: 'See the `error` field of the failed records in samples.jsonl; fix the cause and run again (stored samples are kept), or raise maxErrorRate.',
        }),
      );
    }
  };
  const storeFailure = (item: WorkItem, error: unknown, attempts: number, endpoint: string): void => {
    const harnessError = error instanceof HarnessError ? error : undefined;
    for (const index of item.indices) {
      store({
        v: 1,
        cell: item.cell.id,
        problem: item.problem.id,
        index,
        seed: options.seed + index,
        status: 'error',
        endpoint,
        error: {
          code: harnessError?.code ?? 'UNEXPECTED',
          message: scrub(error instanceof Error ? error.message : String(error)),
          attempts: error instanceof RetryExhaustedError ? error.attempts : attempts,
          ...(error instanceof ProviderError && error.status !== undefined ? { status: error.status } : {}),
        },
        time: now().toISOString(),
      });
    }
  };
  return {
    async acceptDrawn(item, drawn) {
      let verdicts: Verdict[];
      try {
        const verifier = options.verifiers.get(item.dataset.verifier);
        verdicts = await Promise.all(drawn.result.completions.map((completion) => verifier.verify(item.problem, completion.text, options.signal)));
      } catch (error) {
        if (options.signal.aborted) return;
        // A sandbox that cannot run programs must not turn samples into failures or errors: stop the run.
        if (error instanceof SandboxError) {
          options.fail(error);
          return;
        }
        storeFailure(item, error, 1, drawn.endpoint);
        return;
      }
      for (const record of recordsOf(item, drawn, verdicts, options.seed, now)) {
        if (item.cell.temperature > 0 && record.text !== undefined) options.duplicates.add(record.cell, record.problem, record.index, record.text);
        store(record);
      }
    },
    acceptFailure(item, failure) {
      if (options.signal.aborted) return;
      const { error } = failure;
      if (error instanceof ProviderError && !error.retryable && isModelWideFailure(error)) {
        options.fail(error);
        return;
      }
      storeFailure(item, error, failure.attempts, failure.endpoint);
    },
    firstError: () => firstError,
  };
}

/** The fatal error of a failed append (exit 1), naming the OS error. */
export function appendError(error: unknown): HarnessError {
  if (error instanceof HarnessError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new HarnessError('SAMPLE_LOG_WRITE_FAILED', `could not append to the sample log: ${message}`, {
    hint: 'Free disk space or fix the folder’s permissions, then run the same command again: stored samples are kept and the rest are drawn.',
    cause: error,
    exitCode: 1,
  });
}

/** The sample records of a drawn item, one per completion, in index order. */
function recordsOf(item: WorkItem, drawn: Drawn, verdicts: Verdict[], seed: number, now: () => Date): SampleRecord[] {
  const { result, endpoint } = drawn;
  const { indices } = item;
  const requestId = indices.length > 1 ? `${item.cell.id}|${item.problem.id}|${indices[0]}` : undefined;
  const time = now().toISOString();
  return result.completions.map((completion, position) => {
    const index = indices[position] as number;
    return {
      v: 1,
      cell: item.cell.id,
      problem: item.problem.id,
      index,
      seed: seed + index,
      status: 'ok',
      text: completion.text,
      usage: completion.usage,
      finishReason: completion.finishReason,
      latencyMs: Math.round(result.latencyMs),
      endpoint,
      verdict: verdicts[position] as Verdict,
      time,
      ...(completion.thinking === undefined ? {} : { thinking: completion.thinking }),
      ...(result.modelName === undefined ? {} : { modelName: result.modelName }),
      ...(requestId === undefined ? {} : { requestId, requestSamples: indices.length }),
      ...(completion.thinkingBudget === undefined ? {} : { thinkingBudget: completion.thinkingBudget }),
    };
  });
}
