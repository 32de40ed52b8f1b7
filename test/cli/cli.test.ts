import { tempDir } from '../helpers/temp-dir.ts';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../harness/cli/main.ts';
import { captureCli } from '../helpers/capture-cli.ts';
import { readManifest, writeManifest } from '../../harness/store/run-manifest.ts';


const smallConfig = `name: cli-demo
seed: 3
datasets:
  - id: quickstart-math
    limit: 5
models:
  - id: sim-8b
    provider: sim
    profile: llama-3-8b-instruct-math
  - id: sim-70b
    provider: sim
    profile: llama-3-70b-instruct-math
sampling:
  samples: 16
`;

describe('scaling-bench CLI', () => {
  it('exits 2 with the misspelt key named and a suggestion', async () => {
    const dir = tempDir('sb-cli-');
    writeFileSync(join(dir, 'bad.yaml'), smallConfig.replace('samples: 16', 'samples: 16\n  temprature: 0.7'));
    const deps = captureCli(dir);
    expect(await main(['run', 'bad.yaml'], deps)).toBe(2);
    expect(deps.err()).toBe(
      "error [CONFIG_INVALID]: bad.yaml: invalid config\n  - unknown key 'temprature' (did you mean 'temperature'?) in sampling\nhint: Valid keys there: samples, k, temperature, topP, maxTokens, thinkingBudgets, stop.\n",
    );
  });

  it('exits 2 on an unknown command, naming it', async () => {
    const deps = captureCli(tmpdir());
    expect(await main(['runn', 'x.yaml'], deps)).toBe(2);
    expect(deps.err()).toBe("error [USAGE]: unknown command 'runn' (did you mean 'run'?)\nhint: Run `scaling-bench --help` for the commands and their options.\n");
  });

  it('exits 2 when a dataset is missing, saying how to get it', async () => {
    const dir = tempDir('sb-cli-');
    writeFileSync(join(dir, 'c.yaml'), smallConfig.replace('quickstart-math', 'math500'));
    const deps = captureCli(dir, { SCALING_BENCH_DATA: join(dir, 'nowhere'), HF_HUB_CACHE: join(dir, 'hub') });
    expect(await main(['run', 'c.yaml'], deps)).toBe(2);
    expect(deps.err()).toMatch(/^error \[DATASET_MISSING\]: dataset 'math500' not found/);
    expect(deps.err()).toMatch(/; SCALING_BENCH_DATA is .*nowhere\n/);
    expect(deps.err()).toMatch(/hint: Point SCALING_BENCH_DATA at a folder laid out as <dataset>\/<file> \(e\.g\. math500\/…\): `SCALING_BENCH_DATA=\/path\/to\/datasets scaling-bench run c\.yaml`, or download it from the Hugging Face Hub: `scaling-bench datasets prepare math500`\.\n$/);
    // The config error was caught after the run folder was made: no empty folder is left behind.
    expect(existsSync(join(dir, 'reports', 'cli-demo'))).toBe(false);
  });

  it('plan prints the grid of cells with requests, samples and tokens', async () => {
    const dir = tempDir('sb-cli-');
    writeFileSync(join(dir, 'c.yaml'), smallConfig);
    const deps = captureCli(dir);
    expect(await main(['plan', 'c.yaml'], deps)).toBe(0);
    const lines = deps.out().split('\n');
    expect(lines[0]).toBe('plan for cli-demo: k = 1, 2, 4, 8, 10, 16');
    expect(lines.filter((line) => line.startsWith('sim-'))).toHaveLength(2);
    expect(lines.find((line) => line.startsWith('sim-8b/quickstart-math/think0/t0.6'))?.split(/\s{2,}/).slice(1, 4)).toEqual(['5', '80', '5']);
  });

  it('run writes run.json, samples.jsonl, metrics.csv and index.html; report rebuilds them', async () => {
    const dir = tempDir('sb-cli-');
    writeFileSync(join(dir, 'c.yaml'), smallConfig);
    const deps = captureCli(dir);
    expect(await main(['run', 'c.yaml'], deps)).toBe(0);
    const runDir = join(dir, 'reports', 'cli-demo');
    for (const file of ['run.json', 'samples.jsonl', 'metrics.csv', 'index.html']) expect(existsSync(join(runDir, file))).toBe(true);
    expect(deps.out()).toMatch(/note: model 'sim-8b' is SIMULATED/);
    const csv = readFileSync(join(runDir, 'metrics.csv'), 'utf8');
    // k = 1, 2, 4, 8, 10, 16: powers of two and of ten up to n = 16.
    expect(csv.trim().split('\n')).toHaveLength(1 + 2 * 6);
    const again = captureCli(dir);
    expect(await main(['report', 'reports/cli-demo'], again)).toBe(0);
    expect(readFileSync(join(runDir, 'metrics.csv'), 'utf8')).toBe(csv);
    // Checking every stored sample again with the same verifiers gives the same metrics.
    const regraded = captureCli(dir);
    expect(await main(['report', 'reports/cli-demo', '--regrade'], regraded)).toBe(0);
    expect(readFileSync(join(runDir, 'metrics.csv'), 'utf8')).toBe(csv);
    // The run's problems.jsonl is enough to regrade: the dataset itself is no longer needed.
    const manifest = readManifest(runDir);
    writeManifest(runDir, { ...manifest, config: { ...manifest.config, datasets: [{ id: 'quickstart-math', path: join(dir, 'gone.jsonl'), verifier: 'math' }] } });
    const offline = captureCli(dir);
    expect(await main(['report', 'reports/cli-demo', '--regrade'], offline)).toBe(0);
    expect(readFileSync(join(runDir, 'metrics.csv'), 'utf8')).toBe(csv);
    // Without verifiers in problems.jsonl (runs of older versions) the dataset is loaded again, and its absence is an error.
    const problemsPath = join(runDir, 'problems.jsonl');
    writeFileSync(problemsPath, readFileSync(problemsPath, 'utf8').replaceAll(',"verifier":"math"', ''));
    const missing = captureCli(dir);
    expect(await main(['report', 'reports/cli-demo', '--regrade'], missing)).toBe(2);
    expect(missing.err()).toMatch(/gone\.jsonl/);
  });

  it('report on a folder that is not a run exits 2', async () => {
    const deps = captureCli(tmpdir());
    expect(await main(['report', '/nonexistent-run'], deps)).toBe(2);
    expect(deps.err()).toMatch(/^error \[RUN_NOT_FOUND\]/);
  });
});
