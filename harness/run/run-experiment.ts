/**
 * Runs (or continues) a sweep: plans the cells, reads which slots are stored (resume), then per
 * model walks the remaining work (work-cursor.ts) with a request loop (request-loop.ts) whose
 * samples go to the sample sink (sample-sink.ts: verify, append, progress). Ctrl-C (an aborted
 * signal) flushes and stops. A shard draws its part of the problems into its own folder.
 */
import { mkdirSync, existsSync } from 'node:fs';
import { setMaxListeners } from 'node:events';
import { join } from 'node:path';
import { HarnessError, InterruptedError } from '../core/errors.ts';
import { hashSeed } from '../core/random.ts';
import type { Problem } from '../core/types.ts';
import type { ResolvedConfig, Secrets } from '../config/load-config.ts';
import { serialisableConfig } from '../config/load-config.ts';
import type { ModelConfig } from '../config/model-schema.ts';
import { buildPrompt } from '../datasets/prompts.ts';
import { loadDataset, type LoadedDataset } from '../datasets/registry.ts';
import type { DatasetLocations } from '../datasets/types.ts';
import type { PromptInput, Provider, SimulationReference } from '../providers/types.ts';
import { createProvider, modelEndpoints, type ProviderDependencies } from '../providers/registry.ts';
import { allSamplesFailed, createScrubber } from '../providers/errors-shared.ts';
import { llamaCppRequestsAtOnce } from '../providers/llama-cpp.ts';
import { writeProblemsFile } from '../store/problems-file.ts';
import { openSampleLog, readSampleLog, SAMPLES_FILE } from '../store/sample-log.ts';
import { endOpenSessions, endThrowingSession, readManifest, SESSION_LOST, writeManifest, type RunManifest } from '../store/run-manifest.ts';
import { acquireRunLock } from '../store/run-lock.ts';
import type { StoreFs } from '../store/store-fs.ts';
import { createVerifierSet, type VerifierSet } from '../verifiers/registry.ts';
import { prepareRunTimeLimits, verifierFactory } from './code-time-limits.ts';
import { createRecentDuplicateDetector } from './recent-duplicates.ts';
import { createEndpointPool } from './endpoint-pool.ts';
import { planCells, cellFingerprint, type PlannedCell } from './plan.ts';
import { DrawFailure, drawItem, runWorkers, type DrawContext } from './request-loop.ts';
import { readStoredSlots } from './resume-state.ts';
import { appendError, createSampleSink, type RunProgress, type SampleSink } from './sample-sink.ts';
import { scoreSelections, selectionEntries } from './score-selections.ts';
import { inShard, shardDirectory, type Shard } from './shard.ts';
import { packageVersions } from './versions.ts';
import { remainingSamples, workCursor, type WorkCursorInput, type WorkItem } from './work-cursor.ts';

export type { RunProgress } from './sample-sink.ts';

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
  /** Verifier set (default: one per checker kind, code programs judged with the config's codeTimeLimits; an injected set ignores them). */
  verifiers?: VerifierSet;
  /** Environment, for API keys of selection scorers (`apiKeyEnv`). */
  env?: Record<string, string | undefined>;
  /** Sleep used between retries (tests inject a fake clock). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Draw only this shard of the problems, into `<run>/shards/<I>-of-<N>/` (default: the whole run). */
  shard?: Shard;
  /** File-system calls of the sample log (tests inject short writes and ENOSPC); default node:fs. */
  storeFs?: StoreFs;
}

