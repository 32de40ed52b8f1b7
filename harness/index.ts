/**
 * scaling-bench as a library: everything the CLI does is a function here.
 *
 * ```ts
 * import { passAtK, majorityAtK, extractAnswer, mathEquivalent, runPython, runExperiment, loadConfig } from 'scaling-bench';
 * ```
 */
export { HarnessError, ConfigError, DatasetError, ProviderError, InterruptedError } from './core/errors.ts';
export type { Problem, CodeTask, SampleRecord, Usage, Verdict, FinishReason, VerifierKind } from './core/types.ts';
export { cellId } from './core/cells.ts';

export { loadConfig, resolveConfig, readSecrets, defaultKValues, type ResolvedConfig } from './config/load-config.ts';
export { configSchema, type UserConfig } from './config/schema.ts';
export { modelSchema, type ModelConfig } from './config/model-schema.ts';

export { builtinDatasets, loadDataset, type LoadedDataset } from './datasets/registry.ts';
export { buildPrompt } from './datasets/prompts.ts';
export { locationsFromEnv } from './datasets/locate.ts';

export type { Provider, GenerateRequest, GenerateResult, Completion, PromptInput } from './providers/types.ts';
export { createProvider } from './providers/registry.ts';
export { createSimProvider } from './providers/sim/sim-provider.ts';
export { simProfiles } from './providers/sim/sim-profiles.ts';

export { extractAnswer } from './verifiers/math/extract-answer.ts';
export { mathEquivalent } from './verifiers/math/math-equivalent.ts';
export { answerKey } from './verifiers/math/answer-key.ts';
export { createMathVerifier } from './verifiers/math/math-verifier.ts';
export { runPython, createPythonPool } from './verifiers/code/run-python.ts';
export { createCodeVerifier } from './verifiers/code/code-verifier.ts';
export { createVerifier } from './verifiers/registry.ts';
export type { Verifier } from './verifiers/types.ts';

export * from './metrics/index.ts';

export { runExperiment, type RunOptions, type RunResult, type RunProgress } from './run/run-experiment.ts';
export { reportRun, compareRuns, buildReportData } from './run/report-run.ts';
export { planCells } from './run/plan.ts';

export { writeReport } from './report/write-report.ts';
export { renderReportHtml } from './report/html.ts';
export { buildFigureSpecs } from './report/specs.ts';
export { metricsCsv } from './report/metrics-csv.ts';
export type { ReportData } from './report/report-data.ts';

export { importSamples } from './import/import-samples.ts';
export { mergeRuns } from './import/merge-runs.ts';
export { createHubClient } from './datasets/hub-client.ts';

export * from './selection/index.ts';

export { forceBudget } from './providers/thinking/budget-forcing.ts';
export { thinkingDelimitersFor, splitThinking } from './providers/thinking/delimiters.ts';
export { chooseThinkingStrategy, nativeThinkingParams } from './providers/thinking/native.ts';
export { auditThinkingBudget } from './providers/thinking/budget-audit.ts';

export { createMathEquivalence } from './verifiers/math/math-equivalent.ts';
export { mathDatasets, drawFewShot } from './datasets/math-datasets.ts';
export { codeDatasets } from './datasets/code-datasets.ts';
