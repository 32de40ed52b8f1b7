import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeServer } from '../fakes/fake-http.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import { tempDir } from '../helpers/temp-dir.ts';

/**
 * A run stopped mid-sweep (SIGKILL, or Ctrl-C) continues where it stopped. The stop point is
 * deterministic: the fake server answers a fixed number of requests, then holds every later one
 * open, so the run cannot finish on its own whatever the machine's speed; the test stops it once
 * exactly the answered samples are in samples.jsonl.
 */
const bin = resolve(import.meta.dirname, '../../harness/cli/bin.mjs');

const PROBLEMS = 12;
const SAMPLES = 8;
/**
 * Requests (one sample each) answered before the fake starts holding requests open: one full
 * write batch of the sample log (harness/store/sample-log.ts flushes every 64 records), so the
 * answered samples reach samples.jsonl while the run waits on the held requests.
 */
const ANSWERED = 64;

/** A safety net for a busy machine (each CLI start compiles TypeScript), not a speed expectation. */
const STEP_TIMEOUT_MS = 300_000;

let server: FakeServer;
const children = new Set<ChildProcess>();
/** Generation requests numbered at or past this are held open (never answered); undefined: answer all. */
let holdFrom: number | undefined;

beforeAll(async () => {
  server = await startFakeOpenAI({ faults: (_request, number) => (holdFrom !== undefined && number >= holdFrom ? { kind: 'hang' } : undefined) });
});
afterAll(async () => {
  // A run left behind by a failed assertion is stopped here, so no process outlives the file.
  for (const child of children) child.kill('SIGKILL');
  await server.close();
});

function config(): string {
  return `name: stopped
seed: 11
datasets:
  - id: quickstart-math
    limit: ${PROBLEMS}
models:
  - id: fake-8b
    provider: openai
    model: fake-8b
    endpoints: [${server.url}]
    samplesPerRequest: 1
    params: 8.0e9
sampling:
  samples: ${SAMPLES}
  temperature: 0.7
concurrency: 2
`;
}

/** Starts `scaling-bench run c.yaml` in `cwd` (asynchronously: the fake server lives in this process). */
function startRun(cwd: string): { child: ChildProcess; exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> } {
  const child = spawn(process.execPath, [bin, 'run', 'c.yaml'], { cwd, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1', OPENAI_API_KEY: 'sk-test' } });
  children.add(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolvePromise) => {
    child.on('exit', (code, signal) => {
      children.delete(child);
      resolvePromise({ code, signal, stderr });
    });
  });
  return { child, exit };
}

async function runToEnd(cwd: string): Promise<void> {
  holdFrom = undefined;
  const { code, stderr } = await startRun(cwd).exit;
  expect(stderr).toBe('');
  expect(code).toBe(0);
}

function storedLines(path: string): string[] {
  return existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter((line) => line !== '') : [];
}

/**
 * Starts a run whose first ANSWERED requests are answered and the rest held open, waits until
 * samples.jsonl holds exactly those samples, then sends `signal`. Fails if the run ends first.
 */
async function runAndStop(cwd: string, signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  holdFrom = server.generationRequests().length + ANSWERED;
  const samples = join(cwd, 'reports', 'stopped', 'samples.jsonl');
  const { child, exit } = startRun(cwd);
  let ended = false;
  void exit.then(() => {
    ended = true;
  });
  while (storedLines(samples).length < ANSWERED) {
    if (ended) throw new Error(`run ended (${JSON.stringify(await exit)}) before ${ANSWERED} samples were stored`);
    await new Promise((wait) => setTimeout(wait, 20));
  }
  child.kill(signal);
  return exit;
}

function sampleKeys(path: string): string[] {
  return storedLines(path).map((line) => {
    const record = JSON.parse(line) as { cell: string; problem: string; index: number };
    return `${record.cell}|${record.problem}|${record.index}`;
  });
}

describe('a run killed with SIGKILL mid-sweep', { timeout: 180_000 }, () => {
  it('continues where it stopped (past a torn last line), and its metrics.csv is identical to an uninterrupted run', async () => {
    const straight = tempDir('sb-kill-');
    writeFileSync(join(straight, 'c.yaml'), config());
    await runToEnd(straight);
    const expected = readFileSync(join(straight, 'reports', 'stopped', 'metrics.csv'), 'utf8');

    const killed = tempDir('sb-kill-');
    writeFileSync(join(killed, 'c.yaml'), config());
    const stop = await runAndStop(killed, 'SIGKILL');
    expect(stop.signal).toBe('SIGKILL');
    const samples = join(killed, 'reports', 'stopped', 'samples.jsonl');
    expect(storedLines(samples)).toHaveLength(ANSWERED);
    // A crash in the middle of a write leaves a torn last record: resume must drop it.
    appendFileSync(samples, '{"v":1,"cell":"fake-8b');
    await runToEnd(killed);

    const keys = sampleKeys(samples);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(PROBLEMS * SAMPLES);
    expect(readFileSync(join(killed, 'reports', 'stopped', 'metrics.csv'), 'utf8')).toBe(expected);
  }, STEP_TIMEOUT_MS);
});

describe('Ctrl-C', { timeout: 180_000 }, () => {
  it('flushes what it has and exits 130; the next run continues', async () => {
    const dir = tempDir('sb-int-');
    writeFileSync(join(dir, 'c.yaml'), config());
    const samples = join(dir, 'reports', 'stopped', 'samples.jsonl');
    const exit = await runAndStop(dir, 'SIGINT');
    expect(exit.code).toBe(130);
    expect(exit.stderr).toBe('\ninterrupted: flushing stored samples (run the same command again to continue)\n');
    const stored = readFileSync(samples, 'utf8');
    expect(stored.endsWith('\n')).toBe(true);
    expect(storedLines(samples)).toHaveLength(ANSWERED);
    await runToEnd(dir);
    const keys = sampleKeys(samples);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(PROBLEMS * SAMPLES);
  }, STEP_TIMEOUT_MS);
});
