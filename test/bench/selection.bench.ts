/**
 * Selection benchmark.
 *
 * 1. Qwen2.5-Math recorded samples (100 problems × 8): imported, scored with the recorded reward
 *    scores and summarised by selectionCurves; prints best-of-k, the reward-weighted vote,
 *    majority@k and coverage@k at k = 1, 2, 4, 8.
 * 2. A generated sim-like run (PROBLEMS × SAMPLES, default 200 × 64) scored by the simulated
 *    verifier: wall time of scoreRun and selectionCurves, each as a ratio to a baseline (one plain
 *    streaming pass over samples.jsonl), and the curves against majority@k and coverage@k.
 *
 *   node harness/cli/run-ts.mjs test/bench/selection.bench.ts [--problems 200] [--samples 64]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRandom, randomBeta } from '../../harness/core/random.ts';
import { importSamples } from '../../harness/import/import-samples.ts';
import { majorityAtK } from '../../harness/metrics/majority-at-k.ts';
import { passAtK } from '../../harness/metrics/pass-at-k.ts';
import { findSimProfile } from '../../harness/providers/sim/sim-profiles.ts';
import { createRecordedScorer, loadRecordedScores, readQwenMathScores } from '../../harness/selection/recorded-scores.ts';
import { scoreRun } from '../../harness/selection/score-run.ts';
import { createSimulatedVerifierForProfile } from '../../harness/selection/scorers/simulated-verifier.ts';
import { selectionCurves, type SelectionResult } from '../../harness/selection/selection-curves.ts';
import { readSampleLog } from '../../harness/store/sample-log.ts';
import { sharedDataDir } from '../helpers/shared-data.ts';
import { writeRun, type FixtureProblem } from '../selection/run-fixture.ts';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function percent(value: number): string {
  return `${(100 * value).toFixed(2)}%`;
}

/** Per k: mean coverage@k and majority@k of a run's samples (one streaming pass). */
async function baselineCurves(runDir: string, ks: number[]): Promise<Map<number, { coverage: number; majority: number }>> {
  const problems = new Map<string, { correct: boolean[]; keys: Array<string | null> }>();
  for await (const record of readSampleLog(join(runDir, 'samples.jsonl'))) {
    if (record.status !== 'ok' || record.verdict === undefined) continue;
    const key = `${record.cell}\u0000${record.problem}`;
    let problem = problems.get(key);
    if (!problem) problems.set(key, (problem = { correct: [], keys: [] }));
    problem.correct[record.index] = record.verdict.correct;
    problem.keys[record.index] = record.verdict.answerKey;
  }
  const result = new Map<number, { coverage: number; majority: number }>();
  for (const k of ks) {
    let coverage = 0;
    let majority = 0;
    for (const problem of problems.values()) {
      coverage += passAtK(problem.correct.length, problem.correct.filter(Boolean).length, k);
      majority += majorityAtK(problem.keys, problem.correct, k);
    }
    result.set(k, { coverage: coverage / problems.size, majority: majority / problems.size });
  }
  return result;
}

function printCurves(result: SelectionResult, baseline: Map<number, { coverage: number; majority: number }>): void {
  const best = result.curves.find((curve) => curve.selection === 'best-of-k');
  const vote = result.curves.find((curve) => curve.selection === 'weighted-vote');
  process.stdout.write(`  ${'k'.padStart(4)}  ${'best-of-k'.padStart(10)}  ${'weighted'.padStart(10)}  ${'majority'.padStart(10)}  ${'coverage'.padStart(10)}\n`);
  for (const point of best?.points ?? []) {
    const weighted = vote?.points.find((entry) => entry.k === point.k)?.value ?? Number.NaN;
    const reference = baseline.get(point.k);
    process.stdout.write(
      `  ${String(point.k).padStart(4)}  ${percent(point.value).padStart(10)}  ${percent(weighted).padStart(10)}  ${percent(reference?.majority ?? Number.NaN).padStart(10)}  ${percent(reference?.coverage ?? Number.NaN).padStart(10)}\n`,
    );
  }
  process.stdout.write(`  methods: ${result.curves.map((curve) => `${curve.method}${curve.simulated ? ' [simulated]' : ''}`).join(', ')}\n`);
}

