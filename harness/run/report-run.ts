/**
 * `report`: rebuilds metrics and the report of a run directory from its stored samples, without
 * calling any model. Streams samples.jsonl once into per-problem sufficient statistics
 * (problem-stats.ts) and a few texts for the samples browser; every metric comes from those.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { HarnessError } from '../core/errors.ts';
import type { Problem, SampleRecord, Verdict, VerifierKind } from '../core/types.ts';
import type { ModelConfig } from '../config/model-schema.ts';
import type { DatasetConfig } from '../config/schema.ts';
import { locationsFromEnv } from '../datasets/locate.ts';
import { loadDataset } from '../datasets/registry.ts';
import { defaultKs, equalComputeTable, fitBetaForecast, fitScalingLaw, lookupArchitecture, problemStatOf, scalingLawCurve, withMajorityApplicability, type Architecture, type SkippedK } from '../metrics/index.ts';
import type { CellInfo, MetricRow } from '../metrics/types.ts';
import { findSimProfile } from '../providers/sim/sim-profiles.ts';
import { SIMULATED_SUFFIX } from '../report/cell-labels.ts';
import { mergeReportData } from '../report/compare.ts';
import type { BrowserProblem, CellProblemStat, ComputeAxis, ComputePoint, EqualComputeTable, ReportData, ThinkingSummary } from '../report/report-data.ts';
import { writeReport } from '../report/write-report.ts';
import { readManifest, type RunManifest } from '../store/run-manifest.ts';
import { acquireRunLock } from '../store/run-lock.ts';
import { readProblemsFile, type StoredProblem } from '../store/problems-file.ts';
import { readSampleLog, readSampleLogBatches, sampleLogExists, SAMPLES_FILE } from '../store/sample-log.ts';
import { createVerifierSet } from '../verifiers/registry.ts';
import { SCORES_FILE } from '../selection/score-log.ts';
import { selectionCurves, type CheckedSamples, type CheckedSlot, type SelectionResult } from '../selection/selection-curves.ts';
import { recordedCodeTimeLimits, verifierFactory } from './code-time-limits.ts';
import { createDuplicateDetector } from './duplicates.ts';
import { addSample, claimSlot, correctInFirst, emptyProblemStats, type ProblemStats } from './problem-stats.ts';
import { answerClassesOf, cellRowsFromStats, computePointsFromStats, orderedProblems, solveRatesFromStats } from './stats-metrics.ts';
import type { AnswerClasses } from '../metrics/answer-classes.ts';
import { computeOptimalSections, type OptimalProblem } from './compute-optimal-report.ts';
import { answerClasses, cellMajorityCeiling, DEFAULT_COMPUTE_OPTIMAL, type ComputeOptimalSettings } from '../metrics/index.ts';

/** Options of reportRun. */
export interface ReportOptions {
  /** Check every sample again with the current verifiers instead of using stored verdicts. */
  regrade?: boolean;
  /** Bootstrap resamples (default: the run config's report.bootstrapDraws, else 1000). */
  bootstrapDraws?: number;
  /** k values to report (default: the run config's k, else powers of two and of ten up to n, and n). */
  ks?: number[];
  /** Problems per cell shown in the samples browser (default: every problem). */
  browserProblems?: number;
  /** Samples per problem shown in the samples browser (default 8). */
  browserSamples?: number;
  /** Environment (dataset locations for --regrade); default process.env. */
  env?: Record<string, string | undefined>;
  /** Clock for the report's timestamp. */
  now?: () => Date;
  /** With `regrade`: called as samples are checked (checked so far, of total). */
  onRegradeProgress?: (checked: number, total: number) => void;
}

/** What `--regrade` changed: samples checked, and verdicts that changed, by how. */
export interface RegradeSummary {
  /** Samples checked again. */
  checked: number;
  /** Stored wrong, now right. */
  wrongToRight: number;
  /** Stored right, now wrong. */
  rightToWrong: number;
  /** Stored without a verdict, now checked. */
  unchecked: number;
}

