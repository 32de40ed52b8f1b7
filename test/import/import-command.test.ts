import { tempDir } from '../helpers/temp-dir.ts';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Problem, Verdict } from '../../harness/core/types.ts';
import { importCommand, mergeCommand } from '../../harness/import/import-command.ts';
import { readManifest } from '../../harness/store/run-manifest.ts';
import { startFakeHub, type FakeHub } from '../fakes/fake-hub.ts';
import { countCorrect, monkeyRow, writeMonkeyJsonl, writeMonkeyParquet } from './helpers.ts';

const REPO = 'ScalingIntelligence/monkey_business';
const CONFIG = 'GSM8K_Llama-3-8B-Instruct';

function output(isTTY = false): { write(text: string): void; text(): string; isTTY: boolean } {
  const chunks: string[] = [];
  return { write: (text: string) => void chunks.push(text), text: () => chunks.join(''), isTTY };
}

describe('importCommand with a Hugging Face dataset id (fake Hub)', () => {
  let hub: FakeHub;
  let home: string;
  beforeEach(async () => {
    hub = await startFakeHub();
    home = tempDir('import-command-');
    const parquetDir = tempDir('import-command-parquet-');
    const rows = [monkeyRow(0, 300, 30, 1), monkeyRow(1, 300, 0, 2), monkeyRow(2, 300, 299, 3)];
    writeMonkeyParquet(join(parquetDir, '0.parquet'), rows.slice(0, 2), 1);
    writeMonkeyParquet(join(parquetDir, '1.parquet'), rows.slice(2), 1);
    hub.addFile(REPO, 'refs/convert/parquet', `${CONFIG}/test/0000.parquet`, readFileSync(join(parquetDir, '0.parquet')));
    hub.addFile(REPO, 'refs/convert/parquet', `${CONFIG}/test/0001.parquet`, readFileSync(join(parquetDir, '1.parquet')));
  });
  afterEach(async () => {
    await hub.close();
  });

  it('downloads the config and split into the Hub cache, shows progress, and imports it', async () => {
    const stdout = output();
    const env = { HF_ENDPOINT: hub.endpoint, HF_HOME: join(home, 'hf') };
    const code = await importCommand({ source: REPO, config: CONFIG, split: 'test' }, { env, stdout, cwd: home });
    expect(stdout.text()).toContain(`downloading ${CONFIG}/test/0000.parquet: 100%`);
    expect(code).toBe(0);
    const outDir = join(home, 'reports', CONFIG);
    expect(stdout.text()).toContain(`imported 900 samples of 3 problems (monkey-business) into ${outDir}\n`);
    const snapshot = join(home, 'hf', 'hub', 'datasets--ScalingIntelligence--monkey_business', 'snapshots', hub.commitOf(REPO), CONFIG, 'test');
    expect(existsSync(join(snapshot, '0000.parquet'))).toBe(true);
    const manifest = readManifest(outDir);
    expect(manifest.imported?.source).toBe(`hf://datasets/${REPO}/${CONFIG}/test`);
    expect(manifest.cells.map((cell) => cell.id)).toEqual(['Llama-3-8B-Instruct/gsm8k/think0/t0.6']);
    expect([...(await countCorrect(join(outDir, 'samples.jsonl'))).values()].map((entry) => entry.c)).toEqual([30, 0, 299]);

    // A second import reads the cache: no new download.
    const downloads = hub.requests.filter((request) => request.path.startsWith('/cdn/')).length;
    expect(await importCommand({ source: REPO, config: CONFIG, out: join(home, 'again') }, { env, stdout: output(), cwd: home })).toBe(0);
    expect(hub.requests.filter((request) => request.path.startsWith('/cdn/')).length).toBe(downloads);
  });

  it('draws a progress bar on a terminal', async () => {
    const stdout = output(true);
    const code = await importCommand({ source: REPO, config: CONFIG, limit: 1 }, { env: { HF_ENDPOINT: hub.endpoint, HF_HUB_CACHE: join(home, 'cache') }, stdout, cwd: home });
    expect(code).toBe(0);
    expect(stdout.text()).toMatch(/\r\S+0000\.parquet █{30} 100% [\d.]+\/[\d.]+ MB\n/);
    expect(stdout.text()).toContain('imported 300 samples of 1 problems');
  });

  it.each([
    [{ source: REPO }, 2, /no --config was given/],
    [{ source: REPO, config: 'MATH_Nope' }, 2, /config name 'MATH_Nope' and split 'test'/],
    [{ source: REPO, config: CONFIG, format: 'csv' }, 2, /unknown import format 'csv' \(valid: monkey-business, lm-eval, jsonl, codet, qwen-math\)/],
  ])('%j exits %i with a message and a hint', async (argv, exitCode, message) => {
    const stdout = output();
    const stderr = output();
    expect(await importCommand(argv, { env: { HF_ENDPOINT: hub.endpoint, HF_HUB_CACHE: join(home, 'cache') }, stdout, stderr, cwd: home })).toBe(exitCode);
    expect(stderr.text()).toMatch(message);
    expect(stderr.text()).toMatch(/\nhint: /);
  });

  it('a gated dataset without HF_TOKEN exits 2 with the HF_TOKEN hint', async () => {
    hub.gate(REPO, 'hf_secret');
    const stderr = output();
    expect(await importCommand({ source: REPO, config: CONFIG }, { env: { HF_ENDPOINT: hub.endpoint, HF_HUB_CACHE: join(home, 'cache') }, stdout: output(), stderr, cwd: home })).toBe(2);
    expect(stderr.text()).toContain('HF_TOKEN');
    expect(stderr.text()).not.toContain('hf_secret');
  });
});

