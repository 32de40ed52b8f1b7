/**
 * Code-execution benchmark: the 16,400 CodeGen-Mono-16B HumanEval samples (CodeT release)
 * through the fork-server pool, against one fresh `python3` process per sample.
 *
 * Prints samples/s for both, their ratio, the verdict agreement, the replayed pass@1/10/100
 * against 21.95 / 50.24 / 73.78, and the peak memory of this process plus all its descendants.
 * The baseline runs on every 16th sample (1,025 programs) and its rate is extrapolated; the pool
 * runs all samples and, separately, the same subset.
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
const baselineStride = 16;

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
const subset = programs.filter((_item, index) => index % baselineStride === 0);
const workers = 2 * availableParallelism();
process.stdout.write(`code-exec bench: ${programs.length} programs (${tasks.length} tasks), ${workers} at a time, timeout ${timeoutMs} ms\n`);

// Pool: all samples.
const pool = createPythonPool({ workers, timeoutMs });
const isolation = await pool.isolation();
process.stdout.write(`sandbox: uid ${isolation.uid}, namespaces ${isolation.namespaces}, read-only fs ${isolation.readOnlyFilesystem}, python ${isolation.python}\n`);
const poolMemory = startMemorySampler();
let started = performance.now();
const results: PythonResult[] = await Promise.all(programs.map(({ program }) => pool.run(program)));
const poolSeconds = (performance.now() - started) / 1000;
const poolPeakBytes = poolMemory.stop();

// Pool: the baseline's subset, timed on its own.
started = performance.now();
await Promise.all(subset.map(({ program }) => pool.run(program)));
const poolSubsetSeconds = (performance.now() - started) / 1000;
await pool.close();

// Baseline: one fresh python3 process per sample, on the subset.
const baselineMemory = startMemorySampler();
started = performance.now();
const fresh = await mapWithConcurrency(subset, workers, ({ program }) => runFreshProcess(program, { executable: isolation.executable, timeoutMs }));
const baselineSeconds = (performance.now() - started) / 1000;
const baselinePeakBytes = baselineMemory.stop();

const statusCounts: Record<string, number> = {};
for (const result of results) statusCounts[result.status] = (statusCounts[result.status] ?? 0) + 1;
const counts = tasks.map((_task, taskIndex) => ({
  n: 100,
  c: results.filter((result, index) => programs[index]?.taskIndex === taskIndex && result.status === 'passed').length,
}));
const subsetPool = programs.flatMap((_item, index) => (index % baselineStride === 0 ? [results[index]?.status === 'passed'] : []));
const differing = subset.flatMap((_item, index) => (subsetPool[index] !== fresh[index] ? [index * baselineStride] : []));

const poolRate = programs.length / poolSeconds;
const poolSubsetRate = subset.length / poolSubsetSeconds;
const baselineRate = subset.length / baselineSeconds;
const lines = [
  `verdicts (pool, all): ${JSON.stringify(statusCounts)}; ${counts.filter((count) => count.c === 0).length} tasks with no passing sample`,
  ...([1, 10, 100] as const).map((k) => {
    const value = meanPassAtK(counts, k);
    const reference = k === 1 ? codegenReference.passAt1 : k === 10 ? codegenReference.passAt10 : codegenReference.passAt100;
    return `pass@${k}: ${value.toFixed(2)} (reference ${reference}, difference ${(value - reference).toFixed(2)}, ${Math.abs(value - reference) <= 0.5 ? 'within 0.5' : 'OUTSIDE 0.5'})`;
  }),
  `pool, all ${programs.length} samples: ${poolSeconds.toFixed(1)} s, ${poolRate.toFixed(1)} samples/s, peak memory (this process + workers + programs) ${mebibytes(poolPeakBytes)}`,
  `pool, subset of ${subset.length} (every ${baselineStride}th): ${poolSubsetSeconds.toFixed(1)} s, ${poolSubsetRate.toFixed(1)} samples/s`,
  `fresh python3 per sample, same subset: ${baselineSeconds.toFixed(1)} s, ${baselineRate.toFixed(1)} samples/s (extrapolated to all: ${(programs.length / baselineRate).toFixed(0)} s), peak memory ${mebibytes(baselinePeakBytes)}`,
  `ratio on the same subset: ${(poolSubsetRate / baselineRate).toFixed(2)}x; pool (all) over baseline (extrapolated): ${(poolRate / baselineRate).toFixed(2)}x`,
  `verdicts identical on the subset: ${subset.length - differing.length}/${subset.length}${differing.length > 0 ? ` (differing sample indexes: ${differing.join(', ')})` : ''}`,
];
process.stdout.write(`${lines.join('\n')}\n`);
