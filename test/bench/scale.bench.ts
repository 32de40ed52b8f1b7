/**
 * The paper's scale on one machine: GSM8K's 1,319 test problems × S samples on the sim provider.
 * For each S, `run` and then `report` run as child processes under /usr/bin/time, which gives
 * their peak resident memory and CPU time. Prints run peak RSS and CPU µs per sample (targets:
 * ≤ 400 MB, flat per sample), report peak RSS (≤ 600 MB) and report throughput (≥ 100,000
 * samples/s) at each size, so the slope is visible.
 * Run: node harness/cli/run-ts.mjs test/bench/scale.bench.ts [S,S,...] (default 758,3033,10000:
 * 1 M, 4 M and 13.19 M samples). SCALING_BENCH_DATA must name the datasets folder. The CLI is
 * harness/cli/bin.mjs, which runs the compiled build when it is fresh (`npm run build`), else the
 * sources through tsx; the first line printed says which, since the figures differ.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isBuildFresh } from '../../harness/cli/build-files.mjs';

const bin = resolve(import.meta.dirname, '../../harness/cli/bin.mjs');

const problems = 1319;
const sizes = (process.argv[2] ?? '758,3033,10000').split(',').map(Number);

interface Measured {
  maxRssMb: number;
  cpuSeconds: number;
  wallSeconds: number;
}

/** Runs the CLI under /usr/bin/time -v; returns its peak RSS, CPU and wall time. */
function measure(cwd: string, args: string[]): Measured {
  const started = performance.now();
  const result = spawnSync('/usr/bin/time', ['-v', process.execPath, bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 1 << 26 });
  const wallSeconds = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`scaling-bench ${args.join(' ')} exited ${result.status}: ${result.stderr.slice(-2000)}`);
  const field = (name: string): number => Number(new RegExp(`${name}: ([\\d.]+)`).exec(result.stderr)?.[1] ?? Number.NaN);
  return { maxRssMb: field('Maximum resident set size \\(kbytes\\)') / 1024, cpuSeconds: field('User time \\(seconds\\)') + field('System time \\(seconds\\)'), wallSeconds };
}

/** The ceiling of any reader of the log: a bare read and JSON.parse of every line, records/s. */
async function bareReadAndParse(path: string): Promise<number> {
  const started = performance.now();
  let count = 0;
  let rest = '';
  for await (const chunk of createReadStream(path, { encoding: 'utf8' })) {
    const text = rest + (chunk as string);
    let start = 0;
    let end = text.indexOf('\n');
    while (end >= 0) {
      JSON.parse(text.slice(start, end));
      count += 1;
      start = end + 1;
      end = text.indexOf('\n', start);
    }
    rest = text.slice(start);
  }
  return count / ((performance.now() - started) / 1000);
}

process.stdout.write(`scale: GSM8K test (${problems} problems) × S samples on the sim, run then report, each a child process under /usr/bin/time -v\n`);
process.stdout.write(`CLI: ${isBuildFresh() ? 'the compiled build (dist/, fresh)' : 'the TypeScript sources through tsx (dist/ missing or stale: run npm run build first for the figures users get)'}; load: the 1-minute load average after the report (2 cores)\n`);
process.stdout.write('samples      S | run peak RSS | run CPU/sample | run wall | report peak RSS | report wall | report CPU | report samples/s | read+parse ceiling/s | log size | load\n');
for (const samples of sizes) {
  const dir = mkdtempSync(join(tmpdir(), 'sb-scale-'));
  try {
    writeFileSync(
      join(dir, 'c.yaml'),
      `name: scale\nseed: 1\ndatasets:\n  - gsm8k\nmodels:\n  - id: sim-8b\n    provider: sim\n    profile: llama-3-8b-instruct-math\nsampling:\n  samples: ${samples}\n  temperature: 0.6\nconcurrency: 64\nreport:\n  bootstrapDraws: 200\n`,
    );
    const total = problems * samples;
    const run = measure(dir, ['run', 'c.yaml', '--no-report']);
    const logMb = statSync(join(dir, 'reports', 'scale', 'samples.jsonl')).size / 2 ** 20;
    const ceiling = await bareReadAndParse(join(dir, 'reports', 'scale', 'samples.jsonl'));
    const report = measure(dir, ['report', 'reports/scale']);
    process.stdout.write(
      `${String(total).padStart(9)} ${String(samples).padStart(5)} | ${run.maxRssMb.toFixed(0).padStart(9)} MB | ${((1e6 * run.cpuSeconds) / total).toFixed(1).padStart(11)} µs | ${run.wallSeconds.toFixed(0).padStart(6)} s | ${report.maxRssMb.toFixed(0).padStart(12)} MB | ${report.wallSeconds.toFixed(1).padStart(9)} s | ${report.cpuSeconds.toFixed(1).padStart(8)} s | ${(total / report.wallSeconds).toFixed(0).padStart(16)} | ${ceiling.toFixed(0).padStart(20)} | ${logMb.toFixed(0)} MB | ${(loadavg()[0] ?? 0).toFixed(1)}\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
