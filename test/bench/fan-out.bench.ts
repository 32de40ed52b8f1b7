/**
 * Many endpoints at once: 32 fake OpenAI-compatible servers on 127.0.0.1, each answering after
 * 200 ms and refusing (429) above 4 requests in flight. With concurrency 4 per endpoint the ideal
 * is 32 × 4 / 0.2 s = 640 samples/s. The servers run in a process of their own
 * (`fan-out-servers.ts`), as real replicas do, so the figure is the harness's, not the fakes'.
 * First a plain loop (bare `fetch`, 128 in flight, the same request body) measures what the fakes
 * and this machine allow: the baseline. Then a run draws the same number of samples; the bench
 * prints both against the ideal, checks that no sample is lost or stored twice and exits 1 if one is.
 * Run: node harness/cli/run-ts.mjs test/bench/fan-out.bench.ts [samples per problem, default 160]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { resolveConfig } from '../../harness/config/load-config.ts';
import type { SampleRecord } from '../../harness/core/types.ts';
import { locationsFromEnv } from '../../harness/datasets/locate.ts';
import { runExperiment } from '../../harness/run/run-experiment.ts';

const endpoints = 32;
const perEndpoint = 4;
const latencyMs = 200;
const problems = 40;
const samples = Number(process.argv[2] ?? 160);
const ideal = (endpoints * perEndpoint * 1000) / latencyMs;

interface ServerStats {
  generation: number;
  refused: number;
  cpuMicros: number;
}

/** Starts the servers' process; resolves with it and the endpoint URLs. */
function startServers(): Promise<{ child: ChildProcess; urls: string[] }> {
  const here = import.meta.dirname;
  const child = fork(resolve(here, '../../harness/cli/run-ts.mjs'), [join(here, 'fan-out-servers.ts'), String(endpoints), String(perEndpoint), String(latencyMs)], { stdio: 'inherit' });
  return new Promise((resolvePromise, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the fake servers exited early (${code})`)));
    child.once('message', (message) => resolvePromise({ child, urls: (message as { urls: string[] }).urls }));
  });
}

function serverStats(child: ChildProcess): Promise<ServerStats> {
  return new Promise((resolvePromise) => {
    child.once('message', (message) => resolvePromise(message as ServerStats));
    child.send('stats');
  });
}

/**
 * The baseline: `total` plain chat requests, `perEndpoint` in flight per endpoint, with bare fetch
 * (a 429 is sent again at once, as its Retry-After: 0 allows); samples/s.
 */
async function plainLoop(urls: string[], total: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  const worker = async (url: string): Promise<void> => {
    while (next < total) {
      const seed = next;
      next += 1;
      for (;;) {
        const response = await fetch(`${url}/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'fake-model', messages: [{ role: 'user', content: `What is ${seed % 40} + 1?` }], temperature: 0.8, max_tokens: 1024, seed }),
        });
        const body = (await response.json()) as { choices?: unknown[] };
        if (response.status === 429) continue;
        if (response.status !== 200 || body.choices?.length !== 1) throw new Error(`the plain loop got status ${response.status}`);
        break;
      }
    }
  };
  await Promise.all(urls.flatMap((url) => Array.from({ length: perEndpoint }, () => worker(url))));
  return total / ((performance.now() - started) / 1000);
}

const { child, urls } = await startServers();
const dir = mkdtempSync(join(tmpdir(), 'sb-fan-out-'));
try {
  const baseline = await plainLoop(urls, problems * samples);
  const beforeRun = await serverStats(child);
  const baselineRefused = beforeRun.generation - problems * samples;
  const config = resolveConfig(
    {
      name: 'fan-out',
      datasets: [{ id: 'quickstart-math', limit: problems }],
      models: [{ id: 'fake', provider: 'openai', model: 'fake-model', endpoints: urls }],
      sampling: { samples, temperature: 0.8 },
      concurrency: perEndpoint,
    },
    { source: 'fan-out.yaml', configDir: dir, cwd: dir },
  );
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  let firstStored = 0;
  let lastStored = 0;
  const onProgress = (): void => {
    lastStored = performance.now();
    if (firstStored === 0) firstStored = lastStored;
  };
  const result = await runExperiment(config, { locations: locationsFromEnv(process.env), env: {}, onProgress });
  const seconds = (performance.now() - started) / 1000;
  // Steady state: from the first stored sample to the last (start-up and the first answers' 200 ms left out).
  const steady = (result.drawn - 1) / ((lastStored - firstStored) / 1000);
  const cpu = process.cpuUsage(cpuBefore);
  const afterRun = await serverStats(child);
  const records = readFileSync(join(result.runDir, 'samples.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as SampleRecord);
  const slots = new Set(records.filter((record) => record.status === 'ok').map((record) => `${record.cell}|${record.problem}|${record.index}`));
  const throughput = result.drawn / seconds;
  const harnessMicros = (cpu.user + cpu.system) / Math.max(1, result.drawn);
  const serverMicros = (afterRun.cpuMicros - beforeRun.cpuMicros) / Math.max(1, result.drawn);
  process.stdout.write(`fan-out: ${endpoints} endpoints × ${perEndpoint} in flight, ${latencyMs} ms each (429 above ${perEndpoint}), servers in their own process; ${problems * samples} samples\n`);
  process.stdout.write(`  baseline (bare fetch loop, ${endpoints * perEndpoint} in flight): ${baseline.toFixed(0)} samples/s = ${(baseline / ideal).toFixed(3)} of the ideal ${ideal} (${baselineRefused} refused with 429 and sent again)\n`);
  process.stdout.write(`  run: ${result.drawn} samples in ${seconds.toFixed(2)} s, ${throughput.toFixed(0)} samples/s = ${(throughput / ideal).toFixed(3)} of the ideal (target ≥ 0.9), ${(throughput / baseline).toFixed(3)} of the baseline\n`);
  process.stdout.write(`  run steady state (first stored sample to last, start-up left out: ${((firstStored - started) / 1000).toFixed(2)} s to the first): ${steady.toFixed(0)} samples/s = ${(steady / ideal).toFixed(3)} of the ideal\n`);
  process.stdout.write(`  CPU per sample: harness ${harnessMicros.toFixed(0)} µs, fake servers ${serverMicros.toFixed(0)} µs; load average ${loadavg()[0]?.toFixed(1)}\n`);
  process.stdout.write(`  requests refused with 429 and retried: ${afterRun.refused - beforeRun.refused}; errors ${result.errors}\n`);
  const lost = problems * samples - slots.size;
  const duplicated = records.length - slots.size - result.errors;
  process.stdout.write(`  samples lost: ${lost}, stored twice: ${duplicated} (expected 0 and 0)\n`);
  if (lost !== 0 || duplicated !== 0 || result.outcome !== 'completed') process.exitCode = 1;
} finally {
  child.send('close');
  rmSync(dir, { recursive: true, force: true });
}
