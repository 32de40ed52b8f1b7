/**
 * Killing the harness (SIGKILL, no clean-up of its own) while it runs code leaves no process of
 * the sandbox uid and no sandbox folder: each fork server's reaper sweeps the uid and removes
 * the folder when the server dies. The kill comes after the 3rd verdict, once the 4th sample's
 * daemon (setsid + double fork) is seen in /proc: a deterministic point, not a timer.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const isRoot = process.getuid?.() === 0;
const fixture = fileURLToPath(new URL('./fixtures/regrade-until-killed.ts', import.meta.url));
const runTs = fileURLToPath(new URL('../../../harness/cli/run-ts.mjs', import.meta.url));

/** Live processes owned by `uid`, with their command names (from /proc). */
function processesOf(uid: number): Array<{ pid: number; name: string }> {
  const found: Array<{ pid: number; name: string }> = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      const owner = /^Uid:\s+(\d+)/m.exec(status);
      const state = /^State:\s+(\w)/m.exec(status);
      const name = /^Name:\s+(.*)$/m.exec(status);
      if (owner && Number(owner[1]) === uid && state?.[1] !== 'Z') found.push({ pid: Number(entry), name: name?.[1] ?? '' });
    } catch {
      // Ended while being read.
    }
  }
  return found;
}

/** Waits until `condition` holds, checking every 20 ms; fails after `limitMs` (a safety net, not a timing assertion). */
async function waitFor(condition: () => boolean, limitMs = 30_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > limitMs) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('sandbox teardown when the harness dies', () => {
  it.skipIf(!isRoot)('leaves no process of the sandbox uid after SIGKILL mid-regrade (needs root: a dedicated uid)', async () => {
    const child = spawn(process.execPath, [runTs, fixture, '3'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines: string[] = [];
    createInterface({ input: child.stdout }).on('line', (line) => lines.push(line));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      await waitFor(() => lines.some((line) => line.startsWith('verdict 2 ')));
      const uid = Number(/^sandbox (\d+)$/.exec(lines[0] ?? '')?.[1]);
      expect(Number.isInteger(uid)).toBe(true);
      expect(lines.slice(1)).toEqual(['verdict 0 passed', 'verdict 1 passed', 'verdict 2 passed']);
      await waitFor(() => processesOf(uid).some((process) => process.name === 'sb-daemon'));
      child.kill('SIGKILL');
      await exited;
      await waitFor(() => processesOf(uid).length === 0);
      expect(processesOf(uid)).toEqual([]);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
