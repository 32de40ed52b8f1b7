/**
 * Selection curves of a run: for every cell and every scorer that scored it, best-of-k by score
 * and the score-weighted majority vote, each the expectation over random k-subsets (the metrics'
 * `bestOfKAtK` and `weightedMajorityAtK`), averaged over problems; and the tokens the scorer spent
 * per sample, which the compute axis adds to the sampling compute.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { HarnessError } from '../core/errors.ts';
import { hashSeed } from '../core/random.ts';
import { bestOfKAtK, weightedMajorityAtK } from '../metrics/selection-at-k.ts';
import { readManifest } from '../store/run-manifest.ts';
import { readSampleLog, sampleLogExists, SAMPLES_FILE } from '../store/sample-log.ts';
import { readScoreLog, scoreKey, SCORES_FILE, type ScorerKind, type ScoreScale } from './score-log.ts';

/** The samples of one problem with their scores, as the selection metrics take them. */
export interface ScoredProblem {
  /** Problem id. */
  problem: string;
  /** Correctness per sample. */
  correct: boolean[];
  /** Answer class per sample (null = no answer), same order. */
  answerKeys: Array<string | null>;
  /** Score per sample for ranking (−Infinity for a sample the scorer has not scored), same order. */
  scores: number[];
  /** Vote weight per sample (a probability; 0 for an unscored sample), same order. */
  weights: number[];
}

/** Which selection a curve shows. */
export type SelectionKind = 'best-of-k' | 'weighted-vote';

/** The accuracy@k curve of one selection method in one cell (a report `SelectionSeries`, with its scorer). */
export interface SelectionCurve {
  /** Cell id. */
  cellId: string;
  /** Method name as shown in legends, e.g. `best-of-k (reward model)`, `weighted vote (self-verification)`. */
  method: string;
  /** True when the scores came from a simulated verifier. */
  simulated: boolean;
  /** Scorer id the scores came from. */
  scorer: string;
  /** Which selection. */
  selection: SelectionKind;
  /** Expected accuracy (mean over problems, in [0, 1]) at each k, ascending k. */
  points: Array<{ k: number; value: number }>;
}

/** The verification compute a scorer spent in one cell. */
export interface SelectionCompute {
  /** Cell id. */
  cellId: string;
  /** Scorer id. */
  scorer: string;
  /** Kind of scorer. */
  kind: ScorerKind;
  /** Samples of the cell with a score. */
  scoredSamples: number;
  /** Mean prompt tokens the scorer read per scored sample. */
  promptTokensPerSample: number;
  /** Mean tokens the scorer generated per scored sample. */
  completionTokensPerSample: number;
  /** True when some counts are tokenizer estimates. */
  estimated: boolean;
}

/** Per-problem selection values of one cell and scorer, for analyses that work per problem (the compute-optimal policy). */
export interface SelectionProblems {
  /** Cell id. */
  cellId: string;
  /** Scorer id. */
  scorer: string;
  /** Scorer label as in the curves' methods, e.g. `simulated verifier`. */
  label: string;
  /** True when the scores are simulated. */
  simulated: boolean;
  /** Problem ids, the order of every array below. */
  problems: string[];
  /** Mean vote weight (a probability of being right, by the scorer) of each problem's samples: predicted solve rate. */
  meanWeight: number[];
  /** The k of each entry of `bestOfK` and `weightedVote`, ascending. */
  ks: number[];
  /** best-of-k accuracy per k (outer) and problem (inner). */
  bestOfK: number[][];
  /** Weighted-vote accuracy per k (outer) and problem (inner). */
  weightedVote: number[][];
}

/** What selectionCurves returns. */
export interface SelectionResult {
  /** Two curves (best-of-k, weighted vote) per cell and scorer, cells in run order. */
  curves: SelectionCurve[];
  /** The same values per problem, one entry per cell and scorer. */
  perProblem: SelectionProblems[];
  /** Verification compute per cell and scorer. */
  compute: SelectionCompute[];
  /** Things worth printing: k values that are n/a, samples left unscored. */
  notes: string[];
}

