import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const bin = resolve(import.meta.dirname, '../../harness/cli/bin.mjs');

const config = `name: sharded
seed: 3
datasets:
  - quickstart-math
  - quickstart-gsm
models:
  - id: sim-8b
    provider: sim
    profile: llama-3-8b-instruct-math
sampling:
  samples: 48
  temperature: 0.7
concurrency: 2
report:
  bootstrapDraws: 200
`;

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sb-shards-'));
  made.push(dir);
  writeFileSync(join(dir, 'c.yaml'), config);
  return dir;
}

function cli(cwd: string, args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function lineCount(path: string): number {
  if (!existsSync(path)) return 0;
  return readFileSync(path, 'utf8').split('\n').filter((line) => line.endsWith('}')).length;
}

/** Starts a shard and SIGKILLs it once its log holds at least `samples` records (polling the file). */
function runAndKillAfter(cwd: string, args: string[], log: string, samples: number): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, stdio: 'ignore' });
    const timer = setInterval(() => {
      const stored = lineCount(log);
      if (stored >= samples) {
        clearInterval(timer);
        child.kill('SIGKILL');
        resolvePromise(stored);
      }
    }, 5);
    child.on('exit', (code, signal) => {
      clearInterval(timer);
      if (signal !== 'SIGKILL') reject(new Error(`shard ended (code ${code}) before it could be killed`));
    });
  });
}

describe('a config drawn as 4 shards (one killed and run again) and merged', { timeout: 180_000 }, () => {
  it('gives a metrics.csv byte-identical to the unsharded run, and to the run with its log shuffled', async () => {
    const whole = folder();
    const straight = cli(whole, ['run', 'c.yaml']);
    expect(straight.stderr).toBe('');
    expect(straight.status).toBe(0);
    const expected = readFileSync(join(whole, 'reports', 'sharded', 'metrics.csv'), 'utf8');

    const sharded = folder();
    const killedLog = join(sharded, 'reports', 'sharded', 'shards', '1-of-4', 'samples.jsonl');
    const storedAtKill = await runAndKillAfter(sharded, ['run', 'c.yaml', '--shard', '1/4'], killedLog, 200);
    expect(storedAtKill).toBeGreaterThanOrEqual(200);
    for (const index of [0, 1, 2, 3]) {
      const shard = cli(sharded, ['run', 'c.yaml', '--shard', `${index}/4`]);
      expect(shard.status).toBe(0);
      expect(shard.stdout).toContain(`shards/${index}-of-4`);
    }
    const merged = cli(sharded, ['merge', 'reports/sharded']);
    expect(merged.stderr).toBe('');
    expect(merged.status).toBe(0);
    const report = cli(sharded, ['report', 'reports/sharded']);
    expect(report.status).toBe(0);
    expect(readFileSync(join(sharded, 'reports', 'sharded', 'metrics.csv'), 'utf8')).toBe(expected);

    // The same samples in another order give the same bytes.
    const log = join(whole, 'reports', 'sharded', 'samples.jsonl');
    const lines = readFileSync(log, 'utf8').split('\n').filter((line) => line !== '');
    writeFileSync(log, `${[...lines.filter((_, position) => position % 3 === 2), ...lines.filter((_, position) => position % 3 !== 2).reverse()].join('\n')}\n`);
    expect(cli(whole, ['report', 'reports/sharded']).status).toBe(0);
    expect(readFileSync(join(whole, 'reports', 'sharded', 'metrics.csv'), 'utf8')).toBe(expected);
  }, 600_000);

  it('names a missing shard and exits 1; refuses shards of different settings, naming the setting', () => {
    const dir = folder();
    for (const index of [0, 2]) expect(cli(dir, ['run', 'c.yaml', '--shard', `${index}/3`, '--no-report']).status).toBe(0);
    const merged = cli(dir, ['merge', 'reports/sharded']);
    expect(merged.status).toBe(1);
    expect(merged.stderr).toContain('missing shards: 1-of-3');

    writeFileSync(join(dir, 'c.yaml'), config.replace('temperature: 0.7', 'temperature: 0.9'));
    expect(cli(dir, ['run', 'c.yaml', '--shard', '1/3', '--no-report']).status).toBe(0);
    const refused = cli(dir, ['merge', 'reports/sharded']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('error [MERGE_SETTINGS_DIFFER]');
    expect(refused.stderr).toContain('temperature');
  }, 300_000);
});
