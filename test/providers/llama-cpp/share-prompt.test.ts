import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeStaleFolders } from '../../../harness/providers/llama-cpp/share-prompt.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

describe('prompt-state scratch folders', () => {
  it('removes the folders of engines whose process is gone, and keeps live and unrelated ones', async () => {
    const root = tempDir('sb-llama-scratch-');
    // A process that has exited: its pid names a folder nobody will clean up (as after SIGKILL).
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    const stale = join(root, `scaling-bench-llama-${gone}-abc123`);
    const live = join(root, `scaling-bench-llama-${process.pid}-def456`);
    const other = join(root, 'something-else-1');
    for (const folder of [stale, live, other]) mkdirSync(folder);
    await removeStaleFolders(root);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(other)).toBe(true);
  });
});
