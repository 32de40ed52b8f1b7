/**
 * The request loop: workers pull work items from the cursor and draw each through the model's
 * provider, holding a slot of the endpoint pool per attempt, retrying transient failures.
 */
import { ProviderError } from '../core/errors.ts';
import type { GenerateRequest, GenerateResult, PromptInput, Provider, SimulationReference } from '../providers/types.ts';
import { safeEndpoint } from '../providers/errors-shared.ts';
import type { EndpointPool } from './endpoint-pool.ts';
import { withRetry, type RetryPolicy } from './retry.ts';
import type { WorkItem } from './work-cursor.ts';

/** The sampling settings every request of a run shares. */
export interface RequestSettings {
  /** Base seed: sample i is drawn with seed `seed + i`. */
  seed: number;
  maxTokens: number;
  topP?: number;
  stop?: string[];
}

/** What drawing one work item needs. */
export interface DrawContext {
  provider: Provider;
  pool: EndpointPool;
  retry: RetryPolicy;
  settings: RequestSettings;
  signal: AbortSignal;
  /** Prompt of the item's problem (built once per problem and style by the caller). */
  promptOf: (item: WorkItem) => PromptInput;
  /** Reference answer the simulated provider draws against. */
  referenceOf: (item: WorkItem) => SimulationReference;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  onRetry?: (item: WorkItem, error: Error, attempt: number, delayMs: number) => void;
}

/** What one drawn item returned, and where. */
export interface Drawn {
  result: GenerateResult;
  /** Endpoint of the attempt that answered. */
  endpoint: string;
}

/** A failed item: the error and how far it got. */
export class DrawFailure extends Error {
  constructor(
    readonly error: unknown,
    /** Attempts made. */
    readonly attempts: number,
    /** Endpoint of the last attempt ('' when none got a slot). */
    readonly endpoint: string,
  ) {
    super(error instanceof Error ? error.message : String(error));
  }
}

/** Draws the samples of one item (seeds `seed + index`); throws a DrawFailure after its retries. */
export async function drawItem(item: WorkItem, context: DrawContext): Promise<Drawn> {
  const seeds = item.indices.map((index) => context.settings.seed + index);
  let attempts = 0;
  let endpoint = '';
  try {
    const result = await withRetry(
      async (attemptSignal, attempt) => {
        attempts = attempt;
        const lease = await context.pool.acquire(attemptSignal);
        endpoint = safeEndpoint(lease.endpoint);
        try {
          const generated = await context.provider.generate(requestOf(item, seeds, lease.endpoint, attemptSignal, context));
          lease.release('ok');
          return generated;
        } catch (error) {
          // Only transient failures count against an endpoint's health (not a 404, not Ctrl-C).
          lease.release(error instanceof ProviderError && error.retryable ? 'failure' : 'ok');
          throw error;
        }
      },
      context.retry,
      {
        ...(context.sleep ? { sleep: context.sleep } : {}),
        onRetry: (error, attempt, delayMs) => context.onRetry?.(item, error, attempt, delayMs),
      },
      context.signal,
    );
    return { result, endpoint };
  } catch (error) {
    throw new DrawFailure(error, attempts, endpoint);
  }
}

function requestOf(item: WorkItem, seeds: number[], endpoint: string, signal: AbortSignal, context: DrawContext): GenerateRequest {
  const { settings } = context;
  return {
    prompt: context.promptOf(item),
    seeds,
    temperature: item.cell.temperature,
    maxTokens: settings.maxTokens,
    thinkingBudget: item.cell.thinkingBudget,
    endpoint,
    problemId: item.problem.id,
    signal,
    simulationReference: context.referenceOf(item),
    ...(settings.topP === undefined ? {} : { topP: settings.topP }),
    ...(settings.stop === undefined ? {} : { stop: settings.stop }),
  };
}

/**
 * Runs `workers` loops that each take the next item from the shared cursor and handle it, until
 * the cursor is exhausted or the signal aborts. The cursor is pulled one item at a time, so the
 * work in memory is the work in flight.
 */
export async function runWorkers(cursor: Iterator<WorkItem>, workers: number, signal: AbortSignal, handle: (item: WorkItem) => Promise<void>): Promise<void> {
  let exhausted = false;
  const next = (): WorkItem | undefined => {
    if (exhausted) return undefined;
    const step = cursor.next();
    if (step.done) exhausted = true;
    return step.done ? undefined : step.value;
  };
  const loop = async (): Promise<void> => {
    while (!signal.aborted) {
      const item = next();
      if (!item) return;
      await handle(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, workers) }, loop));
}
