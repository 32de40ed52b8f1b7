import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultFunctionTimeLimits, timeLimitFromRuntime, type ProblemTimeLimit } from '../../../harness/core/problem-time-limit.ts';
import type { CodeTask, Problem } from '../../../harness/core/types.ts';
import { loadDataset } from '../../../harness/datasets/registry.ts';
import { readProblemsFile, writeProblemsFile } from '../../../harness/store/problems-file.ts';
import { createCodeVerifier } from '../../../harness/verifiers/code/code-verifier.ts';
import { resolveDatasetTimeLimits } from '../../../harness/verifiers/code/dataset-time-limits.ts';
import { resolveFunctionTimeLimits } from '../../../harness/verifiers/code/function-time-limits.ts';
import { readRuntimeCache, referenceKey, runtimeCachePath } from '../../../harness/verifiers/code/reference-runtime-cache.ts';
import { measureReferenceRuntime, type ReferenceMeasurement } from '../../../harness/verifiers/code/reference-runtime.ts';
import { createPythonPool } from '../../../harness/verifiers/code/run-python.ts';
import { hasSharedData, sharedDataDir } from '../../helpers/shared-data.ts';

const pool = createPythonPool({ workers: 1 });
const folders: string[] = [];
afterAll(async () => {
  await pool.close();
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});
function tempFolder(prefix: string): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  folders.push(folder);
  return folder;
}

/** A made-up HumanEval-style problem: `double(x)` with the given reference body. */
function doubleProblem(id: string, canonicalSolution: string | undefined, test = 'def check(candidate):\n    assert candidate(2) == 4\n'): Problem {
  const code: CodeTask = { prompt: 'def double(x):\n    """Twice x."""\n', test, entryPoint: 'double', ...(canonicalSolution === undefined ? {} : { canonicalSolution }) };
  return { id, question: code.prompt, answer: '', code };
}

describe('timeLimitFromRuntime: max(floor, factor × runtime)', () => {
  it.each<[number, number, number, number]>([
    [10, 4, 1000, 1000],
    [400, 4, 1000, 1600],
    [250.1, 4, 1000, 1001],
    [0, 4, 1000, 1000],
    [30, 10, 100, 300],
    [30, 2, 500, 500],
  ])('runtime %d ms, factor %d, floor %d ms -> %d ms', (runtimeMs, factor, floorMs, expected) => {
    expect(timeLimitFromRuntime(runtimeMs, { factor, floorMs })).toBe(expected);
  });

  it('defaults to factor 4, floor 1 s, fallback 3 s', () => {
    expect(defaultFunctionTimeLimits).toEqual({ factor: 4, floorMs: 1000, fallbackMs: 3000 });
  });
});

describe('measureReferenceRuntime', () => {
  it.each<[string, string | undefined, ReferenceMeasurement['status'], string | undefined]>([
    ['passing reference', '    return 2 * x\n', 'passed', undefined],
    ['wrong reference', '    return x\n', 'failed', 'failed: AssertionError'],
    ['no reference', undefined, 'no-reference', undefined],
    ['empty reference', '  \n', 'no-reference', undefined],
  ])('%s -> %s', async (_name, solution, status, reason) => {
    const measurement = await measureReferenceRuntime((doubleProblem('p', solution).code as CodeTask), pool, { runs: 2 });
    expect(measurement.status).toBe(status);
    if (measurement.status === 'passed') expect(measurement.runtimeMs).toBeGreaterThan(0);
    else expect(measurement.runtimeMs).toBeNull();
    if (reason !== undefined) expect(measurement).toMatchObject({ reason });
  });

  it('a reference past the measuring limit is `timeout`', async () => {
    const measurement = await measureReferenceRuntime(doubleProblem('p', '    while True:\n        pass\n').code as CodeTask, pool, { timeoutMs: 300 });
    expect(measurement).toEqual({ status: 'failed', runtimeMs: null, reason: 'timeout' });
  });
});

