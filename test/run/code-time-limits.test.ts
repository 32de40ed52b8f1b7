import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatPlan, planExperiment } from '../../harness/cli/plan-command.ts';
import { resolveConfig, type ResolvedConfig } from '../../harness/config/load-config.ts';
import type { ProblemTimeLimit } from '../../harness/core/problem-time-limit.ts';
import type { SampleRecord } from '../../harness/core/types.ts';
import type { Provider } from '../../harness/providers/types.ts';
import { buildReportData } from '../../harness/run/report-run.ts';
import { runExperiment } from '../../harness/run/run-experiment.ts';
import { readProblemsFile } from '../../harness/store/problems-file.ts';
import { runtimeCachePath } from '../../harness/verifiers/code/reference-runtime-cache.ts';
import { tempDir } from '../helpers/temp-dir.ts';

// A HumanEval-style set written here: T/0's reference is wrong (it gets the fallback limit),
// T/1 and T/2 have passing references (limit from their runtime).
const problems = [
  { task_id: 'T/0', prompt: 'def triple(x):\n    """Three times x."""\n', canonical_solution: '    return 0\n', test: 'def check(candidate):\n    assert candidate(2) == 6\n', entry_point: 'triple' },
  { task_id: 'T/1', prompt: 'def double(x):\n    """Twice x."""\n', canonical_solution: '    return 2 * x\n', test: 'def check(candidate):\n    assert candidate(2) == 4\n', entry_point: 'double' },
  { task_id: 'T/2', prompt: 'def add(a, b):\n    """The sum."""\n', canonical_solution: '    return a + b\n', test: 'def check(candidate):\n    assert candidate(2, 3) == 5\n', entry_point: 'add' },
];

/** A correct program that sleeps 4 s first: it passes under a limit well above 4 s, and times out under the fixed 3 s. */
const sleeper = (body: string): string => `    import time\n    time.sleep(4)\n${body}`;
const loop = '    while True:\n        pass\n';

/** Sample texts by problem and sample index (seed 1: index = seed − 1). */
const texts: Record<string, string[]> = {
  'T/0': [sleeper('    return 3 * x\n'), '    return 3 * x\n', '    return 3 * x\n'],
  'T/1': ['    return 2 * x\n', loop, '    return x + x\n'],
  'T/2': ['    return a + b\n', sleeper('    return a + b\n'), '    return b + a\n'],
};

function scriptedProvider(): Provider {
  return {
    kind: 'scripted',
    maxSamplesPerRequest: 1,
    simulated: false,
    async generate(request) {
      return {
        latencyMs: 0,
        completions: request.seeds.map((seed) => ({
          text: texts[request.problemId]?.[seed - 1] ?? '',
          usage: { promptTokens: 10, completionTokens: 10, thinkingTokens: 0 },
          finishReason: 'stop' as const,
        })),
      };
    },
  };
}

interface Fixture {
  dir: string;
  locations: { dataDir: string; cacheDir: string };
  config(samples: number, codeTimeLimits?: Record<string, unknown>, limit?: number): ResolvedConfig;
}

function fixture(): Fixture {
  const dir = tempDir('sb-limits-');
  const dataDir = join(dir, 'data');
  mkdirSync(join(dataDir, 'humaneval'), { recursive: true });
  writeFileSync(join(dataDir, 'humaneval', 'HumanEval.jsonl'), `${problems.map((problem) => JSON.stringify(problem)).join('\n')}\n`);
  return {
    dir,
    locations: { dataDir, cacheDir: join(dir, 'cache') },
    config: (samples, codeTimeLimits = { mode: 'reference', fallbackMs: 10_000 }, limit) =>
      resolveConfig(
        {
          name: 'limits',
          datasets: [limit === undefined ? 'humaneval' : { id: 'humaneval', limit }],
          models: [{ id: 'scripted', provider: 'sim', profile: 'llama-3-8b-instruct-math' }],
          sampling: { samples },
          codeTimeLimits,
        },
        { source: 'limits.yaml', configDir: dir, cwd: dir },
      ),
  };
}

function verdicts(runDir: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of readFileSync(join(runDir, 'samples.jsonl'), 'utf8').split('\n')) {
    if (line === '') continue;
    const record = JSON.parse(line) as SampleRecord;
    map.set(`${record.problem}#${record.index}`, record.verdict?.reason ?? 'none');
  }
  return map;
}

function storedLimits(runDir: string): Map<string, ProblemTimeLimit | undefined> {
  return new Map([...readProblemsFile(runDir).values()].map((problem) => [problem.id, problem.timeLimit]));
}

