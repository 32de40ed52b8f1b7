/**
 * Code-execution benchmark: the 16,400 CodeGen-Mono-16B HumanEval samples (CodeT release)
 * through the fork-server pool, against one fresh `python3` process per sample.
 *
 * Both ways run the same samples with the same number of programs in flight and the same 3 s
 * timeout, timeouts included: the pool's long-run slot release is off (longRunMs = the timeout),
 * so at most `workers` programs run at once on either side. Order of runs: the pool, then the fresh processes, then the pool again (its time is the mean of
 * the two runs around the baseline, so a change in the machine's load during the run shifts
 * both sides alike). Prints samples/s for both and their ratio, the verdict agreement on every
 * sample, the replayed pass@1/10/100 against 21.95 / 50.24 / 73.78, and the peak memory of
 * this process plus all its descendants.
 *
 * Run: node harness/cli/run-ts.mjs test/bench/code-exec.bench.ts [--every N] [--limits reference]
 *   --every N  every Nth sample only, for quick checks (default 1: all; the fresh processes take
 *              ~8 minutes). `--stride N` is the same option.
 *   --limits reference  the pool judges each problem with its per-problem limit, max(1 s, 4 ×
 *              the reference solution's runtime), measured first (time printed); the fresh
 *              processes keep the fixed 3 s limit, so the verdict agreement printed is the
 *              agreement with the fixed limit. Default `fixed`: 3 s on both sides.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { ProblemTimeLimit } from '../../harness/core/problem-time-limit.ts';
import { resolveFunctionTimeLimits } from '../../harness/verifiers/code/function-time-limits.ts';
import { createPythonPool, type PythonResult } from '../../harness/verifiers/code/run-python.ts';
import { sharedDataDir } from '../helpers/shared-data.ts';
import {
  codegenReference,
  loadCodegenReplay,
  mapWithConcurrency,
  meanPassAtK,
  replayProgram,
  runFreshProcess,
  type FreshVerdict,
} from '../verifiers/code/codegen-replay.ts';

const timeoutMs = 3000;
const strideArgument = Math.max(process.argv.indexOf('--every'), process.argv.indexOf('--stride'));
const stride = strideArgument >= 0 ? Number(process.argv[strideArgument + 1]) : 1;
if (!Number.isInteger(stride) || stride < 1) {
  process.stderr.write('--every takes a positive integer (1: every sample)\n');
  process.exit(2);
}
const limitsArgument = process.argv.indexOf('--limits');
const limitsMode = limitsArgument >= 0 ? process.argv[limitsArgument + 1] : 'fixed';
if (limitsMode !== 'fixed' && limitsMode !== 'reference') {
  process.stderr.write('--limits takes `fixed` (3 s for every program) or `reference` (per-problem limits)\n');
  process.exit(2);
}

/** Resident memory (bytes) of this process and every descendant, from /proc. */
function treeResidentBytes(): number {
  const parents = new Map<number, number>();
  const resident = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const status = readFileSync(`/proc/${name}/status`, 'utf8');
      const parent = /^PPid:\s+(\d+)/m.exec(status);
      const rss = /^VmRSS:\s+(\d+) kB/m.exec(status);
      parents.set(Number(name), Number(parent?.[1] ?? 0));
      resident.set(Number(name), Number(rss?.[1] ?? 0) * 1024);
    } catch {
      // The process ended while being read.
    }
  }
  let total = 0;
  for (const [pid, bytes] of resident) {
    let current: number | undefined = pid;
    for (let depth = 0; current !== undefined && current > 1 && depth < 64; depth += 1) {
      if (current === process.pid) {
        total += bytes;
        break;
      }
      current = parents.get(current);
    }
  }
  return total;
}

function startMemorySampler(): { stop(): number } {
  let peak = treeResidentBytes();
  const timer = setInterval(() => {
    peak = Math.max(peak, treeResidentBytes());
  }, 200);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, treeResidentBytes());
    },
  };
}

