/** `import --name` follows the run-name rule of configs (RUN_NAME_UNSAFE): the name stays one folder under reports/. */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../harness/cli/main.ts';
import { readManifest } from '../../harness/store/run-manifest.ts';
import { captureCli } from '../helpers/capture-cli.ts';

const folders: string[] = [];
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temp folder holding `samples.jsonl`: two plain records of one problem. */
function sourceFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sb-import-name-'));
  folders.push(dir);
  const lines = [
    { problem: 'p1', completion: 'The answer is 4.', correct: true, answer: '4' },
    { problem: 'p1', completion: 'The answer is 5.', correct: false, answer: '5' },
  ];
  writeFileSync(join(dir, 'samples.jsonl'), lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
  return dir;
}

describe('import --name', () => {
  it.each([
    ['..', 'would resolve outside the output folder'],
    ['../escaped', 'holds characters other than letters, digits and . _ - (a slash or an absolute path would leave the output folder)'],
    ['/tmp/abs', 'holds characters other than letters, digits and . _ - (a slash or an absolute path would leave the output folder)'],
    ['a b', 'holds characters other than letters, digits and . _ - (a slash or an absolute path would leave the output folder)'],
    ['', 'is empty'],
  ])('refuses %j with RUN_NAME_UNSAFE, exit 2, writing nothing', async (name, reason) => {
    const dir = sourceFolder();
    const deps = captureCli(dir);
    expect(await main(['import', 'samples.jsonl', '--name', name], deps)).toBe(2);
    expect(deps.err().split('\n')[0]).toBe(`error [RUN_NAME_UNSAFE]: --name: run name ${JSON.stringify(name)} ${reason}`);
    expect(deps.err().split('\n')[1]).toMatch(/^hint: A run name is one folder inside /);
    expect(readdirSync(dir)).toEqual(['samples.jsonl']);
    expect(existsSync(join(dir, '..', 'escaped'))).toBe(false);
  });

  it('accepts a safe name and writes reports/<name>/ with that name in run.json', async () => {
    const dir = sourceFolder();
    const deps = captureCli(dir);
    expect(await main(['import', 'samples.jsonl', '--format', 'jsonl', '--name', 'recorded-1'], deps)).toBe(0);
    expect(readdirSync(join(dir, 'reports'))).toEqual(['recorded-1']);
    expect(readManifest(join(dir, 'reports', 'recorded-1')).name).toBe('recorded-1');
  });
});

describe('import errors', () => {
  it('prints the code of a harness error, like every other command, and leaves no folder behind', async () => {
    const dir = sourceFolder();
    const deps = captureCli(dir);
    expect(await main(['import', 'missing.jsonl'], deps)).toBe(2);
    expect(deps.err().split('\n')[0]).toBe(`error [IMPORT_SOURCE_MISSING]: import source '${join(dir, 'missing.jsonl')}' does not exist`);
    expect(readdirSync(dir)).toEqual(['samples.jsonl']);
    expect(await main(['import', 'missing.jsonl', '--out', 'new/run'], deps)).toBe(2);
    expect(readdirSync(dir)).toEqual(['samples.jsonl']);
  });

  it('maps an operating-system error to a coded one with its path (an --out below a file)', async () => {
    const dir = sourceFolder();
    writeFileSync(join(dir, 'afile'), 'x');
    const deps = captureCli(dir);
    expect(await main(['import', 'samples.jsonl', '--format', 'jsonl', '--out', 'afile/sub'], deps)).toBe(2);
    expect(deps.err().split('\n')[0]).toMatch(/^error \[NOT_A_DIRECTORY\]: .*afile\/sub: a part of the path is a file, not a folder/);
    expect(readdirSync(dir).sort()).toEqual(['afile', 'samples.jsonl']);
  });
});
