/**
 * Everything the report renders, in one plain, JSON-serialisable object. The run stage (or
 * `scaling-bench report`) builds it from a run directory with the metrics functions; the report
 * stage only formats it: no metric is computed here.
 */
import type { CellInfo, ComputeOptimalAnalysis, ComputePoint, EqualComputeRow, Estimate, MetricRow, ProblemStat } from '../metrics/index.ts';

export type { ComputePoint, EqualComputeRow, ProblemStat };

/** Per-problem statistics of one cell (a row of problems.csv). */
export interface CellProblemStat extends ProblemStat {
  /** Cell id. */
  cellId: string;
}

/** The compute axis of the equal-compute comparison. */
export type ComputeAxis = 'tokens' | 'flops' | 'dollars';

/** The accuracy metric of the equal-compute comparison. */
export type ComparedMetric = 'coverage' | 'majority';

/** The equal-compute table: which configuration is best at each budget on one compute axis. */
export interface EqualComputeTable {
  /** Dataset whose cells the table compares (one table per dataset: accuracies on different problems do not compare). */
  dataset?: string;
  /** Compute axis the budgets are measured on. */
  axis: ComputeAxis;
  /** Metric compared. */
  metric: ComparedMetric;
  /** What the table compares, when it is not one metric of every cell (e.g. selection methods against majority vote). */
  description?: string;
  /** Labels of series that are not cells (cell id → label), e.g. a cell's selection method. */
  seriesLabels?: Record<string, string>;
  /** One row per budget, ascending. */
  rows: EqualComputeRow[];
}

/** A point of a curve of coverage against k. */
export interface CurvePoint {
  /** Samples per problem. */
  k: number;
  /** Coverage at k, in [0, 1]. */
  coverage: number;
}

/** A fitted scaling law `log coverage(k) ≈ a·k^b` of one cell, with its curve for the overlay. */
export interface ScalingLawSeries {
  /** Cell id. */
  cellId: string;
  /** Fitted a (negative for a rising curve). */
  a: number;
  /** Fitted b (negative for a rising curve). */
  b: number;
  /** Root-mean-square error of the fit on the fitted points (coverage units). */
  rmse: number;
  /** The fitted curve `exp(a·k^b)` at the ks to draw, ascending k. */
  curve: CurvePoint[];
}

/** A Beta-distribution forecast of one cell's coverage, fitted on few samples and extrapolated. */
export interface ForecastSeries {
  /** Cell id. */
  cellId: string;
  /** Samples per problem the Beta distribution was fitted on (marked on the figure). */
  fittedAtN: number;
  /** Forecast Beta parameters, when known (shown in the table). */
  alpha?: number;
  /** Forecast Beta parameters, when known (shown in the table). */
  beta?: number;
  /** Forecast coverage at the ks to draw, ascending k (may extend past the measured n). */
  curve: CurvePoint[];
}

/** One bin of a histogram of per-problem solve rates. */
export interface SolveRateBin {
  /** Lower edge of the bin, in [0, 1] (inclusive). */
  low: number;
  /** Upper edge of the bin, in [0, 1] (exclusive, except for the last bin). */
  high: number;
  /** Number of problems whose solve rate (correct samples / samples) falls in the bin. */
  count: number;
}

/** The solve-rate distribution of one cell. */
export interface SolveRateSeries {
  /** Cell id. */
  cellId: string;
  /** Bins, ascending, covering [0, 1]. */
  bins: SolveRateBin[];
}

/** The accuracy@k curve of one answer-selection method (best-of-k, weighted vote, ...) in one cell. */
export interface SelectionSeries {
  /** Cell id. */
  cellId: string;
  /** Method name as shown in legends, e.g. `best-of-k (reward model)`, `weighted vote`. */
  method: string;
  /** True when the scores came from a simulated verifier (labelled "(simulated)"). */
  simulated: boolean;
  /** Expected accuracy of the method over random k-subsets, ascending k. */
  points: Array<{ k: number; value: number }>;
}

/** How the thinking budget of one cell was realised (sequential scaling, measured not trusted). */
export interface ThinkingSummary {
  /** Cell id. */
  cellId: string;
  /** Thinking-token budget requested (0 = none); equals the cell's thinkingBudget. */
  requestedBudget: number;
  /** How the budget was imposed (`budget-forcing`, `native`, `think-level`, ...), or null when unknown. */
  strategy: string | null;
  /** Mean realised thinking tokens per sample. */
  meanThinkingTokens: number;
  /** Fraction of samples that ran out of thinking budget, or null when not recorded. */
  budgetHitRate: number | null;
  /** Fraction of samples whose answer was forced after the budget ran out, or null. */
  forcedAnswerRate: number | null;
  /** Fraction of samples left with an empty answer, or null. */
  emptyAnswerRate: number | null;
  /** Fraction of samples whose realised thinking far exceeded the budget (the server ignored it), or null. */
  overBudgetRate: number | null;
}