function tally(verdicts: readonly string[]): string {
  const counts: Record<string, number> = {};
  for (const verdict of verdicts) counts[verdict] = (counts[verdict] ?? 0) + 1;
  return JSON.stringify(counts);
}

const mebibytes = (bytes: number): string => `${(bytes / 1024 ** 2).toFixed(0)} MiB`;

const tasks = loadCodegenReplay(sharedDataDir());
const programs = tasks
  .flatMap((task, taskIndex) => task.samples.map((sample) => ({ taskIndex, program: replayProgram(task, sample) })))
  .filter((_item, index) => index % stride === 0);
const workers = 2 * availableParallelism();
process.stdout.write(
  `code-exec bench: ${programs.length} programs (${tasks.length} tasks${stride > 1 ? `, every ${stride}th sample` : ''}), at most ${workers} in flight on both sides (pool: ${workers} workers, no long-run slot release; fresh: ${workers} processes), timeout ${limitsMode === 'fixed' ? `${timeoutMs} ms` : `per problem on the pool, ${timeoutMs} ms on the fresh processes`}\n`,
);

interface Timed<T> {
  results: T[];
  seconds: number;
  peakBytes: number;
}

async function timed<T>(run: () => Promise<T[]>): Promise<Timed<T>> {
  const memory = startMemorySampler();
  const started = performance.now();
  const results = await run();
  const seconds = (performance.now() - started) / 1000;
  return { results, seconds, peakBytes: memory.stop() };
}

/** Per-problem limits by task index (reference mode), measured in a one-worker pool before the timed runs. */
async function measureLimits(): Promise<ProblemTimeLimit[] | undefined> {
  if (limitsMode === 'fixed') return undefined;
  const pool = createPythonPool({ workers: 1 });
  const started = performance.now();
  try {
    const problems = tasks.map((task) => ({ id: task.taskId, question: '', answer: '', code: task.task }));
    const limits = await resolveFunctionTimeLimits({ datasetId: 'codet-humaneval', problems, pool });
    const list = tasks.map((task) => limits.get(task.taskId) as ProblemTimeLimit);
    const sorted = list.map((limit) => limit.timeoutMs).sort((a, b) => a - b);
    const sources = tally(list.map((limit) => limit.source));
    process.stdout.write(
      `per-problem limits (max(1000 ms, 4 x reference runtime)): measured in ${((performance.now() - started) / 1000).toFixed(1)} s; ${sources}; limit min ${sorted[0]} ms, median ${sorted[Math.floor(sorted.length / 2)]} ms, max ${sorted.at(-1)} ms\n`,
    );
    return list;
  } finally {
    await pool.close();
  }
}

async function poolRun(limits: ProblemTimeLimit[] | undefined): Promise<Timed<PythonResult>> {
  // longRunMs = the largest limit: a long run keeps its slot, so the pool never has more than `workers` in flight.
  const longest = Math.max(timeoutMs, ...(limits ?? []).map((limit) => limit.timeoutMs));
  const pool = createPythonPool({ workers, timeoutMs, longRunMs: longest });
  await pool.isolation();
  const limitOf = (taskIndex: number): number => limits?.[taskIndex]?.timeoutMs ?? timeoutMs;
  try {
    return await timed(() => Promise.all(programs.map(({ program, taskIndex }) => pool.run(program, { timeoutMs: limitOf(taskIndex) }))));
  } finally {
    await pool.close();
  }
}

const probe = createPythonPool({ workers: 1 });
const isolation = await probe.isolation();
await probe.close();
process.stdout.write(`sandbox: uid ${isolation.uid}, namespaces ${isolation.namespaces}, read-only fs ${isolation.readOnlyFilesystem}, python ${isolation.python}\n`);

const limits = await measureLimits();
const before = await poolRun(limits);
const fresh = await timed(() => mapWithConcurrency(programs, workers, ({ program }) => runFreshProcess(program, { executable: isolation.executable, timeoutMs })));
const after = await poolRun(limits);

