/**
 * A config run end to end on the embedded engine with a tiny GGUF the test writes: samples stored
 * with usage and distinct seeds, SIGKILL after the 6th stored sample, the same command resumes
 * with no sample lost or duplicated, then the report. Skips only without node-llama-cpp outside CI.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeTinyGguf } from '../fakes/tiny-gguf.ts';

const bin = resolve(import.meta.dirname, '../../harness/cli/bin.mjs');
const installed = ((): boolean => {
  try {
    createRequire(import.meta.url).resolve('node-llama-cpp');
    return true;
  } catch {
    return false;
  }
})();

const config = `name: tiny
seed: 5
datasets:
  - id: quickstart-math
    limit: 3
models:
  - id: tiny
    provider: llama-cpp
    modelPath: tiny.gguf
    gpuLayers: 0
    threads: 1
    parallel: 2
    contextSize: 1024
    params: 1.0e6
sampling:
  samples: 4
  temperature: 0.8
  maxTokens: 16
`;

function storedLines(cwd: string): Array<{ problem: string; index: number; seed: number; status: string; usage?: { completionTokens: number; promptTokens: number } }> {
  const path = join(cwd, 'reports', 'tiny', 'samples.jsonl');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter((line) => line.endsWith('}')).map((line) => JSON.parse(line));
}

function runAndKillAfter(cwd: string, samples: number): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [bin, 'run', 'c.yaml'], { cwd, stdio: 'ignore' });
    const timer = setInterval(() => {
      if (storedLines(cwd).length >= samples) {
        clearInterval(timer);
        child.kill('SIGKILL');
      }
    }, 5);
    // Resolved once the killed run is gone (not at the kill): until then its pid is alive, and the
    // resumed run would keep the killed run's scratch folder as a live process's.
    child.on('exit', (code, signal) => {
      clearInterval(timer);
      if (signal === 'SIGKILL') resolvePromise();
      else reject(new Error(`run ended (code ${code}) before it could be killed`));
    });
  });
}

describe.runIf(installed || process.env.CI !== undefined)('llama-cpp run on a test-built GGUF', () => {
  it('stores samples, survives SIGKILL after the 6th sample, resumes without loss or duplicates, reports', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'sb-llama-run-'));
    try {
      writeFileSync(join(cwd, 'c.yaml'), config);
      await writeTinyGguf(join(cwd, 'tiny.gguf'));
      await runAndKillAfter(cwd, 6);
      const result = spawnSync(process.execPath, [bin, 'run', 'c.yaml'], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      expect(result.status).toBe(0);
      const records = storedLines(cwd).filter((record) => record.status === 'ok');
      const keys = records.map((record) => `${record.problem}#${record.index}`);
      expect(new Set(keys).size).toBe(12);
      expect(keys.length).toBe(12);
      expect(new Set(records.map((record) => record.seed))).toEqual(new Set([5, 6, 7, 8]));
      for (const record of records) {
        expect(record.usage?.completionTokens).toBeGreaterThan(0);
        expect(record.usage?.completionTokens).toBeLessThanOrEqual(16);
        expect(record.usage?.promptTokens).toBeGreaterThan(0);
      }
      expect(existsSync(join(cwd, 'reports', 'tiny', 'index.html'))).toBe(true);
      expect(existsSync(join(cwd, 'reports', 'tiny', 'metrics.csv'))).toBe(true);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 300_000);
});
