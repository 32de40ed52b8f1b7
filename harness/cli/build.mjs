#!/usr/bin/env node
// Compiles harness/**/*.ts to JavaScript in dist/ (same layout; `.ts` imports rewritten to `.js`)
// and copies the other files the code reads beside itself (fork-server.py). `npm ci` runs it
// (the `prepare` script), and so does `npm publish`. Each file is transpiled on its own (no type
// check: `npm run typecheck` does that). Without TypeScript installed (a production-only
// install) it builds nothing and the CLI runs the sources through tsx.
import { copyFileSync, mkdirSync, renameSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildDirName, listHarnessFiles, packageRoot, stampName } from './build-files.mjs';

const started = Date.now();
let ts;
try {
  ts = (await import('typescript')).default;
} catch {
  process.stdout.write('scaling-bench build: TypeScript is not installed; skipped (the CLI runs the sources through tsx)\n');
  process.exit(0);
}

const compilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  rewriteRelativeImportExtensions: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  sourceMap: false,
};

const finalDir = join(packageRoot, buildDirName);
const workDir = `${finalDir}.tmp-${process.pid}`;
rmSync(workDir, { recursive: true, force: true });
const { sources, others } = listHarnessFiles();
let failed = 0;
for (const path of sources) {
  const sourceFile = join(packageRoot, 'harness', path);
  const output = ts.transpileModule(readFileSync(sourceFile, 'utf8'), { compilerOptions, fileName: sourceFile, reportDiagnostics: true });
  for (const diagnostic of output.diagnostics ?? []) {
    failed += 1;
    process.stderr.write(`harness/${path}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}\n`);
  }
  const target = join(workDir, path.replace(/\.ts$/, '.js'));
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, output.outputText);
}
// Files the code opens relative to itself; scripts and docs stay in harness/.
for (const path of others.filter((name) => !/(^|\/)README\.md$|\.mjs$|\.d\.mts$/.test(name))) {
  mkdirSync(dirname(join(workDir, path)), { recursive: true });
  copyFileSync(join(packageRoot, 'harness', path), join(workDir, path));
}
if (failed > 0) {
  rmSync(workDir, { recursive: true, force: true });
  process.stderr.write(`scaling-bench build: ${failed} syntax errors; dist/ left as it was\n`);
  process.exit(1);
}
// Written last: a build is fresh only once complete; `started` so edits made during the build count as newer.
writeFileSync(join(workDir, stampName), `${JSON.stringify({ builtAtMs: started, sources: sources.length })}\n`);
rmSync(finalDir, { recursive: true, force: true });
renameSync(workDir, finalDir);
process.stdout.write(`scaling-bench build: ${sources.length} files compiled into ${buildDirName}/ in ${Date.now() - started} ms\n`);
