/**
 * Many endpoints at once: 32 fake OpenAI-compatible servers on 127.0.0.1, each answering after
 * 200 ms and refusing (429) above 4 requests in flight. With concurrency 4 per endpoint the ideal
 * is 32 × 4 / 0.2 s = 640 samples/s. Prints the measured throughput against it, and checks that no
 * sample is lost or stored twice.
 * Run: node harness/cli/run-ts.mjs test/bench/fan-out.bench.ts [samples per problem, default 160]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../../harness/config/load-config.ts';
import type { SampleRecord } from '../../harness/core/types.ts';
import { locationsFromEnv } from '../../harness/datasets/locate.ts';
import { runExperiment } from '../../harness/run/run-experiment.ts';
import type { FakeRequest } from '../fakes/fake-http.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';

const endpoints = 32;
const perEndpoint = 4;
const latencyMs = 200;
const problems = 40;
const samples = Number(process.argv[2] ?? 160);

/** A server that refuses a request arriving while `perEndpoint` admitted ones are in flight (each takes `latencyMs`). */
function overloadGuard(): (request: FakeRequest) => { kind: 'status'; status: number; retryAfter: string } | undefined {
  const admitted: number[] = [];
  return () => {
    const now = performance.now();
    while (admitted.length > 0 && (admitted[0] as number) <= now - latencyMs) admitted.shift();
    if (admitted.length >= perEndpoint) return { kind: 'status', status: 429, retryAfter: '0' };
    admitted.push(now);
    return undefined;
  };
}

const servers = await Promise.all(Array.from({ length: endpoints }, () => startFakeOpenAI({ latencyMs, faults: overloadGuard() })));
const dir = mkdtempSync(join(tmpdir(), 'sb-fan-out-'));
try {
  const config = resolveConfig(
    {
      name: 'fan-out',
      datasets: [{ id: 'quickstart-math', limit: problems }],
      models: [{ id: 'fake', provider: 'openai', model: 'fake-model', endpoints: servers.map((server) => server.url) }],
      sampling: { samples, temperature: 0.8 },
      concurrency: perEndpoint,
    },
    { source: 'fan-out.yaml', configDir: dir, cwd: dir },
  );
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const result = await runExperiment(config, { locations: locationsFromEnv(process.env), env: {} });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const records = readFileSync(join(result.runDir, 'samples.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as SampleRecord);
  const slots = new Set(records.filter((record) => record.status === 'ok').map((record) => `${record.cell}|${record.problem}|${record.index}`));
  const expected = result.drawn + result.resumed + result.errors;
  const refused = servers.reduce((sum, server) => sum + server.generationRequests().length, 0) - expected;
  const ideal = (endpoints * perEndpoint * 1000) / latencyMs;
  const throughput = result.drawn / seconds;
  process.stdout.write(`fan-out: ${endpoints} endpoints × ${perEndpoint} in flight, ${latencyMs} ms each (429 above ${perEndpoint}); ${result.drawn} samples in ${seconds.toFixed(2)} s\n`);
  process.stdout.write(`  throughput ${throughput.toFixed(0)} samples/s = ${(throughput / ideal).toFixed(3)} of the ideal ${ideal} samples/s (target ≥ 0.9)\n`);
  process.stdout.write(`  CPU of this process (harness and the 32 fake servers): ${cpuSeconds.toFixed(1)} s, ${((1e6 * cpuSeconds) / Math.max(1, result.drawn)).toFixed(0)} µs per sample; load average ${(await import('node:os')).loadavg()[0]?.toFixed(1)}\n`);
  process.stdout.write(`  requests refused with 429 and retried: ${refused}; errors ${result.errors}\n`);
  const lost = problems * samples - slots.size;
  const duplicated = records.length - slots.size - result.errors;
  process.stdout.write(`  samples lost: ${lost}, stored twice: ${duplicated} (expected 0 and 0)\n`);
  if (lost !== 0 || duplicated !== 0 || result.outcome !== 'completed') process.exitCode = 1;
} finally {
  await Promise.all(servers.map((server) => server.close()));
  rmSync(dir, { recursive: true, force: true });
}
