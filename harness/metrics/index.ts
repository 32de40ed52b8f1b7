/** The metrics stage: coverage, majority and selection at k, intervals, compute, equal-compute, fits. */
export type { CellInfo, Estimate, MetricRow, ProblemSamples } from './types.ts';
export { MetricsError } from './metrics-error.ts';
export { passAtK } from './pass-at-k.ts';
export { passHatK } from './pass-hat-k.ts';
export { majorityCeiling, cellMajorityCeiling, type ClassCounts } from './majority-ceiling.ts';
export { difficultyBins, type DifficultyBin, type DifficultyBinning } from './difficulty-bins.ts';
export {
  computeOptimalPolicy,
  crossValidationFolds,
  type ComputeOptimalInput,
  type ComputeOptimalOptions,
  type ComputeOptimalPolicy,
  type PolicyChoice,
  type PolicyPoint,
  type Strategy,
  type StrategyPoint,
} from './compute-optimal.ts';
export { computeOptimalEfficiency, type EfficiencyPoint, type EfficiencyOptions } from './compute-optimal-efficiency.ts';
export { buildStrategies, majorityMethod, meanSolveRates, type MethodAccuracy, type StrategyCell } from './compute-optimal-strategies.ts';
export {
  computeOptimalAnalysis,
  DEFAULT_COMPUTE_OPTIMAL,
  type ComputeOptimalAnalysis,
  type ComputeOptimalSettings,
  type StrategyCurve,
} from './compute-optimal-analysis.ts';
export { answerClasses, type AnswerClasses } from './answer-classes.ts';
export {
  majorityAtK,
  majorityOfClasses,
  majorityMethodFor,
  defaultMajorityDraws,
  defaultMaxExactWork,
  type MajorityOptions,
} from './majority-at-k.ts';
export { bootstrapInterval, quantile, type BootstrapOptions } from './bootstrap.ts';
export {
  computeCellMetrics,
  defaultKs,
  partitionKs,
  meanTokens,
  type CellMetricsOptions,
  type SkippedK,
} from './compute-cell-metrics.ts';
export { architectures, lookupArchitecture, canonicalModelName, type Architecture } from './architectures.ts';
export { flopsPerToken, flopsOfTokenRange, sampleFlops, type FlopsArchitecture, type SampleTokens } from './flops.ts';
export {
  computeCurves,
  perSampleCompute,
  type ComputePoint,
  type ComputeCost,
  type FlopsArchitectureLike,
  type PerSampleCompute,
} from './compute-curves.ts';
export { equalComputeTable, type EqualComputeRow, type EqualComputeOptions } from './equal-compute.ts';
export { fitScalingLaw, scalingLawCurve, type ScalingLawFit } from './scaling-law-fit.ts';
export { fitBetaForecast, type BetaForecast, type BetaForecastOptions } from './beta-forecast.ts';
export { solveRateHistogram, type SolveRateBin } from './solve-rates.ts';
export { bestOfKAtK, weightedMajorityAtK, type WeightedMajorityOptions } from './selection-at-k.ts';
export { logGamma, logBeta, logChoose } from '../core/special-functions.ts';
export { problemStatOf, problemStats, hasAnswerClasses, withMajorityApplicability, type ProblemStat } from './problem-stats.ts';