/** What reportRun wrote, and the notes worth printing (k values that are n/a, ...). */
export interface ReportResult {
  /** Folder the report was written to. */
  outDir: string;
  files: string[];
  notes: string[];
  data: ReportData;
  /** With `regrade`: what changed. */
  regrade?: RegradeSummary;
}

interface CellAccumulator {
  problems: Map<string, ProblemStats>;
  /** One string per distinct answer key (a million samples share a few hundred keys). */
  interned: Map<string, string>;
  browser: Map<string, BrowserProblem>;
  thinking: { samples: number; thinkingTokens: number; hits: number; recorded: number; forced: number; empty: number; over: number; strategy: string | null };
}

/** Builds the report data of a run directory (streams samples.jsonl once). */
export async function buildReportData(runDir: string, options: ReportOptions = {}): Promise<{ data: ReportData; notes: string[]; regrade?: RegradeSummary }> {
  const manifest = readManifest(runDir);
  const config = manifest.config as { seed?: number; ks?: number[]; report?: { bootstrapDraws?: number; computeAxis?: ComputeAxis; majorityDraws?: number; computeOptimal?: false | Partial<ComputeOptimalSettings> }; models?: ModelConfig[]; datasets?: DatasetConfig[]; sampling?: { samples?: number } };
  const samplesPath = join(runDir, SAMPLES_FILE);
  if (!sampleLogExists(samplesPath)) {
    throw new HarnessError('RUN_NO_SAMPLES', `${runDir} has no ${SAMPLES_FILE}`, { hint: 'Run `scaling-bench run <config>` (or import samples) first.', exitCode: 2 });
  }
  const notes: string[] = [];
  const problemInfo = readProblemsFile(runDir);
  const browserProblems = options.browserProblems ?? Number.POSITIVE_INFINITY;
  const browserSamples = options.browserSamples ?? 8;

  const regrader = options.regrade ? await createRegrader(manifest, problemInfo, options.env ?? process.env) : undefined;

  const cells = new Map<string, CellAccumulator>();
  const cellOf = (id: string): CellAccumulator => {
    let cell = cells.get(id);
    if (!cell) {
      cell = { problems: new Map(), interned: new Map(), browser: new Map(), thinking: { samples: 0, thinkingTokens: 0, hits: 0, recorded: 0, forced: 0, empty: 0, over: 0, strategy: null } };
      cells.set(id, cell);
    }
    return cell;
  };
  const errorKeys = new Map<string, string>();
  const cellInfo = new Map(manifest.cells.map((cell) => [cell.id, cell]));

  const keepSlots = existsSync(join(runDir, SCORES_FILE));
  const expectedSamples = config.sampling?.samples ?? 8;
  // Each problem's hash table is made at the configured size once (doubling from 16 would end at
  // 16,384 slots for 10,000 samples: 60 % more memory, and every copy on the way).
  const duplicates = createDuplicateDetector({ expectedPerProblem: Math.min(expectedSamples, 1 << 20) });
  const regradeSummary: RegradeSummary = { checked: 0, wrongToRight: 0, rightToWrong: 0, unchecked: 0 };

  /** Folds one checked sample into its problem's statistics, the browser and the thinking summary. */
  const accept = (entry: { record: SampleRecord; stats: ProblemStats; accumulator: CellAccumulator }, verdict: Verdict | undefined): void => {
    const { record, stats, accumulator } = entry;
    if (!verdict) {
      throw new HarnessError('SAMPLE_UNCHECKED', `sample ${record.index} of ${record.problem} in ${record.cell} has no verdict`, {
        hint: `Run \`scaling-bench report ${runDir} --regrade\` to check every sample with the current verifiers.`,
        exitCode: 2,
      });
    }
    let answerKey = verdict.answerKey;
    if (answerKey !== null) {
      const shared = accumulator.interned.get(answerKey);
      if (shared === undefined) accumulator.interned.set(answerKey, answerKey);
      else answerKey = shared;
    }
    addSample(stats, record, verdict, answerKey);
    const cell = cellInfo.get(record.cell);
    if ((cell?.temperature ?? 1) > 0 && record.text !== undefined) duplicates.add(record.cell, record.problem, record.index, record.text);
    trackThinking(accumulator, record, cell?.thinkingBudget ?? 0);
    addToBrowser(accumulator, record, verdict, problemInfo, browserProblems, browserSamples);
  };
  const regradeTotal = regrader ? await countOkRecords(samplesPath) : 0;
  // Regrading checks a batch of samples at once, so code execution keeps every sandbox worker busy.
  let regradeBatch: Array<{ record: SampleRecord; stats: ProblemStats; accumulator: CellAccumulator }> = [];
  const regradePending = async (): Promise<void> => {
    if (!regrader || regradeBatch.length === 0) return;
    const batch = regradeBatch;
    regradeBatch = [];
    const verdicts = await Promise.all(batch.map((entry) => regrader.regrade(entry.record)));
    batch.forEach((entry, position) => {
      const verdict = verdicts[position] as Verdict;
      countChange(regradeSummary, entry.record.verdict, verdict);
      accept(entry, verdict);
    });
    options.onRegradeProgress?.(regradeSummary.checked, regradeTotal);
  };

  const slotKey = (record: SampleRecord): string => `${record.cell}\u0000${record.problem}\u0000${record.index}`;
  for await (const records of readSampleLogBatches(samplesPath)) {
    for (const record of records) {
      if (record.status === 'error') {
        errorKeys.set(slotKey(record), record.error?.code ?? 'UNKNOWN');
        continue;
      }
      const accumulator = cellOf(record.cell);
      let stats = accumulator.problems.get(record.problem);
      if (!stats) {
        stats = emptyProblemStats(record.problem, expectedSamples, keepSlots);
        accumulator.problems.set(record.problem, stats);
      }
      if (!claimSlot(stats, record.index)) continue; // the same slot twice (merged shards): counted once
      // A slot that failed before and succeeded on a later attempt is no error.
      if (errorKeys.size > 0) errorKeys.delete(slotKey(record));
      if (!regrader) {
        accept({ record, stats, accumulator }, record.verdict);
        continue;
      }
      regradeBatch.push({ record, stats, accumulator });
      if (regradeBatch.length >= 64) await regradePending();
    }
  }
  await regradePending();
  await regrader?.close();

  const seed = config.seed ?? 1;
  const bootstrapDraws = options.bootstrapDraws ?? config.report?.bootstrapDraws ?? 1000;
  const rows: MetricRow[] = [];
  const computePoints: ComputePoint[] = [];
  const fits: ReportData['fits'] = [];
  const forecasts: ReportData['forecasts'] = [];
  const solveRates: ReportData['solveRates'] = [];
  const thinking: ThinkingSummary[] = [];
  const stats: CellProblemStat[] = [];
  const majorityCeilings: NonNullable<ReportData['majorityCeilings']> = [];
  const problemsByCell = new Map<string, OptimalProblem[]>();
  const majorityByCell = new Map<string, Map<number, Float64Array>>();
  const orderedCells = manifest.cells.filter((cell) => cells.has(cell.id));
  for (const cell of orderedCells) {
    const accumulator = cells.get(cell.id) as CellAccumulator;
    const problems = orderedProblems(accumulator.problems.values());
    if (problems.length === 0) continue;
    const smallestN = Math.min(...problems.map((problem) => problem.samples));
    const wanted = options.ks ?? config.ks ?? defaultKs(Math.max(1, smallestN));
    const classesOf = problems.map(answerClassesOf);
    const hasClasses = classesOf.some((classes) => classes.keys.length > 0);
    const majorityOut = new Map<number, Float64Array>();
    majorityByCell.set(cell.id, majorityOut);
    const cellRows = withMajorityApplicability(cellRowsFromStats(cell, problems, wanted, {
      bootstrapDraws,
      seed,
      majority: { draws: config.report?.majorityDraws ?? 2000 },
      classes: classesOf,
      majorityOut,
      onSkippedK: (skipped: SkippedK) => notes.push(`${cell.id}: coverage@${skipped.k} and majority@${skipped.k} are n/a: ${skipped.reason}`),
    }), hasClasses);
    rows.push(...cellRows);
    stats.push(...problems.map((problem, position) => ({ cellId: cell.id, ...problemStatOf(problem.problem, problem.samples, problem.correct, classesOf[position] as AnswerClasses) })));
    computePoints.push(...computePointsFromStats(cell, problems, cellRows, costOf(cell, config.models ?? [])));
    const optimalProblems = problems.map((problem, position) => ({ problem: problem.problem, samples: problem.samples, correct: problem.correct, classes: classesOf[position] as AnswerClasses }));
    problemsByCell.set(cell.id, optimalProblems);
    majorityCeilings.push({ cellId: cell.id, value: cellMajorityCeiling(optimalProblems.map((problem) => problem.classes), { draws: bootstrapDraws, seed }) });
    const fitPoints = cellRows.filter((row) => row.coverage.value > 0 && row.coverage.value < 1).map((row) => ({ k: row.k, coverage: row.coverage.value }));
    if (fitPoints.length >= 3) {
      const fit = fitScalingLaw(fitPoints);
      const maxK = Math.max(...cellRows.map((row) => row.k));
      fits.push({ cellId: cell.id, a: fit.a, b: fit.b, rmse: fit.rmse, curve: scalingLawCurve(fit, logSpacedKs(maxK)) });
    }
    // Forecast from few samples (Schaeffer et al. 2025): fit the Beta on the first n/8 samples of
    // each problem, so the dashed extrapolation can be checked against the measured curve.
    const fittedAtN = Math.min(smallestN, Math.max(8, Math.ceil(smallestN / 8)));
    const forecast = fitBetaForecast(problems.map((problem) => ({ n: fittedAtN, c: correctInFirst(problem, fittedAtN) })));
    const horizon = Math.max(10_000, fittedAtN * 10);
    forecasts.push({ cellId: cell.id, fittedAtN, alpha: forecast.alpha, beta: forecast.beta, curve: logSpacedKs(horizon).map((k) => ({ k, coverage: forecast.predict(k) })) });
    solveRates.push({ cellId: cell.id, bins: solveRatesFromStats(problems, 10) });
    if (cell.thinkingBudget > 0) thinking.push(thinkingSummary(cell, accumulator));
  }

  const axis = chooseAxis(config.report?.computeAxis ?? 'flops', computePoints, notes);
  // One table per dataset: accuracy on different problem sets is not comparable.
  const equalCompute: EqualComputeTable[] = [];
  for (const dataset of [...new Set(orderedCells.map((cell) => cell.dataset))]) {
    const points = computePoints.filter((point) => point.cell.dataset === dataset);
    if (new Set(points.map((point) => point.cell.id)).size < 2) continue;
    equalCompute.push({ dataset, axis, metric: 'coverage', rows: equalComputeTable(points, axis, { metric: 'coverage' }) });
  }

  const selected = existsSync(join(runDir, SCORES_FILE))
    ? await selectionCurves(runDir, [...new Set(rows.map((row) => row.k))].sort((a, b) => a - b), { seed, samples: checkedSamples(cells) })
    : undefined;
  if (selected) {
    notes.push(...selected.notes);
    for (const spent of selected.compute) {
      if (spent.promptTokensPerSample + spent.completionTokensPerSample === 0) continue;
      notes.push(
        `${spent.cellId}: selection by ${spent.scorer} spent ${spent.promptTokensPerSample.toFixed(0)} prompt + ${spent.completionTokensPerSample.toFixed(0)} completion tokens per sample${spent.estimated ? ' (estimated)' : ''}, on top of sampling`,
      );
    }
    equalCompute.push(...selectionAtEqualCompute(orderedCells, computePoints, selected));
  }

  const optimalConfig = config.report?.computeOptimal;
  const optimal =
    optimalConfig === false
      ? { analyses: [], notes: [] }
      : computeOptimalSections({
          cells: orderedCells,
          problems: problemsByCell,
          computePoints,
          selection: selected,
          axis: config.report?.computeAxis ?? 'flops',
          settings: { ...DEFAULT_COMPUTE_OPTIMAL, ...optimalConfig, seed, bootstrapDraws, majorityDraws: config.report?.majorityDraws ?? 2000 },
          majorityByCell,
        });
  notes.push(...optimal.notes);

  const byCode: Record<string, number> = {};
  for (const code of errorKeys.values()) byCode[code] = (byCode[code] ?? 0) + 1;
  const duplicateReport = duplicates.report();
  const data: ReportData = {
    title: manifest.name,
    generatedAt: (options.now ?? (() => new Date()))().toISOString(),
    manifest: manifest as unknown as Record<string, unknown>,
    cells: orderedCells,
    rows,
    computePoints,
    equalCompute: equalCompute.length > 0 ? equalCompute : null,
    fits,
    forecasts,
    solveRates,
    selection: selected?.curves ?? [],
    thinking,
    errors: { total: errorKeys.size, byCode },
    duplicates: { count: duplicateReport.duplicates, groups: duplicateReport.groups.slice(0, 50).map((group) => ({ cellId: group.cell, problem: group.problem, indices: group.indices })) },
    samplesBrowser: orderedCells.flatMap((cell) => [...(cells.get(cell.id)?.browser.values() ?? [])]),
    problemStats: stats,
    browserSamplesPerProblem: browserSamples,
    majorityCeilings,
    computeOptimal: optimal.analyses,
  };
  return { data, notes, ...(regrader ? { regrade: regradeSummary } : {}) };
}

