/**
 * Replay of the real CodeGen-Mono-16B HumanEval samples through the sandbox. The full 16,400
 * programs (about 2–3 minutes on 2 cores, 60 of them time out at 3 s) run in
 * test/bench/code-exec.bench.ts, which checks pass@1/10/100 against 21.95 / 50.24 / 73.78; this
 * test runs a subset.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createPythonPool } from '../../../harness/verifiers/code/run-python.ts';
import { hasSharedData, sharedDataDir } from '../../helpers/shared-data.ts';
import {
  codegenReference,
  loadCodegenReplay,
  mapWithConcurrency,
  meanPassAtK,
  replayProgram,
  runFreshProcess,
  unbiasedPassAtK,
} from './codegen-replay.ts';

function binomial(n: number, k: number): bigint {
  if (k < 0 || k > n) return 0n;
  let result = 1n;
  for (let i = 0; i < k; i += 1) result = (result * BigInt(n - i)) / BigInt(i + 1);
  return result;
}

describe('unbiasedPassAtK', () => {
  it.each([
    [100, 0, 1, 0],
    [100, 100, 100, 1],
    [10, 1, 1, 0.1],
    [5, 2, 2, 0.7],
    [100, 95, 10, 1],
  ])('n=%i c=%i k=%i -> %f', (n, c, k, expected) => {
    expect(unbiasedPassAtK(n, c, k)).toBeCloseTo(expected, 12);
  });

  it.each([
    [100, 21, 10],
    [100, 3, 50],
    [100, 60, 5],
    [200, 17, 100],
  ])('equals 1 - C(n-c,k)/C(n,k) for n=%i c=%i k=%i', (n, c, k) => {
    const exact = 1 - Number((binomial(n - c, k) * 10n ** 15n) / binomial(n, k)) / 1e15;
    expect(unbiasedPassAtK(n, c, k)).toBeCloseTo(exact, 12);
  });
});

describe.skipIf(!hasSharedData())('CodeGen-16B HumanEval replay (subset)', () => {
  const pool = createPythonPool({ workers: 3 });
  afterAll(async () => {
    await pool.close();
  });
  const tasks = hasSharedData() ? loadCodegenReplay(sharedDataDir()) : [];

  it('joins 164 tasks to 100 samples each', () => {
    expect(tasks.length).toBe(164);
    expect(tasks.every((task) => task.samples.length === 100)).toBe(true);
    // HumanEval's reference solution comes along (per-problem time limits measure it).
    expect(tasks.every((task) => (task.task.canonicalSolution ?? '').trim() !== '')).toBe(true);
  });

  it('gives pass@1 and pass@10 near the published curve from the first 10 samples of every task', async () => {
    const perTask = 10;
    const programs = tasks.flatMap((task) => task.samples.slice(0, perTask).map((sample) => ({ taskId: task.taskId, program: replayProgram(task, sample) })));
    const results = await Promise.all(programs.map(({ program }) => pool.run(program)));
    const counts = tasks.map((task) => ({
      n: perTask,
      c: results.filter((result, index) => programs[index]?.taskId === task.taskId && result.status === 'passed').length,
    }));
    const passAt1 = meanPassAtK(counts, 1);
    const passAt10 = meanPassAtK(counts, 10);
    process.stderr.write(`replay subset (10 samples per task): pass@1 ${passAt1.toFixed(2)} pass@10 ${passAt10.toFixed(2)}\n`);
    // 10 of 100 samples per task: the estimates scatter by about 1–2 points around the full-set values.
    expect(Math.abs(passAt1 - codegenReference.passAt1)).toBeLessThan(3);
    expect(Math.abs(passAt10 - codegenReference.passAt10)).toBeLessThan(5);
    // 1,640 programs: a generous safety net for a busy shared machine, not a speed requirement.
  }, 600_000);

  it('gives the same verdicts as a fresh python3 process per program (one sample per task)', async () => {
    const info = await pool.isolation();
    const programs = tasks.map((task) => replayProgram(task, task.samples[10] ?? ''));
    const sandboxed = await Promise.all(programs.map((program) => pool.run(program)));
    const fresh = await mapWithConcurrency(programs, 3, (program) =>
      runFreshProcess(program, { executable: info.executable, timeoutMs: 3000 }),
    );
    const asFresh = (status: string | undefined): string => (status === 'passed' || status === 'timeout' ? status : 'failed');
    const differing = programs.flatMap((_program, index) => (asFresh(sandboxed[index]?.status) !== fresh[index] ? [index] : []));
    if (differing.length > 0) process.stderr.write(`replay verdicts differing from a fresh process: ${differing.join(', ')}\n`);
    expect(differing).toEqual([]);
    expect(sandboxed.filter((result) => result.status === 'passed').length).toBeGreaterThan(20);
  }, 600_000);
});
