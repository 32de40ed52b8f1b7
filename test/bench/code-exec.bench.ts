/**
 * Code-execution benchmark: the 16,400 CodeGen-Mono-16B HumanEval samples (CodeT release)
 * through the fork-server pool, against one fresh `python3` process per sample.
 *
 * Prints samples/s for both, their ratio, the verdict agreement, the replayed pass@1/10/100
 * against 21.95 / 50.24 / 73.78, and the peak memory of this process plus all its descendants.
 * The pool runs all samples. Both ways then run the same 1 in 32 of the samples that end within
 * the limit (timed-out samples hold a worker for the same 3 s in both ways); the baseline's time
 * for all samples is extrapolated from that rate plus the timeouts.
 *
 * Run: node harness/cli/run-ts.mjs test/bench/code-exec.bench.ts
 */
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createPythonPool, type PythonResult } from '../../harness/verifiers/code/run-python.ts';
import { sharedDataDir } from '../helpers/shared-data.ts';
import {
  codegenReference,
  loadCodegenReplay,
  mapWithConcurrency,
  meanPassAtK,
  replayProgram,
  runFreshProcess,
} from '../verifiers/code/codegen-replay.ts';

const timeoutMs = 3000;
const baselineStride = 32;

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

const mebibytes = (bytes: number): string => `${(bytes / 1024 ** 2).toFixed(0)} MiB`;

const tasks = loadCodegenReplay(sharedDataDir());
const programs = tasks.flatMap((task, taskIndex) => task.samples.map((sample) => ({ taskIndex, program: replayProgram(task, sample) })));
const workers = 2 * availableParallelism();
process.stdout.write(`code-exec bench: ${programs.length} programs (${tasks.length} tasks), ${workers} at a time, timeout ${timeoutMs} ms\n`);

// 1. Pool: all samples.
const pool = createPythonPool({ workers, timeoutMs });
const isolation = await pool.isolation();
process.stdout.write(`sandbox: uid ${isolation.uid}, namespaces ${isolation.namespaces}, read-only fs ${isolation.readOnlyFilesystem}, python ${isolation.python}\n`);
const poolMemory = startMemorySampler();
let started = performance.now();
const results: PythonResult[] = await Promise.all(programs.map(({ program }) => pool.run(program)));
const poolSeconds = (performance.now() - started) / 1000;
const poolPeakBytes = poolMemory.stop();

// 2. The same subset of programs that end within the limit (1 in 32), timed in both ways. Timed-out
// programs cost the same 3 s of wall-clock in both ways, so they are left out of this comparison.
const finishing = programs.flatMap((item, index) => (results[index]?.status === 'timeout' ? [] : [{ ...item, index }]));
const timedOut = programs.flatMap((item, index) => (results[index]?.status === 'timeout' ? [{ ...item, index }] : []));
const subset = finishing.filter((_item, position) => position % baselineStride === 0);
started = performance.now();
const poolSubset = await Promise.all(subset.map(({ program }) => pool.run(program)));
const poolSubsetSeconds = (performance.now() - started) / 1000;
await pool.close();

const baselineMemory = startMemorySampler();
started = performance.now();
const fresh = await mapWithConcurrency(subset, workers, ({ program }) => runFreshProcess(program, { executable: isolation.executable, timeoutMs }));
const baselineSeconds = (performance.now() - started) / 1000;
const baselinePeakBytes = baselineMemory.stop();

// 3. Verdicts of timed-out programs in a fresh process too (1 in 8; not timed).
const timedOutSubset = timedOut.filter((_item, position) => position % 8 === 0);
const freshTimedOut = await mapWithConcurrency(timedOutSubset, workers, ({ program }) => runFreshProcess(program, { executable: isolation.executable, timeoutMs }));

const statusCounts: Record<string, number> = {};
for (const result of results) statusCounts[result.status] = (statusCounts[result.status] ?? 0) + 1;
const counts = tasks.map((_task, taskIndex) => ({
  n: 100,
  c: results.filter((result, index) => programs[index]?.taskIndex === taskIndex && result.status === 'passed').length,
}));
const differing = [
  ...subset.flatMap((item, position) => ((poolSubset[position]?.status === 'passed') !== fresh[position] || (results[item.index]?.status === 'passed') !== fresh[position] ? [item.index] : [])),
  ...timedOutSubset.flatMap((item, position) => (freshTimedOut[position] ? [item.index] : [])),
];
const compared = subset.length + timedOutSubset.length;

const poolRate = programs.length / poolSeconds;
const poolSubsetRate = subset.length / poolSubsetSeconds;
const baselineRate = subset.length / baselineSeconds;
// The baseline over all samples: the finishing ones at the measured rate, plus the timed-out ones
// holding a worker for the full limit each.
const baselineAllSeconds = finishing.length / baselineRate + (timedOut.length * timeoutMs) / 1000 / workers;
const lines = [
  `verdicts (pool, all): ${JSON.stringify(statusCounts)}; ${counts.filter((count) => count.c === 0).length} tasks with no passing sample`,
  ...([1, 10, 100] as const).map((k) => {
    const value = meanPassAtK(counts, k);
    const reference = k === 1 ? codegenReference.passAt1 : k === 10 ? codegenReference.passAt10 : codegenReference.passAt100;
    return `pass@${k}: ${value.toFixed(2)} (reference ${reference}, difference ${(value - reference).toFixed(2)}, ${Math.abs(value - reference) <= 0.5 ? 'within 0.5' : 'OUTSIDE 0.5'})`;
  }),
  `pool, all ${programs.length} samples: ${poolSeconds.toFixed(1)} s, ${poolRate.toFixed(1)} samples/s; peak memory (this process + workers + programs) ${mebibytes(poolPeakBytes)}, of which this Node process at most ${mebibytes(process.resourceUsage().maxRSS * 1024)}`,
  `programs that end within the limit, 1 in ${baselineStride} (${subset.length}):`,
  `  pool: ${poolSubsetSeconds.toFixed(1)} s, ${poolSubsetRate.toFixed(1)} samples/s`,
  `  fresh python3 per sample: ${baselineSeconds.toFixed(1)} s, ${baselineRate.toFixed(1)} samples/s; peak memory ${mebibytes(baselinePeakBytes)}`,
  `  ratio: ${(poolSubsetRate / baselineRate).toFixed(2)}x`,
  `all samples, fresh python3 per sample (extrapolated: ${finishing.length} at the measured rate + ${timedOut.length} timeouts x ${timeoutMs / 1000} s / ${workers} workers): ${baselineAllSeconds.toFixed(0)} s, ${(programs.length / baselineAllSeconds).toFixed(1)} samples/s`,
  `  ratio, pool (measured) over fresh processes (extrapolated), timeouts included: ${(baselineAllSeconds / poolSeconds).toFixed(2)}x`,
  `verdicts identical, pool vs fresh process: ${compared - differing.length}/${compared} (${subset.length} finishing + ${timedOutSubset.length} timed-out samples)${differing.length > 0 ? `; differing sample indexes: ${differing.join(', ')}` : ''}`,
];
process.stdout.write(`${lines.join('\n')}\n`);