/** Rebuilds metrics.csv, index.html and figures/ of a run directory. */
export async function reportRun(runDir: string, options: ReportOptions = {}): Promise<ReportResult> {
  const lock = existsSync(runDir) ? acquireRunLock(runDir, { command: 'report' }) : undefined;
  try {
    const { data, notes, regrade } = await buildReportData(runDir, options);
    const written = await writeReport(data, runDir);
    return { outDir: runDir, files: written.files, notes, data, ...(regrade ? { regrade } : {}) };
  } finally {
    lock?.release();
  }
}

/** One report over several runs (`scaling-bench compare`). */
export async function compareRuns(runDirs: string[], outDir: string, options: ReportOptions = {}): Promise<ReportResult> {
  if (runDirs.length < 2) {
    throw new HarnessError('COMPARE_NEEDS_RUNS', `compare needs at least two run directories, got ${runDirs.length}`, { hint: 'scaling-bench compare reports/run-a reports/run-b --out reports/compare', exitCode: 2 });
  }
  const all = [];
  const notes: string[] = [];
  for (const runDir of runDirs) {
    const built = await buildReportData(runDir, options);
    all.push({ name: built.data.title, data: built.data });
    notes.push(...built.notes);
  }
  mkdirSync(outDir, { recursive: true });
  const lock = acquireRunLock(outDir, { command: 'compare' });
  try {
    const data = mergeReportData(all);
    const written = await writeReport(data, outDir);
    return { outDir, files: written.files, notes, data };
  } finally {
    lock.release();
  }
}