/** Options of selectionCurves. */
export interface SelectionCurveOptions {
  /** Only these scorer ids (default: every scorer in scores.jsonl). */
  scorers?: ReadonlyArray<string>;
  /** Only these cells (default: every cell). */
  cells?: ReadonlyArray<string>;
  /** Random k-subsets of the weighted vote when exact enumeration costs more (default 10,000). */
  draws?: number;
  /** Seed of the weighted vote's draws; per problem and k seeds derive from it (default: the run's seed, else 1). */
  seed?: number;
  /**
   * The run's checked samples, when the caller holds them already (a report, whose verdicts may
   * be regraded): samples.jsonl is then not read, and these verdicts count.
   */
  samples?: CheckedSamples;
}

/** A checked sample's verdict, as selection needs it. */
export interface CheckedSlot {
  /** Whether the sample is correct. */
  correct: boolean;
  /** Its answer class (null = no answer). */
  answerKey: string | null;
}

/** Checked samples by cell, then problem, indexed by sample index (holes where a slot has no sample). */
export type CheckedSamples = ReadonlyMap<string, ReadonlyMap<string, ReadonlyArray<CheckedSlot | undefined>>>;

/** Default random k-subsets of the weighted vote. */
export const DEFAULT_SELECTION_DRAWS = 10_000;

const kindLabels: Record<ScorerKind, string> = {
  'reward-model': 'reward model',
  judge: 'self-verification',
  simulated: 'simulated verifier',
  recorded: 'recorded reward model',
};

/** Logistic sigmoid: a reward logit as a probability-like vote weight. */
export function sigmoid(value: number): number {
  return value >= 0 ? 1 / (1 + Math.exp(-value)) : Math.exp(value) / (1 + Math.exp(value));
}

/** The vote weight of a score: probabilities as given, logits through the sigmoid. */
export function voteWeight(score: number, scale: ScoreScale): number {
  return scale === 'logit' ? sigmoid(score) : score;
}

/**
 * best-of-k and weighted-vote accuracy of a set of problems at each k (mean over problems). Every
 * k must be at most the smallest n (checked by the metrics: `K_EXCEEDS_N`).
 */
export function selectionPoints(
  problems: ReadonlyArray<ScoredProblem>,
  ks: ReadonlyArray<number>,
  options: { draws: number; seed: number; cellId: string },
): {
  bestOfK: Array<{ k: number; value: number }>;
  weightedVote: Array<{ k: number; value: number }>;
  /** The same per problem: per k (outer), per problem (inner). */
  perProblem: { bestOfK: number[][]; weightedVote: number[][] };
} {
  const bestOfK: Array<{ k: number; value: number }> = [];
  const weightedVote: Array<{ k: number; value: number }> = [];
  const perProblem = { bestOfK: [] as number[][], weightedVote: [] as number[][] };
  const mean = (values: number[]): number => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
  for (const k of ks) {
    const best = problems.map((problem) => bestOfKAtK(problem.scores, problem.correct, k));
    const vote = problems.map((problem) =>
      weightedMajorityAtK(problem.answerKeys, problem.weights, problem.correct, k, {
        draws: options.draws,
        seed: hashSeed(options.seed, options.cellId, problem.problem, k),
      }),
    );
    perProblem.bestOfK.push(best);
    perProblem.weightedVote.push(vote);
    bestOfK.push({ k, value: mean(best) });
    weightedVote.push({ k, value: mean(vote) });
  }
  return { bestOfK, weightedVote, perProblem };
}

interface ScorerCell {
  kind: ScorerKind;
  simulated: boolean;
  /** problem → index → score and scale. */
  scores: Map<string, Map<number, { score: number; scale: ScoreScale }>>;
  promptTokens: number;
  completionTokens: number;
  estimated: boolean;
}

/**
 * The checked samples of a run, first record per slot, read from samples.jsonl.
 *
 * @throws HarnessError `SAMPLE_UNCHECKED` for a sample without a verdict
 */
