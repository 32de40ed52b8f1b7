/** Shapes the metrics stage produces and the report stage reads. */

/** What one cell (model × dataset × thinking budget × temperature) is. */
export interface CellInfo {
  /** Cell id, as stored in samples.jsonl. */
  id: string;
  /** Model label from the config. */
  model: string;
  /** Dataset id. */
  dataset: string;
  /** Thinking-token budget (0 = none). */
  thinkingBudget: number;
  /** Sampling temperature. */
  temperature: number;
  /** True when the model is simulated (reports label it). */
  simulated: boolean;
}

/** The checked samples of one problem in one cell (errors excluded). */
export interface ProblemSamples {
  /** Problem id. */
  problem: string;
  /** Correctness per sample, in sample-index order. */
  correct: boolean[];
  /** Answer class per sample (null = no extractable answer), same order. */
  answerKeys: Array<string | null>;
  /** Completion tokens per sample (thinking included), same order. */
  completionTokens: number[];
  /** Thinking tokens per sample, same order. */
  thinkingTokens: number[];
  /** Prompt tokens per sample's request, same order. */
  promptTokens: number[];
  /** Samples per request (n-batching) per sample, same order; the prompt is prefilled once per request. */
  requestSamples: number[];
}

/** A value with its 95% bootstrap interval. */
export interface Estimate {
  /** Point estimate (mean over problems), in [0, 1]. */
  value: number;
  /** Lower bound of the 95% bootstrap interval. */
  low: number;
  /** Upper bound of the 95% bootstrap interval. */
  high: number;
}

/** One row of metrics.csv: a cell at one k. */
export interface MetricRow {
  cell: CellInfo;
  /** Samples per problem the metric is computed at. */
  k: number;
  /** coverage@k (pass@k), unbiased estimator, mean over problems. */
  coverage: Estimate;
  /** majority@k: expected accuracy of a vote over k samples without replacement. */
  majority: Estimate;
  /** pass^k: probability that all k samples drawn without replacement are correct (unbiased C(c,k)/C(n,k)), mean over problems. */
  passHatK?: Estimate;
  /** Samples per problem available (smallest n over the cell's problems). */
  n: number;
  /** Number of problems. */
  problems: number;
  /** Mean completion tokens per sample (thinking included). */
  meanCompletionTokens: number;
  /** Mean thinking tokens per sample. */
  meanThinkingTokens: number;
  /** Mean prompt tokens per sample. */
  meanPromptTokens: number;
}
