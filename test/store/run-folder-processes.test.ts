/**
 * End to end, with real CLI processes on a sim config: two `run`s of one folder at once, and
 * `report` SIGKILLed at several moments. The assertions hold wherever a kill lands.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCK_FILE, type LockHolder } from '../../harness/store/run-lock.ts';
import { readSampleLog, SAMPLES_FILE } from '../../harness/store/sample-log.ts';

const bin = resolve(import.meta.dirname, '../../harness/cli/bin.mjs');
const folders: string[] = [];
const children: Array<ReturnType<typeof spawn>> = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

const config = `name: shared
seed: 9
datasets:
  - id: quickstart-math
    limit: 20
models:
  - id: sim-8b
    provider: sim
    profile: llama-3-8b-instruct-math
    latencyMs: 2
sampling:
  samples: 60
  temperature: 0.7
concurrency: 2
`;

function cli(cwd: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let round = 0; round < 60_000; round += 1) {
    if (condition()) return;
    await new Promise((done) => setTimeout(done, 5));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('two runs of one config at once', { timeout: 180_000 }, () => {
  it('the second refuses, naming the holder; the folder ends with every slot exactly once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-twice-'));
    folders.push(dir);
    writeFileSync(join(dir, 'c.yaml'), config);
    const runDir = join(dir, 'reports', 'shared');
    const first = spawn(process.execPath, [bin, 'run', 'c.yaml', '--no-report'], { cwd: dir, stdio: 'ignore' });
    children.push(first);
    const exited = new Promise<number | null>((done) => first.on('exit', (code) => done(code)));
    await until(() => existsSync(join(runDir, LOCK_FILE)) || first.exitCode !== null, 'the first run to take the lock');
    expect(first.exitCode).toBe(null);
    // Hold the first run still while the second tries, so the overlap does not depend on speed.
    const holder = JSON.parse(readFileSync(join(runDir, LOCK_FILE), 'utf8')) as LockHolder;
    expect(holder.pid).toBe(first.pid);
    process.kill(holder.pid, 'SIGSTOP');
    let second: ReturnType<typeof cli>;
    try {
      second = cli(dir, ['run', 'c.yaml']);
    } finally {
      process.kill(holder.pid, 'SIGCONT');
    }
    expect(second.status).toBe(1);
    expect(second.stderr).toBe(
      `error [RUN_LOCKED]: ${runDir} is in use by another scaling-bench process: pid ${holder.pid} on host ${holder.hostname}, running \`scaling-bench run\` since ${holder.startedAt}\n` +
        `hint: Wait for that process to finish (or stop it: kill ${holder.pid}), then run the command again. Two processes writing one run folder would draw samples twice.\n`,
    );
    expect(await exited).toBe(0);
    const keys: string[] = [];
    for await (const record of readSampleLog(join(runDir, SAMPLES_FILE))) keys.push(`${record.cell}|${record.problem}|${record.index}`);
    expect(keys).toHaveLength(20 * 60);
    expect(new Set(keys).size).toBe(keys.length);
    const manifest = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as { sessions: Array<{ outcome: string }> };
    expect(manifest.sessions.map((session) => session.outcome)).toEqual(['completed']);
    expect(existsSync(join(runDir, LOCK_FILE))).toBe(false);
  });
});

/** Every file under `dir`, by relative path, with the report's time stamps blanked. */
function reportFiles(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (at: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (!['samples.jsonl', 'run.json', 'problems.jsonl', LOCK_FILE].includes(entry.name)) {
        files.set(relative(dir, path), readFileSync(path, 'latin1').replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, 'TIME'));
      }
    }
  };
  walk(dir);
  return files;
}

describe('report killed with SIGKILL', { timeout: 180_000 }, () => {
  it('leaves every report file at its previous or complete new version, wherever the kill lands', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-killrep-'));
    folders.push(dir);
    writeFileSync(join(dir, 'c.yaml'), config.replace('samples: 60', 'samples: 16'));
    const runDir = join(dir, 'reports', 'shared');
    expect(cli(dir, ['run', 'c.yaml']).status).toBe(0);
    const complete = reportFiles(runDir);
    expect(complete.has('metrics.csv')).toBe(true);
    expect(complete.has('index.html')).toBe(true);
    expect([...complete.keys()].some((name) => name.endsWith('.png'))).toBe(true);
    // Kill moments spread over the command's life; the check below does not depend on where they land.
    for (const delayMs of [0, 400, 800, 1200, 1600, 2000, 2600, 3200]) {
      const child = spawn(process.execPath, [bin, 'report', runDir], { cwd: dir, stdio: 'ignore' });
      children.push(child);
      const ended = new Promise<void>((done) => child.on('exit', () => done()));
      await new Promise((done) => setTimeout(done, delayMs));
      child.kill('SIGKILL');
      await ended;
      const now = reportFiles(runDir);
      for (const [name, content] of now) {
        if (/\.tmp-\d+-[0-9a-f]+$/.test(name)) continue; // a kill cannot remove its temporary file; the next command does
        expect(content === complete.get(name), name).toBe(true);
      }
      for (const name of complete.keys()) expect(now.has(name), name).toBe(true);
    }
    expect(cli(dir, ['report', runDir]).status).toBe(0);
    const after = reportFiles(runDir);
    expect([...after.keys()].sort()).toEqual([...complete.keys()].sort());
    expect(existsSync(join(runDir, LOCK_FILE))).toBe(false);
  });
});