/** Failed samples of the run (excluded from the metrics). */
export interface ErrorSummary {
  /** Number of samples with status `error`. */
  total: number;
  /** Count per error code. */
  byCode: Record<string, number>;
}

/** A set of samples of one problem whose texts are identical (a seed the server ignored, a cache). */
export interface DuplicateGroup {
  /** Cell id. */
  cellId: string;
  /** Problem id. */
  problem: string;
  /** Sample indices sharing one text, ascending. */
  indices: number[];
}

/** Duplicate samples found in the run. */
export interface DuplicateSummary {
  /** Number of samples that repeat an earlier sample's text. */
  count: number;
  /** Groups of identical samples (possibly truncated by the caller; `count` is the full number). */
  groups: DuplicateGroup[];
}

/** One sample as the samples browser shows it. Text is shown escaped, never as markup. */
export interface BrowserSample {
  /** Sample index within the problem. */
  index: number;
  /** The model's answer text (thinking excluded). */
  text: string;
  /** Thinking text, when the backend separated it. */
  thinking?: string;
  /** Extracted final answer, or null when none could be extracted. */
  answer: string | null;
  /** Verdict. */
  correct: boolean;
  /** Why the verifier decided so (`equal`, `no-answer`, `failed: AssertionError`, ...). */
  reason: string;
}

/** One problem of one cell in the samples browser: a bounded subset of its samples. */
export interface BrowserProblem {
  /** Cell id. */
  cellId: string;
  /** Problem id. */
  problem: string;
  /** The question, when known. */
  question?: string;
  /** The gold answer, when known. */
  gold?: string;
  /** Samples the problem has in total (the browser may show fewer). Default: samples.length. */
  totalSamples?: number;
  /** Samples shown, by index. */
  samples: BrowserSample[];
}

/**
 * Everything `index.html`, `metrics.csv` and the figures show. Plain data (JSON-serialisable);
 * every list may be empty, and a figure whose data is empty is left out.
 */
export interface ReportData {
  /** Report title (usually the run name). */
  title: string;
  /** ISO 8601 time the report was built; shown in the page, never read from the clock here. */
  generatedAt: string;
  /** The run's manifest (run.json: resolved config, versions, seeds, endpoints, duration), shown as JSON. */
  manifest: Record<string, unknown>;
  /** The cells, in config order (legends follow this order). */
  cells: CellInfo[];
  /** Metrics per cell × k. */
  rows: MetricRow[];
  /** Accuracy against compute (per problem) per cell × k (the tokens / FLOPs / dollars figures). */
  computePoints: ComputePoint[];
  /** Equal-compute comparison: one table, or one per dataset; null when not computed. */
  equalCompute: EqualComputeTable | EqualComputeTable[] | null;
  /** Scaling-law fits per cell (coverage figure overlay and table). */
  fits: ScalingLawSeries[];
  /** Beta forecasts per cell (coverage figure overlay and table). */
  forecasts: ForecastSeries[];
  /** Per-problem solve-rate histograms per cell. */
  solveRates: SolveRateSeries[];
  /** Selection-method curves (best-of-k, weighted votes) per cell. */
  selection: SelectionSeries[];
  /** Realised thinking per cell (only cells with a thinking budget need an entry). */
  thinking: ThinkingSummary[];
  /** Failed samples. */
  errors: ErrorSummary;
  /** Duplicate samples. */
  duplicates: DuplicateSummary;
  /** Samples browser: a bounded subset (e.g. the first problems × first samples of each cell). */
  samplesBrowser: BrowserProblem[];
  /** Per cell × problem: samples, correct, distinct answers, majority right (problems.csv, per-problem comparison). Default none. */
  problemStats?: CellProblemStat[];
  /** The most samples per problem and cell the samples browser holds (said on the page). Default: not stated. */
  browserSamplesPerProblem?: number;
  /** majority@∞ (the voting ceiling) per cell, with its bootstrap interval; absent when not computed. */
  majorityCeilings?: Array<{ cellId: string; value: Estimate }>;
  /** The compute-optimal analysis per dataset; absent or empty when not computed. */
  computeOptimal?: ComputeOptimalAnalysis[];
}

/** The equal-compute tables of a report as a list (none, one, or one per dataset). */
export function equalComputeTables(data: Pick<ReportData, 'equalCompute'>): EqualComputeTable[] {
  if (data.equalCompute === null) return [];
  return Array.isArray(data.equalCompute) ? data.equalCompute : [data.equalCompute];
}
