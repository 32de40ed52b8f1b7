/** `report --k`, `import --k`, `import --scores … --report`: k lists and recorded scores from the command line. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseKList } from '../../harness/cli/k-list.ts';
import { main } from '../../harness/cli/main.ts';
import { HarnessError } from '../../harness/core/errors.ts';
import { readManifest } from '../../harness/store/run-manifest.ts';
import { captureCli } from '../helpers/capture-cli.ts';
import { hasSharedData, sharedDataDir } from '../helpers/shared-data.ts';

const folders: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sb-report-options-'));
  folders.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

function column(csv: string, name: string): string[] {
  const [header, ...lines] = csv.trim().split('\n');
  const index = (header ?? '').split(',').indexOf(name);
  return lines.map((line) => line.split(',')[index] ?? '');
}

describe('parseKList', () => {
  it.each([
    ['1,10,100', [1, 10, 100]],
    [' 100, 1 ,10,10', [1, 10, 100]],
  ])('%j → %j', (text, expected) => {
    expect(parseKList(text)).toEqual(expected);
  });

  it.each(['', '1,x', '0,1', '1.5'])('rejects %j with K_LIST_INVALID', (text) => {
    let caught: unknown;
    try {
      parseKList(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(HarnessError);
    expect((caught as HarnessError).code).toBe('K_LIST_INVALID');
    expect((caught as HarnessError).exitCode).toBe(2);
  });
});

const qwenFile = join(sharedDataDir(), 'samples-math-qwen25-math-8', 'math_cot_100.jsonl');

describe.skipIf(!hasSharedData())('import --scores, --k and --report on the recorded Qwen2.5-Math samples', () => {
  it('reproduces best-of-8 = 94.0% in one command, and report --k recomputes at other ks', async () => {
    const dir = tempDir();
    const out = join(dir, 'qwen');
    const deps = captureCli(dir);
    expect(await main(['import', qwenFile, '--format', 'qwen-math', '--scores', qwenFile, '--k', '1,2,8', '--out', out, '--report'], deps)).toBe(0);
    expect(deps.out()).toContain('scored 800 samples with the recorded reward-model scores');
    // Recorded samples carry no token counts: the compute-optimal section says why it is left out instead of failing the report.
    expect(deps.out()).toContain('note: compute-optimal (math): skipped, the samples carry no tokens');
    expect(deps.out()).toContain(
      'qwen2.5-math-instruct, answer selection at k = 8: best-of-k (recorded reward model) 94.0%, weighted vote (recorded reward model) 94.0% (coverage@8 96.0%, majority@8 92.5%).',
    );
    expect((readManifest(out).config as { ks?: number[] }).ks).toEqual([1, 2, 8]);
    const metrics = readFileSync(join(out, 'metrics.csv'), 'utf8');
    expect(column(metrics, 'k')).toEqual(['1', '2', '8']);
    // The README's table: best-of-k 91.0%, 92.8%, 94.0% at k = 1, 2, 8.
    expect(column(metrics, 'selection_best_of_k_recorded_reward_model')).toEqual(['0.91', '0.927857', '0.94']);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('<section id="selection">');

    const again = captureCli(dir);
    expect(await main(['report', out, '--k', '1,4'], again)).toBe(0);
    expect(column(readFileSync(join(out, 'metrics.csv'), 'utf8'), 'k')).toEqual(['1', '4']);
    const bestOf4 = Number(column(readFileSync(join(out, 'metrics.csv'), 'utf8'), 'selection_best_of_k_recorded_reward_model')[1]);
    expect(bestOf4).toBeCloseTo(0.936, 3);
  });

  it('exits 2 on a bad --k', async () => {
    const dir = tempDir();
    const deps = captureCli(dir);
    expect(await main(['report', dir, '--k', '1,ten'], deps)).toBe(2);
    expect(deps.err()).toContain('K_LIST_INVALID');
  });
});