describe('importCommand with local files', () => {
  it('regrades, prints the agreement and the disagreements', async () => {
    const home = tempDir('import-local-');
    const row = monkeyRow(0, 10, 4, 9);
    row.is_corrects[0] = !row.is_corrects[0];
    mkdirSync(join(home, CONFIG));
    writeMonkeyJsonl(join(home, CONFIG, 'rows.jsonl'), [row]);
    const stdout = output();
    const verifierFor = () => ({
      kind: 'gsm8k',
      async verify(problem: Problem, text: string): Promise<Verdict> {
        const answer = /final answer is (\S+?)\. I hope/.exec(text)?.[1] ?? null;
        return { correct: answer === problem.answer, answer, answerKey: answer, reason: answer === problem.answer ? 'equal' : 'not-equal' };
      },
    });
    const code = await importCommand({ source: CONFIG, regrade: true, out: 'run' }, { env: {}, stdout, cwd: home, verifierFor });
    expect(code).toBe(0);
    expect(stdout.text()).toContain('agreement with the recorded verdicts 9/10 = 90.00% (details in agreement.json)\n');
    expect(stdout.text()).toMatch(/ {2}1000#0: recorded (correct|wrong), regraded (correct|wrong) \((equal|not-equal); answer "\S+", gold "7"\)\n/);
    expect(existsSync(join(home, 'run', 'agreement.json'))).toBe(true);
  });

  it('mergeCommand merges two imports of overlapping shards', async () => {
    const home = tempDir('merge-command-');
    writeMonkeyJsonl(join(home, `${CONFIG}.jsonl`), [monkeyRow(0, 50, 5, 1)]);
    const env = {};
    expect(await importCommand({ source: `${CONFIG}.jsonl`, out: 'a' }, { env, stdout: output(), cwd: home })).toBe(0);
    expect(await importCommand({ source: `${CONFIG}.jsonl`, out: 'b' }, { env, stdout: output(), cwd: home })).toBe(0);
    const stdout = output();
    expect(await mergeCommand({ runDirs: ['a', 'b'], out: 'merged' }, { env, stdout, cwd: home })).toBe(0);
    expect(stdout.text()).toBe(`merged 2 runs into ${join(home, 'merged')}: 50 samples written of 100 read\nduplicates skipped: 50 same-index (details in merge.json)\n`);
    const stderr = output();
    expect(await mergeCommand({ runDirs: ['a'], out: 'merged2' }, { env, stdout: output(), stderr, cwd: home })).toBe(2);
    expect(stderr.text()).toMatch(/^error \[[A-Z_]+\]: merge needs at least two run directories \(got 1\)\nhint: /);
  });
});
