/**
 * CLI start-up benchmark: the median wall time of `scaling-bench --help` and `--version`, from the
 * compiled build (dist/) and from the TypeScript sources through tsx, against `node -e 0` (the
 * floor: starting Node itself). Runs are interleaved round-robin so a busy spell of the machine
 * hits every variant alike. Builds dist/ first when it is missing or stale.
 *
 *   node harness/cli/run-ts.mjs test/bench/cli-startup.bench.ts [--runs 15]
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { isBuildFresh } from '../../harness/cli/build-files.mjs';

const root = resolve(import.meta.dirname, '../..');
const bin = resolve(root, 'harness/cli/bin.mjs');
const at = process.argv.indexOf('--runs');
const runs = at >= 0 ? Number(process.argv[at + 1]) : 15;

interface Variant {
  label: string;
  args: string[];
  env: Record<string, string>;
  timesMs: number[];
}

const fromSource = { SCALING_BENCH_FROM_SOURCE: '1' };
const variants: Variant[] = [
  { label: 'node -e 0', args: ['-e', '0'], env: {}, timesMs: [] },
  { label: 'scaling-bench --help (compiled)', args: [bin, '--help'], env: {}, timesMs: [] },
  { label: 'scaling-bench --version (compiled)', args: [bin, '--version'], env: {}, timesMs: [] },
  { label: 'scaling-bench --help (tsx, sources)', args: [bin, '--help'], env: fromSource, timesMs: [] },
  { label: 'scaling-bench --version (tsx, sources)', args: [bin, '--version'], env: fromSource, timesMs: [] },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

if (!isBuildFresh(root)) {
  process.stdout.write('dist/ is missing or stale: building it (npm run build)\n');
  const built = spawnSync(process.execPath, [resolve(root, 'harness/cli/build.mjs')], { stdio: 'inherit' });
  if (built.status !== 0) process.exit(1);
}

for (let run = 0; run < runs; run += 1) {
  for (const variant of variants) {
    const started = performance.now();
    const result = spawnSync(process.execPath, variant.args, { cwd: root, env: { ...process.env, ...variant.env }, encoding: 'utf8' });
    const elapsedMs = performance.now() - started;
    if (result.status !== 0) throw new Error(`${variant.label} exited ${result.status}: ${result.stderr}`);
    variant.timesMs.push(elapsedMs);
  }
}

const floorMs = median((variants[0] as Variant).timesMs);
process.stdout.write(`median of ${runs} runs each (interleaved), wall time of the whole process:\n`);
for (const variant of variants) {
  const ms = median(variant.timesMs);
  process.stdout.write(`  ${variant.label.padEnd(40)} ${ms.toFixed(0).padStart(6)} ms   ${(ms / floorMs).toFixed(2)}× node -e 0   (+${(ms - floorMs).toFixed(0)} ms)\n`);
}