/**
 * Answer selection at equal compute: per dataset, majority@k of plain repeated sampling against
 * each selection method (best-of-k, weighted vote) with the scorer's tokens added per sample, on
 * the tokens axis (a scorer's FLOPs depend on a model the run may not describe).
 */
function selectionAtEqualCompute(cells: CellInfo[], computePoints: ComputePoint[], selected: SelectionResult): EqualComputeTable[] {
  const tables: EqualComputeTable[] = [];
  for (const dataset of [...new Set(cells.map((cell) => cell.dataset))]) {
    const points: ComputePoint[] = [];
    const seriesLabels: Record<string, string> = {};
    for (const cell of cells.filter((entry) => entry.dataset === dataset)) {
      const base = computePoints.filter((point) => point.cell.id === cell.id);
      const label = `${cell.model}${cell.thinkingBudget > 0 ? ` · think ${cell.thinkingBudget}` : ''}${cell.simulated ? SIMULATED_SUFFIX : ''}`;
      seriesLabels[cell.id] = `${label} · majority@k`;
      points.push(...base.map((point) => ({ ...point, coverage: point.majority })));
      for (const curve of selected.curves.filter((entry) => entry.cellId === cell.id)) {
        const spent = selected.compute.find((entry) => entry.cellId === cell.id && entry.scorer === curve.scorer);
        const extraTokens = (spent?.promptTokensPerSample ?? 0) + (spent?.completionTokensPerSample ?? 0);
        const id = `${cell.id} · ${curve.method}`;
        seriesLabels[id] = `${label} · ${curve.method}`;
        for (const point of curve.points) {
          const at = base.find((entry) => entry.k === point.k);
          if (!at) continue;
          points.push({ cell: { ...cell, id }, k: point.k, tokens: at.tokens + point.k * extraTokens, flops: null, dollars: null, coverage: point.value, majority: point.value });
        }
      }
    }
    if (new Set(points.map((point) => point.cell.id)).size < 2) continue;
    tables.push({
      dataset: `${dataset}: answer selection at equal tokens`,
      axis: 'tokens',
      metric: 'majority',
      description: "accuracy of majority vote and of each selection method (the scorer's tokens counted per sample)",
      seriesLabels,
      rows: equalComputeTable(points, 'tokens', { metric: 'coverage' }),
    });
  }
  return tables;
}