async function qwen(): Promise<void> {
  const file = join(sharedDataDir(), 'samples-math-qwen25-math-8', 'math_cot_100.jsonl');
  const outDir = join(mkdtempSync(join(tmpdir(), 'sb-selection-bench-')), 'qwen');
  await importSamples({ source: file, format: 'qwen-math', outDir });
  const scorer = createRecordedScorer({ scores: await loadRecordedScores(readQwenMathScores(file)) });
  await scoreRun(outDir, { scorer, concurrency: 8, signal: new AbortController().signal });
  const ks = [1, 2, 4, 8];
  const result = await selectionCurves(outDir, ks);
  process.stdout.write('Qwen2.5-Math recorded samples (100 problems × 8), recorded reward-model scores:\n');
  printCurves(result, await baselineCurves(outDir, ks));
  rmSync(outDir, { recursive: true, force: true });
}

async function simulated(problemCount: number, samples: number): Promise<void> {
  const profile = findSimProfile('llama-3-8b-instruct-math');
  const random = createRandom(11);
  const problems: FixtureProblem[] = Array.from({ length: problemCount }, (_, problem) => {
    const solveRate = randomBeta(random, profile.alpha, profile.beta);
    return {
      id: `p${problem}`,
      question: `Problem ${problem}: a question of typical length for a math benchmark, asking for one number.`,
      samples: Array.from({ length: samples }, (_, index) => {
        const text = `Sample ${index}: a worked solution of a few sentences that ends with a boxed answer.`;
        if (random.next() < profile.noAnswerRate) return { text, correct: false, answerKey: null };
        if (random.next() < solveRate) return { text, correct: true, answerKey: 'gold' };
        return { text, correct: false, answerKey: random.next() < profile.topDistractorShare ? 'distractor' : `wrong-${Math.floor(random.next() * 40)}` };
      }),
    };
  });
  const runDir = writeRun(problems, { cell: { id: 'sim-8b/bench/think0/t0.6', model: 'sim-8b', dataset: 'bench', thinkingBudget: 0, temperature: 0.6, simulated: true } });
  const ks = [];
  for (let k = 1; k < samples; k *= 2) ks.push(k);
  ks.push(samples);

  const baselineStart = process.hrtime.bigint();
  let records = 0;
  for await (const record of readSampleLog(join(runDir, 'samples.jsonl'))) if (record.status === 'ok') records += 1;
  const baselineSeconds = seconds(baselineStart);

  const scoreStart = process.hrtime.bigint();
  const summary = await scoreRun(runDir, { scorer: createSimulatedVerifierForProfile(profile.id, { seed: 1 }), concurrency: 8, signal: new AbortController().signal });
  const scoreSeconds = seconds(scoreStart);
  const resumeStart = process.hrtime.bigint();
  const resumed = await scoreRun(runDir, { scorer: createSimulatedVerifierForProfile(profile.id, { seed: 1 }), concurrency: 8, signal: new AbortController().signal });
  const resumeSeconds = seconds(resumeStart);
  const curvesStart = process.hrtime.bigint();
  const result = await selectionCurves(runDir, ks, { draws: 2000 });
  const curvesSeconds = seconds(curvesStart);

  process.stdout.write(`\nSimulated verifier (accuracy ${profile.verifierAccuracy}) on a sim-like run, ${problemCount} problems × ${samples} samples (${records} samples):\n`);
  process.stdout.write(`  baseline: one streaming pass over samples.jsonl      ${baselineSeconds.toFixed(3)} s\n`);
  process.stdout.write(`  scoreRun (${summary.scored} scored)                        ${scoreSeconds.toFixed(3)} s  (${(scoreSeconds / baselineSeconds).toFixed(1)}× baseline)\n`);
  process.stdout.write(`  scoreRun again (resume: ${resumed.skipped} skipped, ${resumed.scored} scored)  ${resumeSeconds.toFixed(3)} s  (${(resumeSeconds / baselineSeconds).toFixed(1)}× baseline)\n`);
  process.stdout.write(`  selectionCurves (${ks.length} k, weighted vote 2,000 draws)  ${curvesSeconds.toFixed(3)} s  (${(curvesSeconds / baselineSeconds).toFixed(1)}× baseline)\n`);
  printCurves(result, await baselineCurves(runDir, ks));
  rmSync(runDir, { recursive: true, force: true });
}

await qwen();
await simulated(option('problems', 200), option('samples', 64));
