/**
 * Ctrl-C on a long simulated run: the sim's work is synchronous, so unless it gives the event
 * loop a turn the signal would wait for the whole run. The run is sized far beyond what the
 * signal needs (3.2 million samples), the signal is sent once the log holds stored samples (a
 * deterministic point, not a moment in time), and the run must stop short of its total with exit
 * code 130, keeping every stored sample for the next run. No assertion depends on the machine's speed.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir.ts';

const bin = resolve(import.meta.dirname, '../../harness/cli/bin.mjs');
const TOTAL = 40 * 80_000;

const config = `name: long-sim
seed: 2
datasets:
  - quickstart-math
models:
  - id: sim-8b
    provider: sim
    profile: llama-3-8b-instruct-math
sampling:
  samples: 80000
  k: [1, 10]
`;

function storedLines(path: string): number {
  if (!existsSync(path)) return 0;
  return readFileSync(path, 'utf8').split('\n').filter((line) => line.endsWith('}')).length;
}

describe('Ctrl-C on a long sim run', () => {
  it('stops short of the total with exit 130 and keeps what it stored', async () => {
    const dir = tempDir('sb-sigint-');
    writeFileSync(join(dir, 'long.yaml'), config);
    const log = join(dir, 'reports', 'long-sim', 'samples.jsonl');
    const child = spawn(process.execPath, [bin, 'run', 'long.yaml', '--no-report'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdout.resume();
    let signalled = false;
    const timer = setInterval(() => {
      if (!signalled && storedLines(log) >= 640) {
        signalled = true;
        child.kill('SIGINT');
      }
    }, 20);
    const code = await new Promise<number | null>((resolvePromise) => child.on('exit', (exitCode) => resolvePromise(exitCode)));
    clearInterval(timer);
    expect(signalled).toBe(true);
    expect(code).toBe(130);
    expect(stderr).toContain('interrupted: flushing stored samples');
    const stored = storedLines(log);
    expect(stored).toBeGreaterThanOrEqual(640);
    expect(stored).toBeLessThan(TOTAL);
    const manifest = JSON.parse(readFileSync(join(dir, 'reports', 'long-sim', 'run.json'), 'utf8')) as { sessions: Array<{ outcome: string }> };
    expect(manifest.sessions.at(-1)?.outcome).toBe('interrupted');
  }, 120_000);
});
