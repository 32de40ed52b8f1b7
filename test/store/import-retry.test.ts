import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importSamples } from '../../harness/import/import-samples.ts';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('a failed import', () => {
  it('removes the files and the folder it created (and its lock), so the same import into the same folder then succeeds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-impretry-'));
    folders.push(dir);
    const source = join(dir, 'humaneval.jsonl');
    const outDir = join(dir, 'run');
    // A good first line, then a broken one: the import fails part way, after writing samples.
    writeFileSync(source, `${JSON.stringify({ task_id: 'HumanEval/0', completion: 'a', passed: true })}\n{"task_id": \n`);
    await expect(importSamples({ source, outDir, format: 'jsonl', model: 'm' })).rejects.toMatchObject({ code: 'IMPORT_BAD_LINE' });
    expect(existsSync(outDir)).toBe(false);
    expect(readdirSync(dir)).toEqual(['humaneval.jsonl']);
    writeFileSync(source, `${JSON.stringify({ task_id: 'HumanEval/0', completion: 'a', passed: true })}\n`);
    const summary = await importSamples({ source, outDir, format: 'jsonl', model: 'm' });
    expect(summary.samples).toBe(1);
    expect(readdirSync(outDir).sort()).toEqual(['problems.jsonl', 'run.json', 'samples.jsonl']);
  });
});
