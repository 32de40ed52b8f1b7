import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = resolve(import.meta.dirname, '../../harness/cli/bin.mjs');

const config = `name: killed
seed: 11
datasets:
  - quickstart-math
  - quickstart-gsm
models:
  - id: sim-8b
    provider: sim
    profile: llama-3-8b-instruct-math
  - id: sim-70b
    provider: sim
    profile: llama-3-70b-instruct-math
sampling:
  samples: 120
  temperature: 0.7
concurrency: 2
`;

function runToEnd(cwd: string): void {
  const result = spawnSync(process.execPath, [bin, 'run', 'c.yaml'], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
}

/** Starts a run and SIGKILLs it once samples.jsonl passes `killAtBytes`; resolves to the size at the kill. */
function runAndKill(cwd: string, killAtBytes: number): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [bin, 'run', 'c.yaml'], { cwd, stdio: 'ignore' });
    const samples = join(cwd, 'reports', 'killed', 'samples.jsonl');
    const timer = setInterval(() => {
      const size = existsSync(samples) ? statSync(samples).size : 0;
      if (size >= killAtBytes) {
        clearInterval(timer);
        child.kill('SIGKILL');
        resolvePromise(size);
      }
    }, 2);
    child.on('exit', (code, signal) => {
      clearInterval(timer);
      if (signal !== 'SIGKILL') reject(new Error(`run ended (code ${code}) before it could be killed`));
    });
  });
}

describe('a run killed with SIGKILL at a random moment', () => {
  it('continues where it stopped, and its metrics.csv is identical to an uninterrupted run', async () => {
    const straight = mkdtempSync(join(tmpdir(), 'sb-kill-'));
    writeFileSync(join(straight, 'c.yaml'), config);
    runToEnd(straight);
    const fullSize = statSync(join(straight, 'reports', 'killed', 'samples.jsonl')).size;
    const expected = readFileSync(join(straight, 'reports', 'killed', 'metrics.csv'), 'utf8');

    const killed = mkdtempSync(join(tmpdir(), 'sb-kill-'));
    writeFileSync(join(killed, 'c.yaml'), config);
    const fraction = 0.1 + 0.7 * Math.random();
    const sizeAtKill = await runAndKill(killed, Math.floor(fullSize * fraction));
    expect(sizeAtKill).toBeLessThan(fullSize);
    runToEnd(killed);

    const lines = readFileSync(join(killed, 'reports', 'killed', 'samples.jsonl'), 'utf8').split('\n').filter((line) => line !== '');
    const keys = lines.map((line) => {
      const record = JSON.parse(line) as { cell: string; problem: string; index: number };
      return `${record.cell}|${record.problem}|${record.index}`;
    });
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(2 * 70 * 120);
    expect(readFileSync(join(killed, 'reports', 'killed', 'metrics.csv'), 'utf8')).toBe(expected);
  });
});

describe('Ctrl-C', () => {
  it('flushes what it has and exits 130; the next run continues', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-int-'));
    // A little simulated latency, so that Ctrl-C lands while sampling.
    writeFileSync(join(dir, 'c.yaml'), config.replaceAll('profile: llama-3-8b-instruct-math', 'profile: llama-3-8b-instruct-math\n    latencyMs: 20').replaceAll('profile: llama-3-70b-instruct-math', 'profile: llama-3-70b-instruct-math\n    latencyMs: 20'));
    const samples = join(dir, 'reports', 'killed', 'samples.jsonl');
    const exit = await new Promise<{ code: number | null; stderr: string }>((resolvePromise) => {
      const child = spawn(process.execPath, [bin, 'run', 'c.yaml'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const timer = setInterval(() => {
        if (existsSync(samples) && statSync(samples).size > 20_000) {
          clearInterval(timer);
          child.kill('SIGINT');
        }
      }, 2);
      child.on('exit', (code) => {
        clearInterval(timer);
        resolvePromise({ code, stderr });
      });
    });
    expect(exit.code).toBe(130);
    expect(exit.stderr).toBe('\ninterrupted: flushing stored samples (run the same command again to continue)\n');
    const stored = readFileSync(samples, 'utf8');
    expect(stored.endsWith('\n')).toBe(true);
    runToEnd(dir);
    expect(readFileSync(samples, 'utf8').split('\n').filter((line) => line !== '')).toHaveLength(2 * 70 * 120);
  });
});
