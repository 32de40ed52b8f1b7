/**
 * Benchmark of the metrics stage at the scale of Large Language Monkeys: 128 problems × 10,000
 * samples, k = 1…10,000 log-spaced (defaultKs), coverage@k, majority@k over realistic answer
 * classes (a right answer, a few popular wrong answers, one-off answers, no-answer samples), and
 * 1,000-draw bootstrap intervals. Prints the time of each part against coverage@k alone (the
 * baseline), the majority@k methods chosen, and memory.
 *
 * Run: node harness/cli/run-ts.mjs test/bench/metrics.bench.ts
 */
import { createRandom, randomBeta, type Random } from '../../harness/core/random.ts';
import { answerClasses } from '../../harness/metrics/answer-classes.ts';
import { bootstrapInterval } from '../../harness/metrics/bootstrap.ts';
import { computeCellMetrics, defaultKs } from '../../harness/metrics/compute-cell-metrics.ts';
import { majorityMethodFor, majorityOfClasses } from '../../harness/metrics/majority-at-k.ts';
import { passAtK } from '../../harness/metrics/pass-at-k.ts';
import type { CellInfo, ProblemSamples } from '../../harness/metrics/types.ts';

const problemCount = 128;
const samplesPerProblem = 10_000;
const bootstrapDraws = 1000;
const seed = 1;

/** A problem whose samples are right with a Beta-distributed rate and otherwise spread over skewed wrong answers. */
function simulatedProblem(random: Random, index: number): ProblemSamples {
  // Solve rates like Llama-3-8B-Instruct on MATH: many hard problems, a long tail near zero.
  const rate = randomBeta(random, 0.35, 0.9);
  const distractors = 2 + Math.floor(random.next() * 5);
  const weights = Array.from({ length: distractors }, (_, rank) => 0.55 ** rank);
  const weightTotal = weights.reduce((sum, weight) => sum + weight, 0);
  const correct: boolean[] = [];
  const answerKeys: Array<string | null> = [];
  const completionTokens: number[] = [];
  for (let sample = 0; sample < samplesPerProblem; sample += 1) {
    const right = random.next() < rate;
    correct.push(right);
    if (right) {
      answerKeys.push('gold');
    } else {
      const draw = random.next();
      if (draw < 0.03) answerKeys.push(null);
      else if (draw < 0.13) answerKeys.push(`once-${sample}`);
      else {
        let pick = random.next() * weightTotal;
        let rank = 0;
        while (rank < distractors - 1 && pick >= (weights[rank] ?? 0)) pick -= weights[rank++] ?? 0;
        answerKeys.push(`wrong-${rank}`);
      }
    }
    completionTokens.push(200 + Math.floor(random.next() * 400));
  }
  return {
    problem: `problem-${index}`,
    correct,
    answerKeys,
    completionTokens,
    thinkingTokens: completionTokens.map(() => 0),
    promptTokens: completionTokens.map(() => 150),
    requestSamples: completionTokens.map(() => 1),
  };
}

/** Runs `work`, prints its wall-clock and CPU time (the machine may be shared: CPU time is the steadier figure), returns its result and CPU seconds. */
function measure<T>(label: string, work: () => T, baselineCpuSeconds?: number, note = ''): { result: T; cpuSeconds: number } {
  const wallStart = performance.now();
  const cpuStart = process.cpuUsage();
  const result = work();
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const wallSeconds = (performance.now() - wallStart) / 1000;
  const ratio = baselineCpuSeconds === undefined ? '' : `   ${(cpuSeconds / baselineCpuSeconds).toFixed(1)}× baseline (CPU)`;
  console.log(`${label.padEnd(30)} wall ${wallSeconds.toFixed(2).padStart(7)} s   cpu ${cpuSeconds.toFixed(2).padStart(7)} s${ratio}${note}`);
  return { result, cpuSeconds };
}

const megabytes = (bytes: number): string => (bytes / 1024 / 1024).toFixed(0);

const random = createRandom(seed);
const ks = defaultKs(samplesPerProblem);
console.log(`metrics bench: ${problemCount} problems × ${samplesPerProblem} samples, k = ${ks.join(', ')}, bootstrap ${bootstrapDraws} draws`);
const problems = measure('generate samples', () => Array.from({ length: problemCount }, (_, index) => simulatedProblem(random, index))).result;

const coverage = measure('coverage@k (baseline)', () =>
  ks.map((k) => problems.map((problem) => passAtK(problem.correct.length, problem.correct.filter(Boolean).length, k))),
);
const baseline = coverage.cpuSeconds;

const classes = problems.map((problem) => answerClasses(problem.answerKeys, problem.correct));
const methods = { exact: 0, 'monte-carlo': 0 };
measure('majority@k plan', () => {
  for (const k of ks) for (const problemClasses of classes) methods[majorityMethodFor(problemClasses, k).method] += 1;
}, baseline);
console.log(`  methods: exact ${methods.exact}, Monte Carlo ${methods['monte-carlo']} of ${ks.length * problemCount} (problem, k)`);

const majority = measure(
  'majority@k (auto)',
  () => ks.map((k) => classes.map((problemClasses, index) => majorityOfClasses(problemClasses, k, { seed: seed + index }))),
  baseline,
);

measure(
  `bootstrap × ${2 * ks.length} curves`,
  () => {
    for (const values of [...coverage.result, ...majority.result]) bootstrapInterval(values, { draws: bootstrapDraws, seed });
  },
  baseline,
);

const cell: CellInfo = { id: 'bench', model: 'sim', dataset: 'bench', thinkingBudget: 0, temperature: 0.6, simulated: true };
const rows = measure('computeCellMetrics (all)', () => computeCellMetrics(cell, problems, ks, { bootstrapDraws, seed }), baseline).result;
for (const row of rows) {
  console.log(
    `  k=${String(row.k).padStart(5)}  coverage ${row.coverage.value.toFixed(4)} [${row.coverage.low.toFixed(4)}, ${row.coverage.high.toFixed(4)}]` +
      `  majority ${row.majority.value.toFixed(4)} [${row.majority.low.toFixed(4)}, ${row.majority.high.toFixed(4)}]`,
  );
}
const memory = process.memoryUsage();
console.log(`memory: heap used ${megabytes(memory.heapUsed)} MB, rss ${megabytes(memory.rss)} MB, peak rss ${megabytes(process.resourceUsage().maxRSS * 1024)} MB`);
