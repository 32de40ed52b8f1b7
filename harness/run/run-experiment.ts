/**
 * Runs (or continues) a sweep: plans the cells, skips samples already stored, draws the missing
 * ones through each model's provider with bounded concurrency and retries, checks them and
 * appends them to samples.jsonl as they finish. Ctrl-C (an aborted signal) flushes and stops.
 */
import { mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { HarnessError, InterruptedError, ProviderError } from '../core/errors.ts';
import { SandboxError } from '../verifiers/code/sandbox-error.ts';
import { hashSeed } from '../core/random.ts';
import type { Problem, SampleRecord, Verdict } from '../core/types.ts';
import type { ResolvedConfig, Secrets } from '../config/load-config.ts';
import { serialisableConfig } from '../config/load-config.ts';
import type { ModelConfig } from '../config/model-schema.ts';
import { buildPrompt } from '../datasets/prompts.ts';
import { loadDataset, type LoadedDataset } from '../datasets/registry.ts';
import type { DatasetLocations } from '../datasets/types.ts';
import type { GenerateRequest, PromptInput, Provider, SimulationReference } from '../providers/types.ts';
import { createProvider, modelEndpoints, type ProviderDependencies } from '../providers/registry.ts';
import { llamaCppRequestsAtOnce } from '../providers/llama-cpp.ts';
import { writeProblemsFile } from '../store/problems-file.ts';
import { openSampleLog, readSampleLog, SAMPLES_FILE } from '../store/sample-log.ts';
import { endOpenSessions, endThrowingSession, readManifest, SESSION_LOST, writeManifest, type RunManifest } from '../store/run-manifest.ts';
import { acquireRunLock } from '../store/run-lock.ts';
import { StoreWriteError } from '../store/store-errors.ts';
import type { StoreFs } from '../store/store-fs.ts';
import { createVerifierSet, type VerifierSet } from '../verifiers/registry.ts';
import { createDuplicateDetector } from './duplicates.ts';
import { createEndpointPool } from './endpoint-pool.ts';
import { planCells, cellFingerprint, type PlannedCell } from './plan.ts';
import { scoreSelections, selectionEntries } from './score-selections.ts';
import { RetryExhaustedError, withRetry } from './retry.ts';
import { packageVersions } from './versions.ts';

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

/** Dependencies and settings of runExperiment. */
export interface RunOptions {
  /** API keys by model id (from readSecrets); never written anywhere. */
  secrets?: Secrets;
  /** Where datasets are found. */
  locations?: DatasetLocations;
  /** Aborting it stops the run after flushing (exit 130 in the CLI). */
  signal?: AbortSignal;
  /** Called as each sample is stored (the display throttles). */
  onProgress?: (progress: RunProgress) => void;
  /** Called for notable events (resume, retries, duplicates); plain text lines. */
  onEvent?: (message: string) => void;
  /** Provider factory (tests inject fakes' settings through configs; default createProvider). */
  createProvider?: (model: ModelConfig, deps: ProviderDependencies) => Provider;
  /** fetch used by HTTP providers. */
  fetch?: typeof fetch;
  /** Verifier set (default: one per checker kind). */
  verifiers?: VerifierSet;
  /** Environment, for API keys of selection scorers (`apiKeyEnv`). */
  env?: Record<string, string | undefined>;
  /** Sleep used between retries (tests inject a fake clock). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** File-system calls of the sample log (tests inject short writes and ENOSPC); default node:fs. */
  storeFs?: StoreFs;
}

/** What a run did. */
export interface RunResult {
  /** The run directory. */
  runDir: string;
  /** Samples drawn this session. */
  drawn: number;
  /** Samples that were already stored. */
  resumed: number;
  /** Samples that failed after retries this session. */
  errors: number;
  /** Duplicate samples found this session (identical texts under different seeds). */
  duplicates: number;
  /** How the run ended. */
  outcome: 'completed' | 'interrupted' | 'failed';
  /** The error that ended a failed run. */
  error?: HarnessError;
}

interface Task {
  cell: PlannedCell;
  dataset: LoadedDataset;
  problem: Problem;
  indices: number[];
}

/** Below this many finished samples the error rate is not yet judged. */
const MIN_SAMPLES_FOR_ERROR_RATE = 20;

/** Runs or continues the sweep of a resolved config; writes `<outputDir>/<name>/`, holding its lock. */
export async function runExperiment(config: ResolvedConfig, options: RunOptions = {}): Promise<RunResult> {
  const runDir = join(config.outputDir, config.name);
  mkdirSync(runDir, { recursive: true });
  const lock = acquireRunLock(runDir, { command: 'run' });
  try {
    endOpenSessions(runDir, 'interrupted', SESSION_LOST);
    return await runLocked(config, options, runDir);
  } catch (error) {
    endThrowingSession(runDir, error);
    throw error;
  } finally {
    lock.release();
  }
}

async function runLocked(config: ResolvedConfig, options: RunOptions, runDir: string): Promise<RunResult> {
  const cells = planCells(config);
  const locations = options.locations ?? {};
  const datasets = new Map<string, LoadedDataset>();
  for (const datasetConfig of config.datasets) datasets.set(datasetConfig.id, await loadDataset(datasetConfig, locations, config.seed));
  writeProblemsFile(runDir, datasets.values());

  const startedAt = new Date().toISOString();
  const manifest = prepareManifest(runDir, config, cells, startedAt);
  writeManifest(runDir, manifest);

  // Resume: which sample slots are already stored (an error record does not count: it is retried).
  const samplesPath = join(runDir, SAMPLES_FILE);
  const stored = new Map<string, Map<string, Uint8Array>>();
  let resumed = 0;
  const n = config.sampling.samples;
  for await (const record of readSampleLog(samplesPath)) {
    if (record.status !== 'ok' || record.index >= n) continue;
    let byProblem = stored.get(record.cell);
    if (!byProblem) stored.set(record.cell, (byProblem = new Map()));
    let slots = byProblem.get(record.problem);
    if (!slots) byProblem.set(record.problem, (slots = new Uint8Array(n)));
    if (slots[record.index] === 0) resumed += 1;
    slots[record.index] = 1;
  }
  if (resumed > 0) options.onEvent?.(`resuming: ${resumed} samples already stored in ${samplesPath}`);

  const providers = new Map<string, Provider>();
  for (const model of config.models) {
    const factory = options.createProvider ?? createProvider;
    const apiKey = options.secrets?.get(model.id);
    providers.set(
      model.id,
      factory(model, {
        ...(apiKey === undefined ? {} : { apiKey }),
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(locations.hubCacheDir === undefined ? {} : { hubCacheDir: locations.hubCacheDir }),
        ...(options.onEvent ? { onEvent: options.onEvent } : {}),
      }),
    );
  }

  // Work, model by model: requests of up to maxSamplesPerRequest consecutive missing indices,
  // ordered index-major so that a stopped run has every problem equally far along.
  const tasksByModel = new Map<string, Task[]>();
  let total = 0;
  for (const cell of cells) {
    const provider = providers.get(cell.model) as Provider;
    const dataset = datasets.get(cell.dataset) as LoadedDataset;
    const batch = Math.max(1, provider.maxSamplesPerRequest);
    const tasks = tasksByModel.get(cell.model) ?? [];
    for (let start = 0; start < n; start += batch) {
      for (const problem of dataset.problems) {
        const slots = stored.get(cell.id)?.get(problem.id);
        const indices: number[] = [];
        for (let index = start; index < Math.min(n, start + batch); index += 1) if (!slots || slots[index] === 0) indices.push(index);
        if (indices.length > 0) {
          tasks.push({ cell, dataset, problem, indices });
          total += indices.length;
        }
      }
    }
    tasksByModel.set(cell.model, tasks);
  }
  stored.clear();

  const controller = new AbortController();
  const onOuterAbort = (): void => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const signal = controller.signal;

  const log = openSampleLog(samplesPath, { compress: config.compressSamples, ...(options.storeFs ? { fs: options.storeFs } : {}) });
  const verifiers = options.verifiers ?? createVerifierSet();
  const duplicates = createDuplicateDetector();
  const progress: RunProgress = { done: 0, total, resumed, errors: 0, retries: 0 };
  let fatal: HarnessError | undefined;
  const fail = (error: HarnessError): void => {
    if (!fatal) fatal = error;
    controller.abort(error);
  };

  const store = (record: SampleRecord): void => {
    try {
      log.append(record);
    } catch (error) {
      // A log that cannot record stops the run: never carry on drawing samples that are lost.
      if (error instanceof StoreWriteError) return fail(error);
      throw error;
    }
    progress.done += 1;
    if (record.status === 'error') progress.errors += 1;
    options.onProgress?.(progress);
    if (progress.done >= MIN_SAMPLES_FOR_ERROR_RATE && progress.errors / progress.done > config.maxErrorRate) {
      fail(
        new HarnessError('ERROR_RATE_EXCEEDED', `${progress.errors} of ${progress.done} samples failed (${((100 * progress.errors) / progress.done).toFixed(1)}%), above maxErrorRate ${config.maxErrorRate}`, {
          hint: 'See the `error` field of the failed records in samples.jsonl; fix the cause and run again (stored samples are kept), or raise maxErrorRate.',
        }),
      );
    }
  };

  // One prompt per problem and prompt style, built once however many requests it serves.
  const prompts = new Map<string, PromptInput>();
  const promptFor = (dataset: LoadedDataset, problem: Problem, style: 'chat' | 'text'): PromptInput => {
    const key = `${dataset.id}\u0000${problem.id}\u0000${style}`;
    let prompt = prompts.get(key);
    if (!prompt) {
      prompt = buildPrompt(problem, {
        verifier: dataset.verifier,
        style,
        fewShot: dataset.fewShot,
        pool: dataset.pool,
        seed: config.seed,
        ...(dataset.template === undefined ? {} : { template: dataset.template }),
      });
      prompts.set(key, prompt);
    }
    return prompt;
  };

  const runTask = async (task: Task, provider: Provider, pool: ReturnType<typeof createEndpointPool>): Promise<void> => {
    const { cell, dataset, problem, indices } = task;
    const seeds = indices.map((index) => config.seed + index);
    const prompt = promptFor(dataset, problem, promptStyle(cell.modelConfig));
    const reference: SimulationReference = {
      dataset: dataset.id,
      answer: problem.answer,
      style: dataset.verifier === 'code' || dataset.verifier === 'stdio' ? 'code' : dataset.verifier === 'gsm8k' ? 'gsm8k' : 'boxed',
      ...(problem.code?.canonicalSolution === undefined ? {} : { canonicalSolution: problem.code.canonicalSolution }),
      ...(problem.stdio?.solutions?.[0] === undefined ? {} : { canonicalSolution: problem.stdio.solutions[0] }),
      ...(cell.simulated ? { difficulty: difficultyOf(dataset).get(problem.id) ?? 0.5 } : {}),
    };
    let attempts = 0;
    let endpointUsed = '';
    try {
      const result = await withRetry(
        async (attemptSignal, attempt) => {
          attempts = attempt;
          const lease = await pool.acquire(attemptSignal);
          endpointUsed = lease.endpoint;
          try {
            const request: GenerateRequest = {
              prompt,
              seeds,
              temperature: cell.temperature,
              maxTokens: config.sampling.maxTokens,
              thinkingBudget: cell.thinkingBudget,
              endpoint: lease.endpoint,
              problemId: problem.id,
              signal: attemptSignal,
              simulationReference: reference,
              ...(config.sampling.topP === undefined ? {} : { topP: config.sampling.topP }),
              ...(config.sampling.stop === undefined ? {} : { stop: config.sampling.stop }),
            };
            const generated = await provider.generate(request);
            lease.release('ok');
            return generated;
          } catch (error) {
            // Only transient failures count against an endpoint's health (not a 404, not Ctrl-C).
            lease.release(error instanceof ProviderError && error.retryable ? 'failure' : 'ok');
            throw error;
          }
        },
        config.retry,
        {
          ...(options.sleep ? { sleep: options.sleep } : {}),
          onRetry: (error, attempt, delayMs) => {
            progress.retries += 1;
            options.onEvent?.(`retry ${attempt} of ${cell.id} ${problem.id} in ${Math.round(delayMs)} ms: ${error.message}`);
          },
        },
        signal,
      );
      const requestId = indices.length > 1 ? `${cell.id}|${problem.id}|${indices[0]}` : undefined;
      const verdicts = await Promise.all(result.completions.map((completion) => verifiers.get(dataset.verifier).verify(problem, completion.text, signal)));
      result.completions.forEach((completion, position) => {
        const index = indices[position] as number;
        if (cell.temperature > 0) duplicates.add(cell.id, problem.id, index, completion.text);
        const record: SampleRecord = {
          v: 1,
          cell: cell.id,
          problem: problem.id,
          index,
          seed: seeds[position] as number,
          status: 'ok',
          text: completion.text,
          usage: completion.usage,
          finishReason: completion.finishReason,
          latencyMs: Math.round(result.latencyMs),
          endpoint: endpointUsed,
          verdict: verdicts[position] as Verdict,
          time: new Date().toISOString(),
          ...(completion.thinking === undefined ? {} : { thinking: completion.thinking }),
          ...(result.modelName === undefined ? {} : { modelName: result.modelName }),
          ...(requestId === undefined ? {} : { requestId, requestSamples: indices.length }),
          ...(completion.thinkingBudget === undefined ? {} : { thinkingBudget: completion.thinkingBudget }),
        };
        store(record);
      });
    } catch (error) {
      if (signal.aborted) return;
      // A sandbox that cannot run programs must not turn samples into failures or errors: stop the run.
      if (error instanceof SandboxError) {
        fail(error);
        return;
      }
      if (error instanceof ProviderError && !error.retryable && isModelWideFailure(error)) {
        fail(error);
        return;
      }
      const harnessError = error instanceof HarnessError ? error : undefined;
      for (const [position, index] of indices.entries()) {
        store({
          v: 1,
          cell: cell.id,
          problem: problem.id,
          index,
          seed: seeds[position] as number,
          status: 'error',
          endpoint: endpointUsed,
          error: {
            code: harnessError?.code ?? 'UNEXPECTED',
            message: error instanceof Error ? error.message : String(error),
            attempts: error instanceof RetryExhaustedError ? error.attempts : attempts,
            ...(error instanceof ProviderError && error.status !== undefined ? { status: error.status } : {}),
          },
          time: new Date().toISOString(),
        });
      }
    }
  };

  try {
    await Promise.all(
      config.models.map(async (model) => {
        const provider = providers.get(model.id) as Provider;
        const endpoints = modelEndpoints(model);
        // The embedded engine is one endpoint; its requests carry up to `parallel` samples each.
        const perEndpoint = model.concurrency ?? (model.provider === 'llama-cpp' ? llamaCppRequestsAtOnce(model, n) : config.concurrency);
        const pool = createEndpointPool(endpoints, { concurrencyPerEndpoint: perEndpoint });
        const tasks = tasksByModel.get(model.id) ?? [];
        if (tasks.length > 0 && provider.check) {
          await Promise.all(endpoints.map((endpoint) => (provider.check as NonNullable<Provider['check']>)(endpoint, signal))).catch((error: unknown) => {
            if (error instanceof HarnessError) fail(error);
            else throw error;
          });
        }
        let next = 0;
        const workers = Array.from({ length: Math.min(tasks.length, perEndpoint * endpoints.length) }, async () => {
          while (!signal.aborted && next < tasks.length) {
            const task = tasks[next] as Task;
            next += 1;
            await runTask(task, provider, pool);
          }
        });
        await Promise.all(workers);
      }),
    );
  } finally {
    try {
      log.close();
    } catch (error) {
      if (error instanceof StoreWriteError) fail(error);
      else throw error;
    }
    options.signal?.removeEventListener('abort', onOuterAbort);
    if (!options.verifiers) await verifiers.close();
  }

  // Answer selection (reward models, judges, simulated verifiers) scores the stored samples.
  let selection: Awaited<ReturnType<typeof scoreSelections>> = [];
  if (!fatal && !signal.aborted && selectionEntries(config).length > 0) {
    try {
      selection = await scoreSelections(config, runDir, {
        signal,
        ...(options.secrets ? { secrets: options.secrets } : {}),
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(options.createProvider ? { createProvider: options.createProvider } : {}),
        env: options.env ?? {},
      });
      for (const entry of selection) if (entry.scored + entry.errors > 0) options.onEvent?.(`selection: ${entry.scorer} scored ${entry.scored} samples of ${entry.cell} (${entry.errors} errors)`);
    } catch (error) {
      if (!signal.aborted) {
        if (error instanceof HarnessError) fatal = error;
        else throw error;
      }
    }
  }

  const interrupted = options.signal?.aborted === true && !fatal;
  const outcome: RunResult['outcome'] = fatal ? 'failed' : interrupted ? 'interrupted' : 'completed';
  const finishedAt = new Date().toISOString();
  const session = manifest.sessions.at(-1);
  const sessionError = fatal ?? (interrupted ? { code: 'INTERRUPTED', message: 'interrupted (Ctrl-C or SIGTERM)' } : undefined);
  if (session) Object.assign(session, { finishedAt, drawn: progress.done - progress.errors, errors: progress.errors, outcome, ...(sessionError ? { error: { code: sessionError.code, message: sessionError.message } } : {}) });
  manifest.finishedAt = finishedAt;
  writeManifest(runDir, manifest);
  options.onProgress?.(progress);
  const report = duplicates.report();
  if (report.duplicates > 0) options.onEvent?.(`${report.duplicates} duplicate samples (identical texts under different seeds): does the server honour seeds?`);
  const result: RunResult = { runDir, drawn: progress.done - progress.errors, resumed, errors: progress.errors, duplicates: report.duplicates, outcome };
  if (fatal) result.error = fatal;
  if (interrupted) result.error = new InterruptedError(`interrupted: ${progress.done} samples stored this session in ${runDir}`);
  return result;
}

const difficulties = new WeakMap<LoadedDataset, Map<string, number>>();

/**
 * Stratified difficulty quantiles for simulated models: the problems of a run, ordered by a hash
 * of their ids, get the quantiles (rank + 0.5) / count, so a few hundred problems already follow
 * the profile's Beta distribution closely. Hash order keeps it independent of the dataset's order.
 */
function difficultyOf(dataset: LoadedDataset): Map<string, number> {
  let map = difficulties.get(dataset);
  if (!map) {
    const ranked = dataset.problems
      .map((problem) => ({ id: problem.id, hash: hashSeed('sim-difficulty', dataset.id, problem.id) }))
      .sort((a, b) => a.hash - b.hash || (a.id < b.id ? -1 : 1));
    map = new Map(ranked.map((entry, rank) => [entry.id, (rank + 0.5) / ranked.length]));
    difficulties.set(dataset, map);
  }
  return map;
}

/** Errors that will fail every request of the model (bad key, unknown model): stop early. */
function isModelWideFailure(error: ProviderError): boolean {
  return error.status === 401 || error.status === 403 || error.status === 404 || error.code.startsWith('SIM_') || error.code === 'MODEL_NOT_FOUND';
}

function promptStyle(model: ModelConfig): 'chat' | 'text' {
  if ((model.provider === 'openai' && model.api === 'completions') || (model.provider === 'ollama' && model.api === 'generate')) return 'text';
  return 'chat';
}


function prepareManifest(runDir: string, config: ResolvedConfig, cells: PlannedCell[], startedAt: string): RunManifest {
  const fingerprints = Object.fromEntries(cells.map((cell) => [cell.id, cellFingerprint(config, cell)]));
  const cellInfos = cells.map(({ modelConfig: _model, ...cell }) => cell);
  let previous: RunManifest | undefined;
  if (existsSync(join(runDir, 'run.json'))) previous = readManifest(runDir);
  if (previous) {
    const previousFingerprints = (previous.config.fingerprints ?? {}) as Record<string, string>;
    for (const [id, fingerprint] of Object.entries(fingerprints)) {
      const before = previousFingerprints[id];
      if (before !== undefined && before !== fingerprint) {
        throw new HarnessError('RUN_CONFIG_CHANGED', `cell ${id} in ${runDir} was sampled with different settings (model, dataset, seed, maxTokens, topP or stop changed)`, {
          hint: 'Give the run a new `name:` (samples of different settings must not be mixed), or delete the old run directory.',
          exitCode: 2,
        });
      }
    }
  }
  const knownCells = new Map((previous?.cells ?? []).map((cell) => [cell.id, cell]));
  for (const cell of cellInfos) knownCells.set(cell.id, cell);
  return {
    version: 1,
    name: config.name,
    config: { ...serialisableConfig(config), fingerprints: { ...((previous?.config.fingerprints ?? {}) as object), ...fingerprints } },
    cells: [...knownCells.values()],
    versions: packageVersions(),
    startedAt: previous?.startedAt ?? startedAt,
    sessions: [...(previous?.sessions ?? []), { startedAt, drawn: 0, errors: 0, outcome: 'running' }],
  };
}