async function readCheckedSamples(runDir: string, samplesPath: string, wantedCells: ReadonlySet<string> | undefined): Promise<CheckedSamples> {
  const samples = new Map<string, Map<string, Array<CheckedSlot | undefined>>>();
  for await (const record of readSampleLog(samplesPath)) {
    if (record.status !== 'ok') continue;
    if (wantedCells !== undefined && !wantedCells.has(record.cell)) continue;
    let problems = samples.get(record.cell);
    if (!problems) samples.set(record.cell, (problems = new Map()));
    let slots = problems.get(record.problem);
    if (!slots) problems.set(record.problem, (slots = []));
    if (slots[record.index] !== undefined) continue;
    if (!record.verdict) {
      throw new HarnessError('SAMPLE_UNCHECKED', `sample ${record.index} of ${record.problem} in ${record.cell} has no verdict`, {
        hint: `Run \`scaling-bench report ${runDir} --regrade\` to check every sample with the current verifiers.`,
        exitCode: 2,
      });
    }
    slots[record.index] = { correct: record.verdict.correct, answerKey: record.verdict.answerKey };
  }
  return samples;
}

/**
 * The selection curves of a run directory: streams scores.jsonl and samples.jsonl once each and
 * computes, per cell and scorer, best-of-k and the weighted vote at each k in `ks` that every
 * problem of the cell has samples for (the others are listed in `notes`, never dropped silently).
 * A sample the scorer has not scored (or whose scoring failed) ranks below every scored one and
 * carries no vote weight; their number is noted.
 *
 * @throws HarnessError `RUN_NO_SAMPLES` without samples.jsonl; `SAMPLE_UNCHECKED` for a sample without a verdict
 */
