#!/usr/bin/env node
// The scaling-bench command. Runs the compiled build (dist/cli/main.js, made by `npm ci` or
// `npm run build`) when it is present and newer than every source; otherwise (a source checkout
// without a build, or sources edited since) runs the TypeScript sources through tsx's loader.
// SCALING_BENCH_FROM_SOURCE=1 forces the sources.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildDirName, isBuildFresh, packageRoot } from './build-files.mjs';

async function loadFromSource() {
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    process.stderr.write(`error [BUILD_MISSING]: the compiled build in ${join(packageRoot, buildDirName)} is missing or older than the sources, and tsx is not installed to run them\n`);
    process.stderr.write('hint: Run `npm run build` in the package folder (or `npm ci`, which builds it).\n');
    process.exit(1);
  }
  register();
  return import('./main.ts');
}

const { main } =
  process.env.SCALING_BENCH_FROM_SOURCE !== '1' && isBuildFresh()
    ? await import(pathToFileURL(join(packageRoot, buildDirName, 'cli', 'main.js')).href)
    : await loadFromSource();
process.exitCode = await main(process.argv.slice(2));