describe('resolveFunctionTimeLimits', () => {
  const problems = [
    doubleProblem('a', '    return 2 * x\n'),
    doubleProblem('b', '    return x + x\n'),
    doubleProblem('wrong', '    return x\n'),
    doubleProblem('none', undefined),
    { id: 'math', question: '1+1', answer: '2' },
  ];

  it('measures each reference once, caches it with the dataset, and derives the limits', async () => {
    const cacheDir = tempFolder('sb-limits-cache-');
    const measured: string[] = [];
    const first = await resolveFunctionTimeLimits({ datasetId: 'made-up', problems, pool, cacheDir, runs: 1, onMeasured: (id) => measured.push(id) });
    expect(measured).toEqual(['a', 'b', 'wrong', 'none']);
    expect([...first.keys()]).toEqual(['a', 'b', 'wrong', 'none']);
    const a = first.get('a') as ProblemTimeLimit;
    expect(a.source).toBe('reference');
    expect(a.referenceRuntimeMs).toBeGreaterThan(0);
    expect(a.timeoutMs).toBe(Math.ceil(Math.max(1000, 4 * (a.referenceRuntimeMs as number))));
    expect(first.get('wrong')).toEqual({ timeoutMs: 3000, referenceRuntimeMs: null, source: 'reference-failed', factor: 4, floorMs: 1000 });
    expect(first.get('none')).toEqual({ timeoutMs: 3000, referenceRuntimeMs: null, source: 'no-reference', factor: 4, floorMs: 1000 });

    const cached = readRuntimeCache(runtimeCachePath(cacheDir, 'made-up'));
    expect(cached.get('a')).toEqual({ key: referenceKey(problems[0]?.code as CodeTask), status: 'passed', runtimeMs: a.referenceRuntimeMs });
    expect(cached.get('wrong')).toMatchObject({ status: 'failed', runtimeMs: null, reason: 'failed: AssertionError' });

    // Again: nothing measured, same limits.
    measured.length = 0;
    const again = await resolveFunctionTimeLimits({ datasetId: 'made-up', problems, pool, cacheDir, onMeasured: (id) => measured.push(id) });
    expect(measured).toEqual([]);
    expect(again).toEqual(first);

    // Other settings: new limits from the cached runtimes, still nothing measured.
    const settings = { factor: 1e6, floorMs: 5, fallbackMs: 7000 };
    const overridden = await resolveFunctionTimeLimits({ datasetId: 'made-up', problems, pool, cacheDir, settings, onMeasured: (id) => measured.push(id) });
    expect(measured).toEqual([]);
    expect(overridden.get('a')).toEqual({ timeoutMs: Math.ceil(1e6 * (a.referenceRuntimeMs as number)), referenceRuntimeMs: a.referenceRuntimeMs, source: 'reference', factor: 1e6, floorMs: 5 });
    expect(overridden.get('none')?.timeoutMs).toBe(7000);

    // A changed problem (its tests) is measured again; the others are not.
    const changed = problems.map((problem) => (problem.id === 'b' ? doubleProblem('b', '    return x + x\n', 'def check(candidate):\n    assert candidate(3) == 6\n') : problem));
    await resolveFunctionTimeLimits({ datasetId: 'made-up', problems: changed, pool, cacheDir, runs: 1, onMeasured: (id) => measured.push(id) });
    expect(measured).toEqual(['b']);
  });

  it('keeps what was measured when stopped part way', async () => {
    const cacheDir = tempFolder('sb-limits-cache-');
    const controller = new AbortController();
    const stopped = resolveFunctionTimeLimits({ datasetId: 'made-up', problems, pool, cacheDir, runs: 1, signal: controller.signal, onMeasured: () => controller.abort(new Error('stop')) });
    await expect(stopped).rejects.toThrow('stop');
    expect([...readRuntimeCache(runtimeCachePath(cacheDir, 'made-up')).keys()]).toEqual(['a']);
  });

  it('a damaged cache file is measured again and rewritten', async () => {
    const cacheDir = tempFolder('sb-limits-cache-');
    const path = runtimeCachePath(cacheDir, 'made-up');
    await resolveFunctionTimeLimits({ datasetId: 'made-up', problems: problems.slice(0, 1), pool, cacheDir, runs: 1 });
    writeFileSync(path, '{"version": 1, "problems": {"a": ');
    const measured: string[] = [];
    await resolveFunctionTimeLimits({ datasetId: 'made-up', problems: problems.slice(0, 1), pool, cacheDir, runs: 1, onMeasured: (id) => measured.push(id) });
    expect(measured).toEqual(['a']);
    expect(readRuntimeCache(path).get('a')?.status).toBe('passed');
  });

  it('names cache files safely, one per dataset id', () => {
    expect(runtimeCachePath('/c', 'humaneval')).toBe('/c/reference-runtimes/humaneval.json');
    const odd = runtimeCachePath('/c', '../my data');
    expect(odd).toMatch(/^\/c\/reference-runtimes\/\.\._my_data-[0-9a-f]{8}\.json$/);
    expect(runtimeCachePath('/c', '../my_data')).not.toBe(odd);
  });

  it.runIf(hasSharedData())('every HumanEval reference (first 8 problems) passes and gets a limit from its runtime', async () => {
    const loaded = await loadDataset({ id: 'humaneval', limit: 8 }, { dataDir: sharedDataDir() }, 1);
    const limits = await resolveFunctionTimeLimits({ datasetId: 'humaneval', problems: loaded.problems, pool, runs: 1 });
    expect([...limits.values()].map((limit) => limit.source)).toEqual(loaded.problems.map(() => 'reference'));
  });
});