describe('codeTimeLimits in a run', () => {
  it('reference: records max(floor, factor × runtime) per problem, judges with it, reuses it on resume, and regrade uses the stored limit', async () => {
    const setup = fixture();
    const events: string[] = [];
    const run = await runExperiment(setup.config(2), { locations: setup.locations, createProvider: scriptedProvider, onEvent: (message) => events.push(message) });
    expect(run.outcome).toBe('completed');

    const limits = storedLimits(run.runDir);
    expect(limits.get('T/0')).toEqual({ timeoutMs: 10_000, referenceRuntimeMs: null, source: 'reference-failed', factor: 4, floorMs: 1000 });
    for (const id of ['T/1', 'T/2']) {
      const limit = limits.get(id) as ProblemTimeLimit;
      expect(limit.source).toBe('reference');
      expect(limit.referenceRuntimeMs).toBeGreaterThan(0);
      expect(limit.timeoutMs).toBe(Math.ceil(Math.max(1000, 4 * (limit.referenceRuntimeMs as number))));
    }
    expect(events.filter((event) => event.startsWith('time limits of humaneval: 3 problems (3 measured in '))).toHaveLength(1);
    expect(existsSync(runtimeCachePath(setup.locations.cacheDir, 'humaneval'))).toBe(true);

    const first = verdicts(run.runDir);
    const limitOf = (id: string): number => (limits.get(id) as ProblemTimeLimit).timeoutMs;
    expect(first).toEqual(
      new Map([
        // The 4 s sleeper passes under T/0's 10 s fallback (the fixed 3 s would time it out).
        ['T/0#0', 'passed'],
        ['T/0#1', 'passed'],
        ['T/1#0', 'passed'],
        ['T/1#1', 'timeout'],
        ['T/2#0', 'passed'],
        ['T/2#1', limitOf('T/2') > 4000 ? 'passed' : 'timeout'],
      ]),
    );

    // Resume: the recorded limits are used as they are; nothing is measured (the cache is not rebuilt).
    rmSync(runtimeCachePath(setup.locations.cacheDir, 'humaneval'));
    events.length = 0;
    const resumed = await runExperiment(setup.config(3), { locations: setup.locations, createProvider: scriptedProvider, onEvent: (message) => events.push(message) });
    expect(resumed.outcome).toBe('completed');
    expect(resumed.resumed).toBe(6);
    expect(events.filter((event) => event.startsWith('time limits of humaneval: '))).toEqual([
      `time limits of humaneval: 3 problems (3 recorded in problems.jsonl); limits ${Math.min(limitOf('T/1'), limitOf('T/2'))}–10000 ms, median ${Math.max(limitOf('T/1'), limitOf('T/2'))} ms; 1 at the fallback (no passing reference solution)`,
    ]);
    expect(existsSync(runtimeCachePath(setup.locations.cacheDir, 'humaneval'))).toBe(false);
    expect(storedLimits(run.runDir)).toEqual(limits);
    const second = verdicts(run.runDir);
    for (const id of ['T/0#2', 'T/1#2', 'T/2#2']) expect(second.get(id)).toBe('passed');

    // Other limits on resume are refused before anything is written.
    await expect(runExperiment(setup.config(3, { mode: 'reference', fallbackMs: 10_000, factor: 5 }), { locations: setup.locations, createProvider: scriptedProvider })).rejects.toThrowError(
      expect.objectContaining({ code: 'RUN_CONFIG_CHANGED', exitCode: 2 }),
    );
    await expect(runExperiment(setup.config(3, { mode: 'fixed' }), { locations: setup.locations, createProvider: scriptedProvider })).rejects.toThrowError(expect.objectContaining({ code: 'RUN_CONFIG_CHANGED' }));
    expect(storedLimits(run.runDir)).toEqual(limits);

    // Regrade judges each problem with the limit problems.jsonl records: raised to 60 s for T/2,
    // its 4 s sleeper now passes; T/0's sleeper keeps passing under its recorded 10 s.
    const path = join(run.runDir, 'problems.jsonl');
    const edited = readFileSync(path, 'utf8')
      .split('\n')
      .map((line) => (line.includes('"id":"T/2"') ? line.replace(/"timeoutMs":\d+/, '"timeoutMs":60000') : line))
      .join('\n');
    writeFileSync(path, edited);
    const { regrade } = await buildReportData(run.runDir, { regrade: true, env: { SCALING_BENCH_DATA: setup.locations.dataDir } });
    expect(regrade).toEqual({ checked: 9, wrongToRight: first.get('T/2#1') === 'timeout' ? 1 : 0, rightToWrong: 0, unchecked: 0 });
  }, 120_000);

  it('fixed: every program gets timeLimitMs and problems.jsonl records no limit', async () => {
    const setup = fixture();
    const events: string[] = [];
    const run = await runExperiment(setup.config(2, { mode: 'fixed', timeLimitMs: 10_000 }, 1), { locations: setup.locations, createProvider: scriptedProvider, onEvent: (message) => events.push(message) });
    expect(run.outcome).toBe('completed');
    // The 4 s sleeper passes under 10 s (the default 3 s would time it out).
    expect(verdicts(run.runDir)).toEqual(new Map([['T/0#0', 'passed'], ['T/0#1', 'passed']]));
    expect(storedLimits(run.runDir)).toEqual(new Map([['T/0', undefined]]));
    expect(events.some((event) => event.startsWith('time limits'))).toBe(false);
    expect(existsSync(runtimeCachePath(setup.locations.cacheDir, 'humaneval'))).toBe(false);
  }, 60_000);

  it('plan shows the time-limit mode for code datasets', async () => {
    const setup = fixture();
    const reference = formatPlan(await planExperiment(setup.config(2), setup.locations)).split('\n');
    expect(reference.at(-1)).toBe("code time limits: reference, max(1000 ms, 4 × the reference solution's runtime) per problem, 10000 ms without a passing reference (measured before sampling, cached)");
    const fixed = formatPlan(await planExperiment(setup.config(2, {}), setup.locations)).split('\n');
    expect(fixed.at(-1)).toBe('code time limits: fixed, 3000 ms per program');
  });
});
