/** Answer selection without the oracle: scorers, the score log, scoring a run and selection curves. */
export { openScoreLog, readScoreLog, scoredKeys, scoreKey, SCORER_KINDS, SCORES_FILE } from './score-log.ts';
export type { JudgeVotes, ScoreLogWriter, ScoreRecord, ScorerKind, ScoreScale, ScoreUsage } from './score-log.ts';
export type { ScoreCandidate, ScoreOutcome, Scorer } from './scorers/types.ts';
export { createVllmRewardScorer, VLLM_REWARD_APIS } from './scorers/vllm-reward.ts';
export type { VllmRewardApi, VllmRewardScorerDependencies, VllmRewardScorerOptions } from './scorers/vllm-reward.ts';
export { createHuggingFaceRewardScorer } from './scorers/huggingface-reward.ts';
export type { HuggingFaceRewardScorerDependencies, HuggingFaceRewardScorerOptions } from './scorers/huggingface-reward.ts';
export { createJudgeScorer, DEFAULT_JUDGE_PROMPT, judgeSeeds } from './scorers/judge.ts';
export type { JudgeScorerOptions } from './scorers/judge.ts';
export { parseJudgeVerdict } from './scorers/judge-verdict.ts';
export { createSimulatedVerifier, createSimulatedVerifierForProfile, normalCdf, normalQuantile, simulatedScore } from './scorers/simulated-verifier.ts';
export type { SimulatedVerifierOptions } from './scorers/simulated-verifier.ts';
export { createRecordedScorer, loadRecordedScores, readQwenMathScores, recordedScoreKey } from './recorded-scores.ts';
export type { RecordedScore, RecordedScorerOptions } from './recorded-scores.ts';
export { readRunQuestions, scoreRun } from './score-run.ts';
export type { ScoreRunOptions, ScoreRunProgress, ScoreRunSummary } from './score-run.ts';
export { DEFAULT_SELECTION_DRAWS, selectionCurves, selectionPoints, sigmoid, voteWeight } from './selection-curves.ts';
export type { ScoredProblem, SelectionCompute, SelectionCurve, SelectionCurveOptions, SelectionKind, SelectionProblems, SelectionResult } from './selection-curves.ts';
export {
  createScorerFromConfig,
  judgeSelectionSchema,
  recordedSelectionSchema,
  rewardModelSelectionSchema,
  selectionConfigSchema,
  selectionEntrySchema,
  simulatedSelectionSchema,
} from './selection-config.ts';
export type { ScorerContext, SelectionEntry } from './selection-config.ts';
export { DEFAULT_PAIRWISE_PROMPT, pairwiseTieBreak, parsePairwiseVerdict } from './pairwise-tie-break.ts';
export type { PairwiseTieBreakOptions, PairwiseTieBreakSummary } from './pairwise-tie-break.ts';