const asFresh = (result: PythonResult | undefined): FreshVerdict => (result?.status === 'passed' || result?.status === 'timeout' ? result.status : 'failed');
const differences = (run: Timed<PythonResult>): string[] =>
  programs.flatMap((_item, index) => {
    const ours = asFresh(run.results[index]);
    const theirs = fresh.results[index];
    return ours === theirs ? [] : [`${index} (pool ${ours} in ${(run.results[index]?.durationMs ?? 0).toFixed(0)} ms, fresh ${theirs})`];
  });
const countsOf = (passed: (index: number) => boolean): Array<{ n: number; c: number }> =>
  tasks.map((_task, taskIndex) => ({
    n: programs.filter((item) => item.taskIndex === taskIndex).length,
    c: programs.filter((item, index) => item.taskIndex === taskIndex && passed(index)).length,
  }));
const counts = countsOf((index) => before.results[index]?.status === 'passed');
const freshCounts = countsOf((index) => fresh.results[index] === 'passed');
const smallestN = Math.min(...counts.map((count) => count.n));
const passAtKAgainstFresh = ([1, 10, 100] as const)
  .filter((k) => k <= smallestN)
  .map((k) => `pass@${k} ${meanPassAtK(counts, k).toFixed(2)} vs ${meanPassAtK(freshCounts, k).toFixed(2)} (difference ${(meanPassAtK(counts, k) - meanPassAtK(freshCounts, k)).toFixed(2)})`);
const poolSeconds = (before.seconds + after.seconds) / 2;
const rate = (seconds: number): string => `${(programs.length / seconds).toFixed(1)} samples/s`;
const differingBefore = differences(before);
const differingAfter = differences(after);
const lines = [
  `verdicts, pool: ${tally(before.results.map((result) => result.status))}; fresh python3: ${tally(fresh.results)}; ${counts.filter((count) => count.c === 0).length} tasks with no passing sample`,
  ...(stride === 1
    ? ([1, 10, 100] as const).map((k) => {
        const value = meanPassAtK(counts, k);
        const reference = k === 1 ? codegenReference.passAt1 : k === 10 ? codegenReference.passAt10 : codegenReference.passAt100;
        return `pass@${k}: ${value.toFixed(2)} (reference ${reference}, difference ${(value - reference).toFixed(2)}, ${Math.abs(value - reference) <= 0.5 ? 'within 0.5' : 'OUTSIDE 0.5'})`;
      })
    : []),
  `pool: ${before.seconds.toFixed(1)} s before, ${after.seconds.toFixed(1)} s after the baseline; mean ${poolSeconds.toFixed(1)} s, ${rate(poolSeconds)}; peak memory (this process + workers + programs) ${mebibytes(Math.max(before.peakBytes, after.peakBytes))}`,
  `fresh python3 per sample: ${fresh.seconds.toFixed(1)} s, ${rate(fresh.seconds)}; peak memory ${mebibytes(fresh.peakBytes)}`,
  `ratio, pool over fresh processes, all ${programs.length} samples, timeouts included: ${(fresh.seconds / poolSeconds).toFixed(2)}x (before ${(fresh.seconds / before.seconds).toFixed(2)}x, after ${(fresh.seconds / after.seconds).toFixed(2)}x)`,
  `verdicts identical to the fresh processes: pool before ${programs.length - differingBefore.length}/${programs.length}, after ${programs.length - differingAfter.length}/${programs.length}`,
  `pool${limits ? ' (per-problem limits)' : ''} against fresh python3 (fixed ${timeoutMs} ms), first pool run: ${passAtKAgainstFresh.join('; ')}`,
  ...(differingBefore.length + differingAfter.length > 0 ? [`  differing: before ${differingBefore.join(', ') || 'none'}; after ${differingAfter.join(', ') || 'none'}`] : []),
  `this Node process at most ${mebibytes(process.resourceUsage().maxRSS * 1024)}`,
];
process.stdout.write(`${lines.join('\n')}\n`);
