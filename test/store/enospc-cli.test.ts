/** The real CLI on a sim config whose disk "fills up" mid-run (one write fails with ENOSPC). */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSampleLog, SAMPLES_FILE } from '../../harness/store/sample-log.ts';

const bin = resolve(import.meta.dirname, '../../harness/cli/bin.mjs');
const preload = resolve(import.meta.dirname, 'enospc-preload.mjs');
const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

const config = `name: full
seed: 2
datasets:
  - id: quickstart-math
    limit: 10
models:
  - id: sim-8b
    provider: sim
    profile: llama-3-8b-instruct-math
sampling:
  samples: 100
  temperature: 0.7
`;

function run(cwd: string, env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, 'run', 'c.yaml'], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('run when the disk fills up', () => {
  it('exits 1 with SAMPLE_LOG_WRITE_FAILED, writes no report, keeps a valid log; the rerun completes with every slot once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-enospc-'));
    folders.push(dir);
    writeFileSync(join(dir, 'c.yaml'), config);
    const runDir = join(dir, 'reports', 'full');
    const failed = run(dir, { NODE_OPTIONS: `--import=${preload}`, SB_TEST_ENOSPC_AT: '3' });
    expect(failed.status).toBe(1);
    const samplesPath = join(runDir, SAMPLES_FILE);
    expect(failed.stderr).toBe(
      `error [SAMPLE_LOG_WRITE_FAILED]: could not write sample log ${samplesPath}: ENOSPC: no space left on device, write\n` +
        `hint: The disk (or your quota) is full: free space where ${samplesPath} lives (see \`df -h\`), then run the same command again.\n`,
    );
    expect(existsSync(join(runDir, 'metrics.csv'))).toBe(false);
    const text = readFileSync(samplesPath, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.split('\n').filter((line) => line !== '');
    expect(lines).toHaveLength(2 * 64);
    expect(lines.every((line) => (JSON.parse(line) as { status: string }).status === 'ok')).toBe(true);
    const manifest = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as { sessions: Array<{ outcome: string; error?: { code: string } }> };
    expect(manifest.sessions.map((session) => [session.outcome, session.error?.code])).toEqual([['failed', 'SAMPLE_LOG_WRITE_FAILED']]);

    const rerun = run(dir, {});
    expect(rerun.stderr).toBe('');
    expect(rerun.status).toBe(0);
    const keys: string[] = [];
    for await (const record of readSampleLog(samplesPath)) keys.push(`${record.cell}|${record.problem}|${record.index}`);
    expect(keys).toHaveLength(10 * 100);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