/** About 40 log-spaced integers from 1 to max (inclusive). */
function logSpacedKs(max: number): number[] {
  const ks = new Set<number>([1]);
  for (let step = 0; step <= 40; step += 1) ks.add(Math.max(1, Math.round(Math.pow(max, step / 40))));
  return [...ks].sort((a, b) => a - b);
}

function costOf(cell: CellInfo, models: ModelConfig[]): { architecture?: Architecture; priceInputPerMTok?: number; priceOutputPerMTok?: number } {
  const model = models.find((entry) => entry.id === cell.model);
  if (!model) return {};
  const looked =
    lookupArchitecture(model.architecture ?? (model.provider === 'sim' ? safeProfileArchitecture(model.profile) : 'model' in model ? model.model : model.id)) ??
    lookupArchitecture(model.id);
  let architecture: Architecture | undefined = looked;
  if (model.params !== undefined) {
    architecture = {
      ...(looked ?? { name: model.id }),
      params: model.params,
      ...(model.layers === undefined ? {} : { layers: model.layers }),
      ...(model.dModel === undefined ? {} : { dModel: model.dModel }),
    } as Architecture;
  }
  return {
    ...(architecture === undefined ? {} : { architecture }),
    ...(model.priceInputPerMTok === undefined ? {} : { priceInputPerMTok: model.priceInputPerMTok }),
    ...(model.priceOutputPerMTok === undefined ? {} : { priceOutputPerMTok: model.priceOutputPerMTok }),
  };
}

