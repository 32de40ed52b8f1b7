/**
 * configs/stdio-sim.yaml end to end: the sim samples programs for the project's stdio-mini set,
 * the stdio verifier judges them in the sandbox, and the report is written.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../harness/cli/main.ts';
import { captureCli } from '../helpers/capture-cli.ts';

describe('configs/stdio-sim.yaml', () => {
  it('runs into the report with stdio verdicts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-stdio-sim-'));
    try {
      const config = readFileSync(new URL('../../configs/stdio-sim.yaml', import.meta.url), 'utf8')
        .replace('samples: 16', 'samples: 4')
        .replace('k: [1, 2, 4, 8, 16]', 'k: [1, 2, 4]');
      writeFileSync(join(dir, 'stdio-sim.yaml'), `${config}outputDir: ${join(dir, 'reports')}\n`);
      const deps = captureCli(dir);
      expect(await main(['run', 'stdio-sim.yaml'], deps)).toBe(0);
      const runDir = join(dir, 'reports', 'stdio-sim');
      const samples = readFileSync(join(runDir, 'samples.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { verdict: { correct: boolean; reason: string } });
      expect(samples.length).toBe(24);
      for (const { verdict } of samples) {
        expect(verdict.reason).toMatch(verdict.correct ? /^accepted$/ : /^(wrong-answer|time-limit|runtime-error|output-limit) test \d+/);
      }
      expect(samples.some(({ verdict }) => verdict.correct)).toBe(true);
      const metrics = readFileSync(join(runDir, 'metrics.csv'), 'utf8').trim().split('\n');
      expect(metrics.filter((line) => line.startsWith('sim-llama-3-8b,stdio-mini,')).length).toBe(3);
      expect(readFileSync(join(runDir, 'index.html'), 'utf8')).toContain('stdio-mini');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
