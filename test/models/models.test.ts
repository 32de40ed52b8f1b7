import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listCachedModels } from '../../harness/models/list-models.ts';
import { parseHubModelRef } from '../../harness/models/model-ref.ts';
import { pullModel } from '../../harness/models/pull-model.ts';
import { startFakeHub, type FakeHub } from '../fakes/fake-hub.ts';

describe('parseHubModelRef', () => {
  it.each([
    ['hf:o/r/m.gguf', { repo: 'o/r', path: 'm.gguf', revision: 'main' }],
    ['hf:o/r/sub/m-Q4_K_M.gguf@v1', { repo: 'o/r', path: 'sub/m-Q4_K_M.gguf', revision: 'v1' }],
  ])('%s', (ref, expected) => expect(parseHubModelRef(ref)).toEqual(expected));

  it.each(['hf:o/m.gguf', 'hf:o/r/m.bin', 'hf:o/r/../m.gguf', 'hf:o/r/m.gguf@'])('rejects %s with MODEL_REF_INVALID', (ref) => {
    expect(() => parseHubModelRef(ref)).toThrow(expect.objectContaining({ code: 'MODEL_REF_INVALID' }));
  });
});

describe('pullModel against a fake Hub', () => {
  let hub: FakeHub;
  let cacheDir: string;
  const bytes = new Uint8Array(Array.from({ length: 200_000 }, (_, index) => index % 251));
  beforeEach(async () => {
    hub = await startFakeHub();
    hub.addFile('org/tiny-GGUF', 'main', 'tiny.gguf', bytes);
    cacheDir = mkdtempSync(join(tmpdir(), 'sb-models-'));
  });
  afterEach(async () => {
    await hub.close();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it('downloads into the Hub cache layout, resumes after a cut, and lists the model', async () => {
    hub.cutNextDownloadAfter(50_000);
    const progress: number[] = [];
    const options = { cacheDir, endpoint: hub.endpoint, onProgress: (update: { receivedBytes: number }) => progress.push(update.receivedBytes) };
    await expect(pullModel('hf:org/tiny-GGUF/tiny.gguf', options)).rejects.toMatchObject({ code: 'HUB_DOWNLOAD_INTERRUPTED' });
    expect(listCachedModels(cacheDir).partial).toEqual([{ repo: 'org/tiny-GGUF', sizeBytes: 50_000 }]);
    const path = await pullModel('hf:org/tiny-GGUF/tiny.gguf', options);
    expect(new Uint8Array(readFileSync(path))).toEqual(bytes);
    expect(hub.requests.filter((request) => request.path.startsWith('/cdn/')).map((request) => request.range)).toEqual([undefined, 'bytes=50000-']);
    expect(progress.at(-1)).toBe(200_000);
    const commit = hub.commitOf('org/tiny-GGUF');
    expect(path).toBe(join(cacheDir, 'models--org--tiny-GGUF', 'snapshots', commit, 'tiny.gguf'));
    expect(readFileSync(join(cacheDir, 'models--org--tiny-GGUF', 'refs', 'main'), 'utf8')).toBe(commit);
    expect(listCachedModels(cacheDir)).toEqual({ models: [{ ref: 'hf:org/tiny-GGUF/tiny.gguf', path, sizeBytes: 200_000 }], partial: [] });
    // Cached: no network call the second time.
    const before = hub.requests.length;
    expect(await pullModel('hf:org/tiny-GGUF/tiny.gguf', options)).toBe(path);
    expect(hub.requests.length).toBe(before);
  });

  it.each([
    ['hf:org/tiny-GGUF/missing.gguf', 'HUB_NOT_FOUND'],
    ['hf:org/gated-GGUF/tiny.gguf', 'HUB_UNAUTHORIZED'],
  ])('%s → %s with a hint', async (ref, code) => {
    hub.addFile('org/gated-GGUF', 'main', 'tiny.gguf', bytes);
    hub.gate('org/gated-GGUF', 'hf_secret');
    await expect(pullModel(ref, { cacheDir, endpoint: hub.endpoint })).rejects.toMatchObject({ code, hint: expect.stringMatching(/model/) });
  });

  it('says HUB_NETWORK_ERROR when the Hub cannot be reached', async () => {
    await hub.close();
    await expect(pullModel('hf:org/tiny-GGUF/tiny.gguf', { cacheDir, endpoint: hub.endpoint })).rejects.toMatchObject({ code: 'HUB_NETWORK_ERROR' });
    hub = await startFakeHub();
  });
});

