/**
 * Benchmark of the math checker on a realistic mix: for every MATH500 problem, many samples whose
 * final answers repeat the gold in several spellings and a few wrong answers (perturbations of the
 * gold), inside solution-length texts. Prints verdicts per second (cold and warm caches), the
 * ratio to a baseline (extraction + exact string match) and the slowest single check against its
 * time limit. Run: node harness/cli/run-ts.mjs test/bench/verify-math.bench.ts
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { createRandom, randomInt } from '../../harness/core/random.ts';
import type { Problem } from '../../harness/core/types.ts';
import { math500Dataset } from '../../harness/datasets/math-datasets.ts';
import { extractAnswer } from '../../harness/verifiers/math/extract-answer.ts';
import { createMathEquivalence } from '../../harness/verifiers/math/math-equivalent.ts';
import { createMathVerifier } from '../../harness/verifiers/math/math-verifier.ts';
import { sharedDataDir } from '../helpers/shared-data.ts';

const samplesPerProblem = 64;

/** CPU seconds (user + system) used by this process since `start`. */
function cpuSeconds(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}
const timeoutMs = 1000;

/** Other spellings of the same answer, as models write them. */
function spellings(gold: string): string[] {
  const variants = [gold, gold.replace(/\\frac/g, '\\dfrac'), `${gold}.`, ` ${gold} `];
  const fraction = /^(-?)\\frac\{(\d+)\}\{(\d+)\}$/.exec(gold);
  if (fraction) variants.push(`${fraction[1]}${Number(fraction[2]) / Number(fraction[3])}`, `${fraction[1]}${fraction[2]}/${fraction[3]}`);
  if (/^\d{4,}$/.test(gold)) variants.push(Number(gold).toLocaleString('en-US'));
  if (/^\d+$/.test(gold)) variants.push(`${gold}.0`, `x = ${gold}`);
  return variants;
}

/** Wrong answers: the gold with one digit changed, or a sign flipped. */
function perturbations(gold: string, seed: number): string[] {
  const random = createRandom(seed);
  const wrong: string[] = [];
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const digits = [...gold.matchAll(/\d/g)];
    const pick = digits[randomInt(random, Math.max(digits.length, 1))];
    if (pick?.index === undefined) wrong.push(`-(${gold})`);
    else wrong.push(`${gold.slice(0, pick.index)}${(Number(pick[0]) + 1 + randomInt(random, 8)) % 10}${gold.slice(pick.index + 1)}`);
  }
  return wrong;
}

const filler = 'We first rewrite the expression and simplify each term carefully. Then we substitute the values we found and check the conditions of the problem. ';

function sampleText(answer: string, random: { next(): number }): string {
  const body = filler.repeat(3 + randomInt(random, 6));
  const form = randomInt(random, 4);
  if (form === 0) return `${body}Therefore, the answer is $\\boxed{${answer}}$.`;
  if (form === 1) return `${body}So we get \\[\\boxed{${answer}}\\]`;
  if (form === 2) return `${body}Final Answer: The final answer is $${answer}$. I hope it is correct.`;
  return `${body}Hence $x = \\boxed{${answer}}$ and we are done.`;
}

function buildMix(problems: Problem[]): Array<{ problem: Problem; text: string }> {
  const random = createRandom(2024);
  const mix: Array<{ problem: Problem; text: string }> = [];
  problems.forEach((problem, index) => {
    const right = spellings(problem.answer);
    const wrong = perturbations(problem.answer, index);
    for (let sample = 0; sample < samplesPerProblem; sample += 1) {
      // About 60% right answers, as for a mid-sized model on MATH500.
      const pool = random.next() < 0.6 ? right : wrong;
      mix.push({ problem, text: sampleText(pool[randomInt(random, pool.length)] ?? problem.answer, random) });
    }
  });
  return mix;
}