describe('per-problem limits in the code verifier and in problems.jsonl', () => {
  it('the code verifier judges each problem with its own limit', async () => {
    const sleepy = doubleProblem('sleepy', '    return 2 * x\n');
    const sample = '    import time\n    time.sleep(2)\n    return 2 * x\n';
    const strict = createCodeVerifier({ pool, timeLimitMs: (problem) => (problem.id === 'sleepy' ? 500 : undefined) });
    const generous = createCodeVerifier({ pool, limits: { timeoutMs: 500 }, timeLimitMs: () => 30_000 });
    expect((await strict.verify(sleepy, sample)).reason).toBe('timeout');
    expect((await generous.verify(sleepy, sample)).reason).toBe('passed');
  });

  it('problems.jsonl records the limit of each problem and reads it back', () => {
    const runDir = tempFolder('sb-limits-run-');
    const problems = [doubleProblem('a', '    return 2 * x\n'), doubleProblem('none', undefined)];
    const limit: ProblemTimeLimit = { timeoutMs: 1000, referenceRuntimeMs: 41.5, source: 'reference', factor: 4, floorMs: 1000 };
    writeProblemsFile(runDir, [{ id: 'humaneval', problems, verifier: 'code', timeLimits: new Map([['a', limit]]) }]);
    const lines = readFileSync(join(runDir, 'problems.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => line.timeLimit)).toEqual([limit, undefined]);
    const stored = readProblemsFile(runDir);
    expect(stored.get('humaneval\u0000a')?.timeLimit).toEqual(limit);
    expect(stored.get('humaneval\u0000none')?.timeLimit).toBeUndefined();
  });
});

describe('resolveDatasetTimeLimits (what a run calls)', () => {
  it('gives code datasets limits by dataset and by problem object, even when two datasets share problem ids', async () => {
    const plain = doubleProblem('p', '    return 2 * x\n');
    const plus = doubleProblem('p', '    return x\n');
    const math: Problem = { id: 'p', question: '1+1', answer: '2' };
    const measured: string[] = [];
    const limits = await resolveDatasetTimeLimits(
      [
        { id: 'plain', problems: [plain], verifier: 'code' },
        { id: 'plus', problems: [plus], verifier: 'code' },
        { id: 'maths', problems: [math], verifier: 'math' },
      ],
      { settings: { fallbackMs: 7777 }, onMeasured: (dataset, problem) => measured.push(`${dataset}/${problem}`) },
    );
    expect(measured).toEqual(['plain/p', 'plus/p']);
    expect([...limits.byDataset.keys()]).toEqual(['plain', 'plus']);
    expect(limits.byDataset.get('plain')?.get('p')?.source).toBe('reference');
    expect(limits.timeLimitMs(plain)).toBe(limits.byDataset.get('plain')?.get('p')?.timeoutMs);
    expect(limits.timeLimitMs(plus)).toBe(7777);
    expect(limits.timeLimitMs(math)).toBeUndefined();
    expect(limits.timeLimitMs(doubleProblem('p', '    return 2 * x\n'))).toBeUndefined();
  });
});
