/**
 * The fan-out benchmark's endpoints, in a process of their own (as real inference replicas are):
 * `endpoints` fake OpenAI-compatible servers on 127.0.0.1, each answering after `latencyMs` and
 * refusing (429) a request that arrives while `perEndpoint` admitted ones are in flight.
 * Started by `fan-out.bench.ts` with an IPC channel: sends `{ urls }` once listening; answers
 * `'stats'` with `{ generation, refused, cpuMicros }` and `'close'` by closing and exiting.
 * Run: node harness/cli/run-ts.mjs test/bench/fan-out-servers.ts <endpoints> <perEndpoint> <latencyMs>
 */
import type { FakeFault } from '../fakes/fake-http.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';

const [endpoints, perEndpoint, latencyMs] = process.argv.slice(2, 5).map(Number) as [number, number, number];
let refused = 0;

/** A server that refuses a request arriving while `perEndpoint` admitted ones are in flight (each takes `latencyMs`). */
function overloadGuard(): () => FakeFault | undefined {
  const admitted: number[] = [];
  return () => {
    const now = performance.now();
    while (admitted.length > 0 && (admitted[0] as number) <= now - latencyMs) admitted.shift();
    if (admitted.length >= perEndpoint) {
      refused += 1;
      return { kind: 'status', status: 429, retryAfter: '0' };
    }
    admitted.push(now);
    return undefined;
  };
}

const servers = await Promise.all(Array.from({ length: endpoints }, () => startFakeOpenAI({ latencyMs, faults: overloadGuard() })));
const cpuStart = process.cpuUsage();
process.on('message', (message: unknown) => {
  if (message === 'stats') {
    const cpu = process.cpuUsage(cpuStart);
    const generation = servers.reduce((sum, server) => sum + server.generationRequests().length, 0);
    process.send?.({ generation, refused, cpuMicros: cpu.user + cpu.system });
  } else if (message === 'close') {
    void Promise.all(servers.map((server) => server.close())).then(() => process.exit(0));
  }
});
process.send?.({ urls: servers.map((server) => server.url) });