async function main(): Promise<void> {
  const problems = await math500Dataset.load({ dataDir: sharedDataDir() });
  const mix = buildMix(problems);
  process.stdout.write(`mix: ${problems.length} MATH500 problems × ${samplesPerProblem} samples = ${mix.length} samples\n`);

  // Baseline: extraction plus exact string match (no normalisation, no CAS).
  // Run twice and time the second run, so the baseline is measured with warm JIT like the warm verifier run.
  let baselineCorrect = 0;
  let cpuStart = process.cpuUsage();
  for (let round = 0; round < 2; round += 1) {
    if (round === 1) cpuStart = process.cpuUsage();
    baselineCorrect = 0;
    for (const { problem, text } of mix) if (extractAnswer(text, { style: 'math' }).answer === problem.answer) baselineCorrect += 1;
  }
  const baselineSeconds = cpuSeconds(cpuStart);

  const session = createMathEquivalence({ timeoutMs });
  const verifier = createMathVerifier({ equivalence: session, timeoutMs });
  const run = async (): Promise<{ seconds: number; wallSeconds: number; correct: number; maxMs: number; timeouts: number }> => {
    let correct = 0;
    let maxMs = 0;
    let timeouts = 0;
    const runStart = performance.now();
    const runCpu = process.cpuUsage();
    for (const { problem, text } of mix) {
      const checkStart = performance.now();
      const verdict = await verifier.verify(problem, text);
      maxMs = Math.max(maxMs, performance.now() - checkStart);
      if (verdict.correct) correct += 1;
      if (verdict.reason === 'timeout') timeouts += 1;
    }
    return { seconds: cpuSeconds(runCpu), wallSeconds: (performance.now() - runStart) / 1000, correct, maxMs, timeouts };
  };
  const cold = await run();
  const warm = await run();

  // Slowest single check in CPU time (wall time on a shared machine includes waiting for a core): a separate cold pass,
  // not part of the rates above, because reading the CPU clock around every check costs as much as a cached check.
  const timedVerifier = createMathVerifier({ equivalence: createMathEquivalence({ timeoutMs }), timeoutMs });
  let maxCpuMs = 0;
  for (const { problem, text } of mix) {
    const checkCpu = process.cpuUsage();
    await timedVerifier.verify(problem, text);
    maxCpuMs = Math.max(maxCpuMs, cpuSeconds(checkCpu) * 1000);
  }

  // Without the pair and answer caches (capacity 1), on the first 50 problems.
  const uncachedSession = createMathEquivalence({ timeoutMs, pairCacheSize: 1, answerCacheSize: 1 });
  const uncached = createMathVerifier({ equivalence: uncachedSession, timeoutMs });
  const subset = mix.slice(0, 50 * samplesPerProblem);
  cpuStart = process.cpuUsage();
  for (const { problem, text } of subset) await uncached.verify(problem, text);
  const uncachedSeconds = cpuSeconds(cpuStart);

  // Distinct (problem, extracted answer) pairs only, once each, through a fresh session: every
  // verdict is a cache miss, so this is the uncached rate the repeated-sampling figure hides.
  const seenPairs = new Set<string>();
  const distinct = mix.filter(({ problem, text }) => {
    const key = `${problem.id}\u0000${String(extractAnswer(text, { style: 'math' }).answer)}`;
    if (seenPairs.has(key)) return false;
    seenPairs.add(key);
    return true;
  });
  const distinctVerifier = createMathVerifier({ equivalence: createMathEquivalence({ timeoutMs }), timeoutMs });
  const distinctWallStart = performance.now();
  cpuStart = process.cpuUsage();
  for (const { problem, text } of distinct) await distinctVerifier.verify(problem, text);
  const distinctSeconds = cpuSeconds(cpuStart);
  const distinctWallSeconds = (performance.now() - distinctWallStart) / 1000;

  // Real model texts: the 800 Qwen2.5-Math samples (100 MATH problems × 8), verified 40 times over with a fresh session.
  const qwenRows = readFileSync(join(sharedDataDir(), 'samples-math-qwen25-math-8', 'math_cot_100.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => z.object({ idx: z.number(), answer: z.string(), code: z.array(z.string()) }).parse(JSON.parse(line)));
  const realMix = qwenRows.flatMap((row) => row.code.map((text) => ({ problem: { id: String(row.idx), question: '', answer: row.answer }, text })));
  const realVerifier = createMathVerifier({ equivalence: createMathEquivalence({ timeoutMs }), timeoutMs });
  const realRepeats = 40;
  let realMaxMs = 0;
  cpuStart = process.cpuUsage();
  for (let round = 0; round < realRepeats; round += 1) {
    for (const { problem, text } of realMix) {
      const checkStart = performance.now();
      await realVerifier.verify(problem, text);
      realMaxMs = Math.max(realMaxMs, performance.now() - checkStart);
    }
  }
  const realSeconds = cpuSeconds(cpuStart);

  const rate = (count: number, seconds: number): string => `${Math.round(count / seconds).toLocaleString('en-US')} verdicts/s`;
  const lines = [
    'rates are per CPU-second of this process (wall-clock rates in brackets; other processes share the machine)',
    `baseline (extract + exact string match): ${rate(mix.length, baselineSeconds)} (${baselineCorrect} exact matches)`,
    `math verifier, distinct (problem, answer) pairs, each once (no verdict-cache hits; JIT warm): ${rate(distinct.length, distinctSeconds)} [wall ${rate(distinct.length, distinctWallSeconds)}] (${distinct.length} pairs)`,
    `math verifier, repeated sampling, cold caches (${mix.length - distinct.length} of ${mix.length} verdicts repeat an earlier (problem, answer) pair: cache hits):  ${rate(mix.length, cold.seconds)} [wall ${rate(mix.length, cold.wallSeconds)}] (${cold.correct} correct, ${(cold.seconds / baselineSeconds).toFixed(1)}× baseline time)`,
    `math verifier, warm caches:  ${rate(mix.length, warm.seconds)} [wall ${rate(mix.length, warm.wallSeconds)}] (${warm.correct} correct, ${(warm.seconds / baselineSeconds).toFixed(1)}× baseline time)`,
    `math verifier, no caches:    ${rate(subset.length, uncachedSeconds)} (first 50 problems)`,
    `real Qwen2.5-Math texts (800 samples × ${realRepeats}, cold start): ${rate(realMix.length * realRepeats, realSeconds)}; slowest check ${realMaxMs.toFixed(1)} ms`,
    `slowest single check: ${maxCpuMs.toFixed(1)} ms CPU (cold; the first check builds the CAS engine); wall clock ${cold.maxMs.toFixed(1)} ms cold, ${warm.maxMs.toFixed(1)} ms warm; limit ${timeoutMs} ms; timeouts: ${cold.timeouts + warm.timeouts}`,
    `target ≥ 20,000 verdicts/s on the whole cold run: ${mix.length / cold.seconds >= 20_000 ? 'met' : 'NOT met'}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
