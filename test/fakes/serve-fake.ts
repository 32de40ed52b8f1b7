/**
 * Runs a fake model server in the foreground, to try a config without a real server:
 *   node harness/cli/run-ts.mjs test/fakes/serve-fake.ts openai|ollama|huggingface [--ignore-n] [--ignore-seed] [--fail-rate 0.3]
 * Prints the URLs to put in the config, then serves until Ctrl-C.
 */
import { createRandom } from '../../harness/core/random.ts';
import type { FakeFault, FakeServer, FakeServerOptions } from './fake-http.ts';
import { startFakeHuggingFace } from './fake-huggingface.ts';
import { startFakeOllama } from './fake-ollama.ts';
import { startFakeOpenAI } from './fake-openai.ts';

const [kind = 'openai', ...flags] = process.argv.slice(2);
const failRateIndex = flags.indexOf('--fail-rate');
const failRate = failRateIndex >= 0 ? Number(flags[failRateIndex + 1]) : 0;
const random = createRandom(1);
const transient: FakeFault[] = [{ kind: 'status', status: 429, retryAfter: '1' }, { kind: 'status', status: 503 }, { kind: 'reset' }, { kind: 'malformed' }];
const options: FakeServerOptions & { ignoreN?: boolean } = {
  ignoreSeed: flags.includes('--ignore-seed'),
  ignoreN: flags.includes('--ignore-n'),
  ...(failRate > 0 ? { faults: () => (random.next() < failRate ? transient[Math.floor(random.next() * transient.length)] : undefined) } : {}),
};
let server: FakeServer;
if (kind === 'huggingface') {
  const huggingFace = await startFakeHuggingFace(options);
  server = huggingFace;
  process.stdout.write(`fake huggingface server\n  routerUrl and hubUrl: ${huggingFace.routerUrl}\n  endpointUrl: ${huggingFace.endpointUrl}\n`);
} else {
  server = kind === 'ollama' ? await startFakeOllama(options) : await startFakeOpenAI(options);
  process.stdout.write(`fake ${kind} server: ${server.url}\n`);
}
for (const signalName of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signalName, () => {
    void server.close().then(() => process.exit(0));
  });
}
