/**
 * `npm run bench`: runs every benchmark, one process each, and prints their figures. Pass names to
 * run a subset: `npm run bench -- metrics import`. Benchmarks compare ratios measured in one run
 * (ours against a baseline), since the machine may be shared and noisy.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const here = import.meta.dirname;
const runner = resolve(here, '../../harness/cli/run-ts.mjs');
// Alphabetical, except that the long benchmarks run last: they leave the machine busy for a
// while (thousands of processes to reap, gigabytes to free), which would skew the short ones.
const runLast = ['code-exec'];
const all = readdirSync(here)
  .filter((file) => file.endsWith('.bench.ts'))
  .map((file) => file.replace(/\.bench\.ts$/, ''))
  .sort((a, b) => Number(runLast.includes(a)) - Number(runLast.includes(b)) || a.localeCompare(b));
const wanted = process.argv.slice(2).filter((argument) => !argument.startsWith('-'));
const unknown = wanted.filter((name) => !all.includes(name));
if (unknown.length > 0) {
  process.stderr.write(`unknown benchmark ${unknown.join(', ')}; available: ${all.join(', ')}\n`);
  process.exit(2);
}
let failed = 0;
for (const name of wanted.length > 0 ? wanted : all) {
  process.stdout.write(`\n=== ${name} (node harness/cli/run-ts.mjs test/bench/${name}.bench.ts) ===\n`);
  const started = Date.now();
  const result = spawnSync(process.execPath, [runner, join(here, `${name}.bench.ts`)], { stdio: 'inherit' });
  process.stdout.write(`=== ${name}: ${result.status === 0 ? 'done' : `FAILED (exit ${result.status ?? result.signal})`} in ${((Date.now() - started) / 1000).toFixed(1)} s ===\n`);
  if (result.status !== 0) failed += 1;
}
process.exit(failed === 0 ? 0 : 1);