function safeProfileArchitecture(profile: string): string {
  try {
    return findSimProfile(profile).architecture;
  } catch {
    return profile;
  }
}

function chooseAxis(wanted: ComputeAxis, points: ComputePoint[], notes: string[]): ComputeAxis {
  const known = (axis: ComputeAxis): boolean => points.length > 0 && points.every((point) => (axis === 'tokens' ? true : point[axis] !== null));
  if (known(wanted)) return wanted;
  const fallback: ComputeAxis = wanted === 'dollars' && known('flops') ? 'flops' : 'tokens';
  if (points.length > 0) notes.push(`equal-compute: ${wanted} unknown for some model (set params/architecture or prices in the config); compared on ${fallback} instead`);
  return fallback;
}

function trackThinking(accumulator: CellAccumulator, record: SampleRecord, budget: number): void {
  if (budget <= 0) return;
  const thinking = accumulator.thinking;
  thinking.samples += 1;
  thinking.thinkingTokens += record.usage?.thinkingTokens ?? 0;
  if ((record.text ?? '').trim() === '') thinking.empty += 1;
  if ((record.usage?.thinkingTokens ?? 0) > budget * 1.5) thinking.over += 1;
  if (record.thinkingBudget) {
    thinking.recorded += 1;
    if (record.thinkingBudget.hit) thinking.hits += 1;
    if (record.thinkingBudget.forcedAnswer) thinking.forced += 1;
    thinking.strategy ??= record.thinkingBudget.strategy;
  }
}