/** What a run did. */
export interface RunResult {
  /** The run directory (a shard's own folder for a shard). */
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

/** Runs or continues the sweep of a resolved config; writes `<outputDir>/<name>/` (or its shard folder), holding its lock. */
export async function runExperiment(config: ResolvedConfig, options: RunOptions = {}): Promise<RunResult> {
  const parentDir = join(config.outputDir, config.name);
  const runDir = options.shard ? shardDirectory(parentDir, options.shard) : parentDir;
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
  const datasets = await loadDatasets(config, options.locations ?? {});
  const problemsOf = shardProblems(options.shard);
  const drawnDatasets = [...datasets.values()].map((dataset) => ({ ...dataset, problems: problemsOf(dataset) }));
  const timeLimits = await prepareRunTimeLimits(runDir, config.codeTimeLimits, drawnDatasets, {
    ...(options.locations?.cacheDir === undefined ? {} : { cacheDir: options.locations.cacheDir }),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  });
  writeProblemsFile(runDir, drawnDatasets.map((dataset) => {
    const limits = timeLimits?.byDataset.get(dataset.id);
    return limits ? { ...dataset, timeLimits: limits } : dataset;
  }));

  const manifest = prepareManifest(runDir, config, cells, new Date().toISOString(), options.shard);
  writeManifest(runDir, manifest);

  const samplesPath = join(runDir, SAMPLES_FILE);
  const { stored, count: resumed } = await readStoredSlots(readSampleLog(samplesPath), config.sampling.samples);
  if (resumed > 0) options.onEvent?.(`resuming: ${resumed} samples already stored in ${samplesPath}`);
  const providers = createProviders(config, options);
  const cursorOf = (model: string): WorkCursorInput => ({
    cells: cells.filter((cell) => cell.model === model),
    datasets,
    samples: config.sampling.samples,
    stored,
    batchOf: (cell) => (providers.get(cell.model) as Provider).maxSamplesPerRequest,
    problemsOf,
  });
  const total = config.models.reduce((sum, model) => sum + remainingSamples(cursorOf(model.id)), 0);

  const controller = new AbortController();
  const onOuterAbort = (): void => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const signal = controller.signal;
  // Every request in flight listens to the run's signal: hundreds over many endpoints are expected.
  setMaxListeners(0, signal);
  let fatal: HarnessError | undefined;
  const fail = (error: HarnessError): void => {
    fatal ??= error;
    controller.abort(error);
  };

  const log = openSampleLog(samplesPath, { compress: config.compressSamples, ...(options.storeFs ? { fs: options.storeFs } : {}) });
  const verifiers = options.verifiers ?? createVerifierSet(verifierFactory(config.codeTimeLimits, timeLimits?.timeLimitMs));
  // Bounded: memory must not grow with samples; `report` counts every duplicate (recent-duplicates.ts).
  const duplicates = createRecentDuplicateDetector();
  const progress: RunProgress = { done: 0, total, resumed, errors: 0, retries: 0 };
  const scrub = createScrubber(options.secrets?.values() ?? []);
  const sink = createSampleSink({ log, verifiers, duplicates, progress, seed: config.seed, maxErrorRate: config.maxErrorRate, signal, fail, scrub, ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
  const promptOf = promptBuilder(config);
  try {
    await Promise.all(
      config.models.map((model) =>
        drawModel(model, perEndpointOf(model, config), workCursor(cursorOf(model.id)), sink, {
          provider: providers.get(model.id) as Provider,
          pool: createEndpointPool(modelEndpoints(model), { concurrencyPerEndpoint: perEndpointOf(model, config) }),
          retry: config.retry,
          settings: { seed: config.seed, maxTokens: config.sampling.maxTokens, ...(config.sampling.topP === undefined ? {} : { topP: config.sampling.topP }), ...(config.sampling.stop === undefined ? {} : { stop: config.sampling.stop }) },
          signal,
          promptOf,
          referenceOf: simulationReference,
          ...(options.sleep ? { sleep: options.sleep } : {}),
          onRetry: (item, error, attempt, delayMs) => {
            progress.retries += 1;
            options.onEvent?.(scrub(`retry ${attempt} of ${item.cell.id} ${item.problem.id} in ${Math.round(delayMs)} ms: ${error.message}`));
          },
        }, fail),
      ),
    );
  } finally {
    try {
      log.close();
    } catch (error) {
      fail(appendError(error));
    }
    options.signal?.removeEventListener('abort', onOuterAbort);
    if (!options.verifiers) await verifiers.close();
    await closeProviders(providers.values());
  }

  if (!fatal && !signal.aborted && progress.done > 0 && progress.errors === progress.done) fatal = allSamplesFailed(progress.errors, samplesPath, sink.firstError());
  if (!fatal && !signal.aborted) fatal = await scoreSelectionsOf(config, runDir, signal, options);
  const interrupted = options.signal?.aborted === true && !fatal;
  const outcome: RunResult['outcome'] = fatal ? 'failed' : interrupted ? 'interrupted' : 'completed';
  finishManifest(runDir, manifest, progress, outcome, fatal);
  options.onProgress?.(progress);
  const found = duplicates.report();
  if (found.duplicates > 0) options.onEvent?.(`${found.duplicates} duplicate samples (identical texts under different seeds): does the server honour seeds?`);
  const result: RunResult = { runDir, drawn: progress.done - progress.errors, resumed, errors: progress.errors, duplicates: found.duplicates, outcome };
  if (fatal) result.error = fatal;
  if (interrupted) result.error = new InterruptedError(`interrupted: ${progress.done} samples stored this session in ${runDir}`);
  return result;
}

/** The request loop of one model: checks its endpoints, then draws its work items into the sink with `workers` per endpoint. */
async function drawModel(
  model: ModelConfig,
  workers: number,
  cursor: Iterator<WorkItem>,
  sink: SampleSink,
  context: DrawContext,
  fail: (error: HarnessError) => void,
): Promise<void> {
  const { provider, signal } = context;
  const first = cursor.next();
  if (first.done) return;
  const endpoints = modelEndpoints(model);
  if (provider.check) {
    const check = provider.check.bind(provider);
    await Promise.all(endpoints.map((endpoint) => check(endpoint, signal))).catch((error: unknown) => {
      if (error instanceof HarnessError) fail(error);
      else throw error;
    });
  }
  let pending: WorkItem | undefined = first.value;
  const items: Iterator<WorkItem> = {
    next: () => {
      if (pending) {
        const value = pending;
        pending = undefined;
        return { done: false, value };
      }
      return cursor.next();
    },
  };
  await runWorkers(items, workers * endpoints.length, signal, async (item) => {
    let drawn;
    try {
      drawn = await drawItem(item, context);
    } catch (error) {
      if (error instanceof DrawFailure) sink.acceptFailure(item, error);
      else throw error;
      return;
    }
    await sink.acceptDrawn(item, drawn);
  });
}

/** Requests in flight per endpoint: the embedded engine is one endpoint; its requests carry up to `parallel` samples each. */
function perEndpointOf(model: ModelConfig, config: ResolvedConfig): number {
  return model.concurrency ?? (model.provider === 'llama-cpp' ? llamaCppRequestsAtOnce(model, config.sampling.samples) : config.concurrency);
}

async function loadDatasets(config: ResolvedConfig, locations: DatasetLocations): Promise<Map<string, LoadedDataset>> {
  const datasets = new Map<string, LoadedDataset>();
  for (const datasetConfig of config.datasets) datasets.set(datasetConfig.id, await loadDataset(datasetConfig, locations, config.seed));
  return datasets;
}

/** The problems a shard draws (every dataset is loaded whole, so simulated difficulties do not depend on the shard). */
function shardProblems(shard: Shard | undefined): (dataset: LoadedDataset) => ReadonlyArray<Problem> {
  if (!shard) return (dataset) => dataset.problems;
  const cache = new WeakMap<LoadedDataset, Problem[]>();
  return (dataset) => {
    let problems = cache.get(dataset);
    if (!problems) cache.set(dataset, (problems = dataset.problems.filter((_, position) => inShard(position, shard))));
    return problems;
  };
}

function createProviders(config: ResolvedConfig, options: RunOptions): Map<string, Provider> {
  const providers = new Map<string, Provider>();
  const factory = options.createProvider ?? createProvider;
  for (const model of config.models) {
    const apiKey = options.secrets?.get(model.id);
    const hubCacheDir = options.locations?.hubCacheDir;
    providers.set(
      model.id,
      factory(model, {
        ...(apiKey === undefined ? {} : { apiKey }),
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(hubCacheDir === undefined ? {} : { hubCacheDir }),
        ...(options.onEvent ? { onEvent: options.onEvent } : {}),
      }),
    );
  }
  return providers;
}

/** One prompt per problem and prompt style, built once however many requests it serves. */
function promptBuilder(config: ResolvedConfig): (item: WorkItem) => PromptInput {
  const prompts = new Map<string, PromptInput>();
  return ({ cell, dataset, problem }) => {
    const style = promptStyle(cell.modelConfig);
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
}

function simulationReference({ cell, dataset, problem }: WorkItem): SimulationReference {
  return {
    dataset: dataset.id,
    answer: problem.answer,
    style: dataset.verifier === 'code' || dataset.verifier === 'stdio' ? 'code' : dataset.verifier === 'gsm8k' ? 'gsm8k' : 'boxed',
    ...(problem.code?.canonicalSolution === undefined ? {} : { canonicalSolution: problem.code.canonicalSolution }),
    ...(problem.stdio?.solutions?.[0] === undefined ? {} : { canonicalSolution: problem.stdio.solutions[0] }),
    ...(cell.simulated ? { difficulty: difficultyOf(dataset).get(problem.id) ?? 0.5 } : {}),
  };
}

/** Answer selection (reward models, judges, simulated verifiers) scores the stored samples; returns a fatal error, if any. */
async function scoreSelectionsOf(config: ResolvedConfig, runDir: string, signal: AbortSignal, options: RunOptions): Promise<HarnessError | undefined> {
  if (selectionEntries(config).length === 0) return undefined;
  try {
    const selection = await scoreSelections(config, runDir, {
      signal,
      ...(options.secrets ? { secrets: options.secrets } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.createProvider ? { createProvider: options.createProvider } : {}),
      env: options.env ?? {},
    });
    for (const entry of selection) if (entry.scored + entry.errors > 0) options.onEvent?.(`selection: ${entry.scorer} scored ${entry.scored} samples of ${entry.cell} (${entry.errors} errors)`);
    return undefined;
  } catch (error) {
    if (signal.aborted) return undefined;
    if (error instanceof HarnessError) return error;
    throw error;
  }
}

function finishManifest(runDir: string, manifest: RunManifest, progress: RunProgress, outcome: RunResult['outcome'], fatal: HarnessError | undefined): void {
  const finishedAt = new Date().toISOString();
  const session = manifest.sessions.at(-1);
  const sessionError = fatal ?? (outcome === 'interrupted' ? { code: 'INTERRUPTED', message: 'interrupted (Ctrl-C or SIGTERM)' } : undefined);
  if (session) Object.assign(session, { finishedAt, drawn: progress.done - progress.errors, errors: progress.errors, outcome, ...(sessionError ? { error: { code: sessionError.code, message: sessionError.message } } : {}) });
  manifest.finishedAt = finishedAt;
  writeManifest(runDir, manifest);
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

function promptStyle(model: ModelConfig): 'chat' | 'text' {
  if ((model.provider === 'openai' && model.api === 'completions') || (model.provider === 'ollama' && model.api === 'generate')) return 'text';
  return 'chat';
}

function prepareManifest(runDir: string, config: ResolvedConfig, cells: PlannedCell[], startedAt: string, shard: Shard | undefined): RunManifest {
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
    config: { ...serialisableConfig(config), fingerprints: { ...((previous?.config.fingerprints ?? {}) as object), ...fingerprints }, ...(shard ? { shard } : {}) },
    cells: [...knownCells.values()],
    versions: packageVersions(),
    startedAt: previous?.startedAt ?? startedAt,
    sessions: [...(previous?.sessions ?? []), { startedAt, drawn: 0, errors: 0, outcome: 'running' }],
  };
}

/** Frees every provider's resources (an embedded engine's model and scratch files); a failure to free never hides the run's outcome. */
async function closeProviders(providers: Iterable<Provider>): Promise<void> {
  await Promise.all([...providers].map(async (provider) => provider.close?.().catch(() => undefined)));
}
