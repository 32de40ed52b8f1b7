/**
 * The compute-engine library prints parser and type-checker complaints with console.error for some
 * real answers (e.g. Asymptote's `label(A,A,N)` picked out of a MATH solution). The CAS session keeps
 * them off the process's stderr.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createCas, withLibraryConsole } from '../../../harness/verifiers/math/cas.ts';

const noisy = 'label(A,A,N)';
const casUrl = pathToFileURL(resolve(import.meta.dirname, '../../../harness/verifiers/math/cas.ts')).href;

/** Runs an ES module script under tsx in a child process; returns its stdout and stderr. */
function runScript(script: string): { stdout: string; stderr: string; status: number | null } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: resolve(import.meta.dirname, '../../..'), encoding: 'utf8' });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

describe('CAS: the library stays quiet', () => {
  it('the input is noisy when the library is used bare (control)', () => {
    const { stderr, status } = runScript(`import { ComputeEngine } from '@cortex-js/compute-engine';
const ce = new ComputeEngine();
ce.parse(${JSON.stringify(noisy)}).N();`);
    expect(status).toBe(0);
    expect(stderr).toMatch(/Invalid type/);
  });

  it('createCas().evaluate writes nothing to stderr on the same input', () => {
    const { stdout, stderr, status } = runScript(`import { createCas } from ${JSON.stringify(casUrl)};
const cas = createCas();
const value = cas.evaluate(${JSON.stringify(noisy)}, cas.now() + 5000);
process.stdout.write(JSON.stringify({ timedOut: value.timedOut }));`);
    expect(status).toBe(0);
    expect(stderr).toBe('');
    expect(JSON.parse(stdout)).toEqual({ timedOut: false });
  });

  it('hands the messages to onLibraryMessage and restores the console after', () => {
    const before = console.error;
    const messages: string[] = [];
    const cas = createCas({ onLibraryMessage: (message) => messages.push(message) });
    cas.evaluate(noisy, cas.now() + 5000);
    expect(messages.length).toBeGreaterThan(0);
    expect(messages[0]).toMatch(/Invalid type/);
    expect(console.error).toBe(before);
  });

  it('withLibraryConsole restores the console when the work throws', () => {
    const before = [console.error, console.warn, console.log];
    const seen: string[] = [];
    expect(() =>
      withLibraryConsole(
        (message) => seen.push(message),
        () => {
          console.warn('a', 1);
          throw new Error('boom');
        },
      ),
    ).toThrow('boom');
    expect(seen).toEqual(['a 1']);
    expect([console.error, console.warn, console.log]).toEqual(before);
  });
});