function thinkingSummary(cell: CellInfo, accumulator: CellAccumulator): ThinkingSummary {
  const thinking = accumulator.thinking;
  const rate = (count: number, of: number): number | null => (of === 0 ? null : count / of);
  return {
    cellId: cell.id,
    requestedBudget: cell.thinkingBudget,
    strategy: thinking.strategy,
    meanThinkingTokens: thinking.samples === 0 ? 0 : thinking.thinkingTokens / thinking.samples,
    budgetHitRate: rate(thinking.hits, thinking.recorded),
    forcedAnswerRate: rate(thinking.forced, thinking.recorded),
    emptyAnswerRate: rate(thinking.empty, thinking.samples),
    overBudgetRate: rate(thinking.over, thinking.samples),
  };
}

function addToBrowser(
  accumulator: CellAccumulator,
  record: SampleRecord,
  verdict: Verdict,
  problemInfo: Map<string, { question: string; answer: string }>,
  maxProblems: number,
  maxSamples: number,
): void {
  let entry = accumulator.browser.get(record.problem);
  if (!entry) {
    if (accumulator.browser.size >= maxProblems) return;
    const dataset = record.cell.split('/')[1] ?? '';
    const info = problemInfo.get(`${dataset}\u0000${record.problem}`);
    entry = { cellId: record.cell, problem: record.problem, samples: [], ...(info ? { question: info.question, gold: info.answer } : {}) };
    accumulator.browser.set(record.problem, entry);
  }
  entry.totalSamples = (entry.totalSamples ?? 0) + 1;
  if (entry.samples.length >= maxSamples) return;
  entry.samples.push({
    index: record.index,
    text: record.text ?? '',
    answer: verdict.answer,
    correct: verdict.correct,
    reason: verdict.reason,
    ...(record.thinking === undefined ? {} : { thinking: record.thinking }),
  });
}

/** The verdicts the report collected (regraded ones included), for selection: samples.jsonl is read once. */
function checkedSamples(cells: ReadonlyMap<string, CellAccumulator>): CheckedSamples {
  const samples = new Map<string, Map<string, Array<CheckedSlot | undefined>>>();
  for (const [cellId, accumulator] of cells) {
    const problems = new Map<string, Array<CheckedSlot | undefined>>();
    for (const [problem, stats] of accumulator.problems) problems.set(problem, stats.slots ?? []);
    samples.set(cellId, problems);
  }
  return samples;
}

/** Counts how a regraded verdict differs from the stored one. */
function countChange(summary: RegradeSummary, before: Verdict | undefined, after: Verdict): void {
  summary.checked += 1;
  if (!before) summary.unchecked += 1;
  else if (!before.correct && after.correct) summary.wrongToRight += 1;
  else if (before.correct && !after.correct) summary.rightToWrong += 1;
}