export async function selectionCurves(runDir: string, ks: ReadonlyArray<number>, options: SelectionCurveOptions = {}): Promise<SelectionResult> {
  const manifest = readManifest(runDir);
  const samplesPath = join(runDir, SAMPLES_FILE);
  if (options.samples === undefined && !sampleLogExists(samplesPath)) {
    throw new HarnessError('RUN_NO_SAMPLES', `${runDir} has no ${SAMPLES_FILE}`, { hint: 'Run `scaling-bench run <config>` (or import samples) first.', exitCode: 2 });
  }
  const wantedCells = options.cells === undefined ? undefined : new Set(options.cells);
  const wantedScorers = options.scorers === undefined ? undefined : new Set(options.scorers);
  const configSeed = (manifest.config as { seed?: unknown }).seed;
  const seed = options.seed ?? (typeof configSeed === 'number' ? configSeed : 1);
  const draws = options.draws ?? DEFAULT_SELECTION_DRAWS;

  // scorer → cell → scores
  const byScorer = new Map<string, Map<string, ScorerCell>>();
  const seenScores = new Set<string>();
  for await (const record of readScoreLog(join(runDir, SCORES_FILE))) {
    if (record.status !== 'ok' || record.score === undefined) continue;
    if (wantedCells !== undefined && !wantedCells.has(record.cell)) continue;
    if (wantedScorers !== undefined && !wantedScorers.has(record.scorer)) continue;
    const key = scoreKey(record.cell, record.problem, record.index, record.scorer);
    if (seenScores.has(key)) continue; // the same slot scored twice (merged runs): the first counts
    seenScores.add(key);
    let cells = byScorer.get(record.scorer);
    if (!cells) byScorer.set(record.scorer, (cells = new Map()));
    let cell = cells.get(record.cell);
    if (!cell) cells.set(record.cell, (cell = { kind: record.kind, simulated: false, scores: new Map(), promptTokens: 0, completionTokens: 0, estimated: false }));
    cell.simulated ||= record.simulated;
    let problem = cell.scores.get(record.problem);
    if (!problem) cell.scores.set(record.problem, (problem = new Map()));
    problem.set(record.index, { score: record.score, scale: record.scale ?? 'probability' });
    cell.promptTokens += record.usage?.promptTokens ?? 0;
    cell.completionTokens += record.usage?.completionTokens ?? 0;
    cell.estimated ||= record.usage?.estimated === true;
  }

  // cell → problem → slots
  const allSamples = options.samples ?? (await readCheckedSamples(runDir, samplesPath, wantedCells));
  const samples = wantedCells === undefined ? allSamples : new Map([...allSamples].filter(([cell]) => wantedCells.has(cell)));

  const cellOrder = [...manifest.cells.map((cell) => cell.id).filter((id) => samples.has(id)), ...[...samples.keys()].filter((id) => !manifest.cells.some((cell) => cell.id === id))];
  const kindCount = new Map<string, number>();
  for (const cells of byScorer.values()) {
    const kind = cells.values().next().value?.kind;
    if (kind !== undefined) kindCount.set(kind, (kindCount.get(kind) ?? 0) + 1);
  }

  const result: SelectionResult = { curves: [], perProblem: [], compute: [], notes: [] };
  for (const cellId of cellOrder) {
    const problems = samples.get(cellId) ?? new Map<string, ReadonlyArray<CheckedSlot | undefined>>();
    for (const [scorer, cells] of byScorer) {
      const scored = cells.get(cellId);
      if (!scored) continue;
      const label = (kindCount.get(scored.kind) ?? 0) > 1 ? `${kindLabels[scored.kind]}: ${scorer}` : kindLabels[scored.kind];
      let unscored = 0;
      let scoredSamples = 0;
      const scoredProblems: ScoredProblem[] = [];
      for (const [problem, slots] of problems) {
        const entry: ScoredProblem = { problem, correct: [], answerKeys: [], scores: [], weights: [] };
        const problemScores = scored.scores.get(problem);
        slots.forEach((slot, index) => {
          if (slot === undefined) return;
          const found = problemScores?.get(index);
          entry.correct.push(slot.correct);
          entry.answerKeys.push(slot.answerKey);
          if (found === undefined) {
            unscored += 1;
            entry.scores.push(Number.NEGATIVE_INFINITY);
            entry.weights.push(0);
          } else {
            scoredSamples += 1;
            entry.scores.push(found.score);
            entry.weights.push(voteWeight(found.score, found.scale));
          }
        });
        if (entry.correct.length > 0) scoredProblems.push(entry);
      }
      if (unscored > 0) result.notes.push(`${cellId}: ${unscored} samples have no score from ${scorer} (ranked last, no vote weight); run the scoring again to fill them.`);
      const smallestN = scoredProblems.reduce((smallest, problem) => Math.min(smallest, problem.correct.length), Number.POSITIVE_INFINITY);
      const validKs = [...new Set(ks)].sort((left, right) => left - right).filter((k) => {
        if (k <= smallestN) return true;
        result.notes.push(`${cellId}: selection@${k} with ${scorer} is n/a: k = ${k} > n = ${Number.isFinite(smallestN) ? smallestN : 0}`);
        return false;
      });
      const points = selectionPoints(scoredProblems, validKs, { draws, seed, cellId });
      result.curves.push(
        { cellId, method: `best-of-k (${label})`, simulated: scored.simulated, scorer, selection: 'best-of-k', points: points.bestOfK },
        { cellId, method: `weighted vote (${label})`, simulated: scored.simulated, scorer, selection: 'weighted-vote', points: points.weightedVote },
      );
      result.perProblem.push({
        cellId,
        scorer,
        label,
        simulated: scored.simulated,
        problems: scoredProblems.map((entry) => entry.problem),
        meanWeight: scoredProblems.map((entry) => entry.weights.reduce((sum, weight) => sum + weight, 0) / entry.weights.length),
        ks: validKs,
        ...points.perProblem,
      });
      result.compute.push({
        cellId,
        scorer,
        kind: scored.kind,
        scoredSamples,
        promptTokensPerSample: scoredSamples === 0 ? 0 : scored.promptTokens / scoredSamples,
        completionTokensPerSample: scoredSamples === 0 ? 0 : scored.completionTokens / scoredSamples,
        estimated: scored.estimated,
      });
    }
  }
  return result;
}
