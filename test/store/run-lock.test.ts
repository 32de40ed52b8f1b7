import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireRunLock, isZombieStat, LOCK_FILE, processIsAlive, RunLockedError, type LockHolder } from '../../harness/store/run-lock.ts';
import { endOpenSessions, readManifest, SESSION_LOST, writeManifest, type RunManifest } from '../../harness/store/run-manifest.ts';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});
function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sb-lock-'));
  folders.push(dir);
  return dir;
}
const at = (): Date => new Date('2026-12-05T09:00:00.000Z');

describe('run lock', () => {
  it('holds pid, host, command and start time; a second taker is refused with the holder named; release frees it', () => {
    const dir = folder();
    const lock = acquireRunLock(dir, { command: 'run', pid: 4242, hostname: 'node-a', now: at, isAlive: () => true });
    const holder = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as LockHolder;
    expect({ ...holder, token: '' }).toEqual({ pid: 4242, hostname: 'node-a', command: 'run', startedAt: '2026-12-05T09:00:00.000Z', token: '' });
    let refused: RunLockedError | undefined;
    try {
      acquireRunLock(dir, { command: 'report', pid: 5000, hostname: 'node-a', isAlive: () => true });
    } catch (error) {
      refused = error as RunLockedError;
    }
    expect(refused).toBeInstanceOf(RunLockedError);
    expect(refused?.code).toBe('RUN_LOCKED');
    expect(refused?.exitCode).toBe(1);
    expect(refused?.message).toBe(`${dir} is in use by another scaling-bench process: pid 4242 on host node-a, running \`scaling-bench run\` since 2026-12-05T09:00:00.000Z`);
    expect(refused?.hint).toContain('kill 4242');
    lock.release();
    lock.release();
    expect(readdirSync(dir)).toEqual([]);
    acquireRunLock(dir, { command: 'report', hostname: 'node-a' }).release();
  });

  it('takes over a lock whose holder is dead on this host, and removes temporary files a kill left', () => {
    const dir = folder();
    acquireRunLock(dir, { command: 'run', pid: 4242, hostname: 'node-a' }); // never released: the holder "died"
    writeFileSync(join(dir, '.metrics.csv.tmp-4242-0badf00d'), 'part');
    const lock = acquireRunLock(dir, { command: 'run', pid: 77, hostname: 'node-a', isAlive: (pid) => pid !== 4242 });
    expect((JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as LockHolder).pid).toBe(77);
    expect(readdirSync(dir)).toEqual([LOCK_FILE]);
    lock.release();
  });

  it('a lock from another host is never taken over: the error says how to break it', () => {
    const dir = folder();
    acquireRunLock(dir, { command: 'run', pid: 4242, hostname: 'node-b' });
    let refused: RunLockedError | undefined;
    try {
      acquireRunLock(dir, { command: 'run', hostname: 'node-a', isAlive: () => false });
    } catch (error) {
      refused = error as RunLockedError;
    }
    expect(refused?.holder?.hostname).toBe('node-b');
    expect(refused?.hint).toBe(
      `Wait for that process to finish, then run the command again. If it is gone (its machine crashed), delete ${join(dir, LOCK_FILE)} and run again; only do so when you are sure, since two writers would draw samples twice.`,
    );
  });

  it('a release does not remove a lock another process took over meanwhile', () => {
    const dir = folder();
    const first = acquireRunLock(dir, { command: 'run', pid: 1, hostname: 'h' });
    const second = acquireRunLock(dir, { command: 'run', pid: 2, hostname: 'h', isAlive: (pid) => pid !== 1 });
    first.release();
    expect((JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as LockHolder).pid).toBe(2);
    second.release();
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('processIsAlive', () => {
  it('is true for this process, false for a zombie or dead state in /proc/<pid>/stat', () => {
    expect(processIsAlive(process.pid)).toBe(true);
    expect(isZombieStat('24611 (node) Z 24000 24611 24000 0 -1 4228164')).toBe(true);
    expect(isZombieStat('24611 (MainThread) X 24000')).toBe(true);
    expect(isZombieStat('24611 (odd (name) Z) S 24000 24611')).toBe(false);
    expect(isZombieStat('24611 (node) R 24000 24611')).toBe(false);
  });
});

describe.skipIf(process.platform !== 'linux')('a holder killed but not yet reaped (a zombie)', () => {
  it('is stale: its lock is taken over', () => {
    const dir = folder();
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const pid = child.pid as number;
    acquireRunLock(dir, { command: 'run', pid });
    child.kill('SIGKILL');
    // Stay synchronous, so this process cannot reap the child: wait until the kernel shows it dead.
    const stat = (): string => readFileSync(`/proc/${pid}/stat`, 'utf8');
    while (!isZombieStat(stat())) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    expect(() => process.kill(pid, 0)).not.toThrow();
    const lock = acquireRunLock(dir, { command: 'run' });
    expect((JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as LockHolder).pid).toBe(process.pid);
    lock.release();
  });
});

describe('endOpenSessions', () => {
  it('records sessions left `running` by a killed process as interrupted with SESSION_LOST', () => {
    const dir = folder();
    const manifest: RunManifest = {
      version: 1,
      name: 'x',
      config: {},
      cells: [],
      versions: {},
      startedAt: '2026-12-05T08:00:00.000Z',
      sessions: [
        { startedAt: '2026-12-05T08:00:00.000Z', finishedAt: '2026-12-05T08:10:00.000Z', drawn: 5, errors: 0, outcome: 'completed' },
        { startedAt: '2026-12-05T08:20:00.000Z', drawn: 0, errors: 0, outcome: 'running' },
      ],
    };
    writeManifest(dir, manifest);
    expect(endOpenSessions(dir, 'interrupted', SESSION_LOST)).toBe(1);
    const sessions = readManifest(dir).sessions;
    expect(sessions[1]).toEqual({ startedAt: '2026-12-05T08:20:00.000Z', drawn: 0, errors: 0, outcome: 'interrupted', error: { code: 'SESSION_LOST', message: SESSION_LOST.message } });
    expect(endOpenSessions(dir, 'interrupted', SESSION_LOST)).toBe(0);
  });
});