/** Successful records of a sample log (the total a regrade's progress counts towards). */
async function countOkRecords(path: string): Promise<number> {
  let count = 0;
  for await (const record of readSampleLog(path)) if (record.status === 'ok') count += 1;
  return count;
}

/**
 * A function that checks a stored sample again with the current verifiers, against the problems
 * of the run's problems.jsonl when it names their verifiers (runs and imports of this version),
 * otherwise against the datasets, loaded again. A code problem gets the time limit problems.jsonl
 * records for it, else the run's codeTimeLimits (run.json; the fixed 3 s for older runs).
 */
async function createRegrader(
  manifest: RunManifest,
  stored: ReadonlyMap<string, StoredProblem>,
  env: Record<string, string | undefined>,
): Promise<{ regrade: (record: SampleRecord) => Promise<Verdict>; close: () => Promise<void> }> {
  const config = manifest.config as { seed?: number; datasets?: Array<DatasetConfig | string> };
  const problems = new Map<string, { problem: Problem; verifier: VerifierKind }>();
  const complete = new Set<string>();
  // The limit each code problem's samples were judged with, when problems.jsonl records one.
  const timeLimits = new WeakMap<Problem, number>();
  for (const [key, entry] of stored) {
    if (entry.verifier === undefined || (entry.verifier === 'code' && entry.code === undefined)) continue;
    const { dataset, verifier, timeLimit, ...problem } = entry;
    problems.set(key, { problem, verifier });
    if (timeLimit !== undefined) timeLimits.set(problem, timeLimit.timeoutMs);
    complete.add(dataset);
  }
  const locations = locationsFromEnv(env);
  const loadedDatasets = new Set<string>();
  // Datasets problems.jsonl covers are loaded only when a sample's problem is missing from it
  // (a run resumed with a smaller selection keeps samples of problems it no longer lists).
  const loadDatasets = async (includeComplete: boolean): Promise<void> => {
    for (const entry of config.datasets ?? []) {
      const datasetConfig: DatasetConfig = typeof entry === 'string' ? { id: entry } : entry;
      if (loadedDatasets.has(datasetConfig.id) || (!includeComplete && complete.has(datasetConfig.id))) continue;
      loadedDatasets.add(datasetConfig.id);
      const loaded = await loadDataset({ ...datasetConfig, limit: undefined, sample: undefined } as DatasetConfig, locations, config.seed ?? 1);
      for (const problem of loaded.pool) {
        const key = `${loaded.id}\u0000${problem.id}`;
        if (!problems.has(key)) problems.set(key, { problem, verifier: loaded.verifier });
      }
    }
  };
  await loadDatasets(false);
  let allLoaded: Promise<void> | undefined;
  const verifiers = createVerifierSet(verifierFactory(recordedCodeTimeLimits(manifest.config), (problem) => timeLimits.get(problem)));
  const datasetOf = new Map(manifest.cells.map((cell) => [cell.id, cell.dataset]));
  const regrade = async (record: SampleRecord): Promise<Verdict> => {
    const dataset = datasetOf.get(record.cell) ?? record.cell.split('/')[1] ?? '';
    const key = `${dataset}\u0000${record.problem}`;
    if (!problems.has(key)) {
      allLoaded ??= loadDatasets(true);
      await allLoaded;
    }
    const found = problems.get(key);
    if (!found) {
      throw new HarnessError('REGRADE_PROBLEM_MISSING', `cannot regrade: problem ${record.problem} of dataset '${dataset}' not found`, {
        hint: 'Regrading needs the run’s problems.jsonl, or its datasets (SCALING_BENCH_DATA or the Hugging Face cache).',
        exitCode: 2,
      });
    }
    return verifiers.get(found.verifier).verify(found.problem, record.text ?? '');
  };
  return { regrade, close: () => verifiers.close() };
}
