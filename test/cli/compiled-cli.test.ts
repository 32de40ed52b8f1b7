/**
 * The compiled CLI (dist/, built by `npm ci` through the `prepare` script): built in a copy of the
 * package whose node_modules lacks tsx, it answers like the TypeScript CLI, runs a config end to end
 * (report fonts and bundles, the Python fork server for code), and is used only while it is fresh.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBuildFresh } from '../../harness/cli/build-files.mjs';

const project = resolve(import.meta.dirname, '../..');
let copy = '';

/** Runs `node <args>` in `cwd`; returns exit status and output. */
function node(args: string[], cwd: string, env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'sb-compiled-cli-'));
  for (const entry of ['harness', 'datasets', 'configs', 'package.json']) cpSync(join(project, entry), join(copy, entry), { recursive: true });
  // Every installed package but tsx: the compiled CLI must not need it.
  mkdirSync(join(copy, 'node_modules'));
  for (const name of readdirSync(join(project, 'node_modules'))) {
    if (name !== 'tsx') symlinkSync(join(project, 'node_modules', name), join(copy, 'node_modules', name));
  }
  const built = node(['harness/cli/build.mjs'], copy);
  expect(built.stderr).toBe('');
  expect(built.status).toBe(0);
}, 300_000);

afterAll(() => {
  if (copy !== '') rmSync(copy, { recursive: true, force: true });
});

describe('compiled CLI', () => {
  it('the build holds every source as .js, the assets beside them, and the stamp', () => {
    expect(existsSync(join(copy, 'dist', 'cli', 'main.js'))).toBe(true);
    expect(existsSync(join(copy, 'dist', 'index.js'))).toBe(true);
    expect(readFileSync(join(copy, 'dist', 'verifiers', 'code', 'fork-server.py'), 'utf8')).toBe(readFileSync(join(project, 'harness', 'verifiers', 'code', 'fork-server.py'), 'utf8'));
    expect(existsSync(join(copy, 'dist', 'cli', 'bin.mjs'))).toBe(false);
    expect(readFileSync(join(copy, 'dist', 'cli', 'main.js'), 'utf8')).not.toMatch(/from ["']\.[^"']*\.ts["']/);
    expect(isBuildFresh(copy)).toBe(true);
  });

  it.each([[['--help']], [['--version']], [['run', '--help']], [['nonsense']]])('prints the same for %j as the TypeScript CLI', (args) => {
    const compiled = node(['harness/cli/bin.mjs', ...args], copy);
    const source = node([join(project, 'harness/cli/bin.mjs'), ...args], copy, { SCALING_BENCH_FROM_SOURCE: '1' });
    expect(compiled).toEqual(source);
    expect(compiled.stdout + compiled.stderr).not.toBe('');
  });

  it('is what ran: forcing the sources in the copy fails, as tsx is absent there', () => {
    const forced = node(['harness/cli/bin.mjs', '--version'], copy, { SCALING_BENCH_FROM_SOURCE: '1' });
    expect(forced.status).toBe(1);
    expect(forced.stderr.split('\n')[0]).toBe(`error [BUILD_MISSING]: the compiled build in ${join(copy, 'dist')} is missing or older than the sources, and tsx is not installed to run them`);
  });

  it('runs a code config end to end and writes the report', () => {
    const result = node(['harness/cli/bin.mjs', 'run', 'configs/stdio-sim.yaml'], copy);
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('stdio-mini:\n  sim-llama-3-8b (simulated): coverage went from');
    for (const file of ['index.html', 'metrics.csv', 'run.json', 'samples.jsonl']) expect(existsSync(join(copy, 'reports', 'stdio-sim', file))).toBe(true);
    // run.json's version comes from package.json, read relative to the compiled file.
    const own = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as { version: string };
    const manifest = JSON.parse(readFileSync(join(copy, 'reports', 'stdio-sim', 'run.json'), 'utf8')) as { versions?: Record<string, unknown> };
    expect(manifest.versions?.['scaling-bench']).toBe(own.version);
  }, 300_000);

  it('is what a program gets from `import ... from "scaling-bench"` (the package exports the build)', () => {
    const consumer = join(copy, 'consumer');
    mkdirSync(join(consumer, 'node_modules'), { recursive: true });
    symlinkSync(copy, join(consumer, 'node_modules', 'scaling-bench'));
    const script = `import { passAtK, mathEquivalent } from 'scaling-bench';
process.stdout.write(JSON.stringify([passAtK(10, 5, 1), mathEquivalent('\\\\frac12', '0.5'), import.meta.resolve('scaling-bench')]));`;
    const result = node(['--input-type=module', '-e', script], consumer);
    expect(result.stderr).toBe('');
    const [pass, equal, resolved] = JSON.parse(result.stdout) as [number, boolean, string];
    expect(pass).toBe(0.5);
    expect(equal).toBe(true);
    expect(resolved.endsWith('/dist/index.js')).toBe(true);
  });

  it('loads the verifier registry that --regrade uses from the build (a dynamic import by a relative name)', () => {
    const script = `import { createDefaultVerifier } from './dist/import/default-verifier.js';
const verifier = await createDefaultVerifier('math');
process.stdout.write(JSON.stringify(await verifier.verify({ id: 'a', question: '', answer: '1/2' }, 'So $\\\\boxed{0.5}$.')));`;
    const result = node(['--input-type=module', '-e', script], copy);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toMatchObject({ correct: true, answer: '0.5' });
  });

  it('is stale after a source changes or is added, and fresh again after a rebuild', () => {
    const source = join(copy, 'harness', 'core', 'errors.ts');
    const later = new Date(Date.now() + 60_000);
    utimesSync(source, later, later);
    expect(isBuildFresh(copy)).toBe(false);
    const old = new Date(0);
    utimesSync(source, old, old);
    expect(isBuildFresh(copy)).toBe(true);
    writeFileSync(join(copy, 'harness', 'core', 'added.ts'), 'export const added = 1;\n');
    expect(isBuildFresh(copy)).toBe(false);
    rmSync(join(copy, 'harness', 'core', 'added.ts'));
    expect(isBuildFresh(copy)).toBe(true);
    rmSync(join(copy, 'dist', 'build.json'));
    expect(isBuildFresh(copy)).toBe(false);
  });
});
