import { tempDir } from '../helpers/temp-dir.ts';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHubClient, hubRepoFolder, parquetUrlToRef, type DownloadProgress } from '../../harness/datasets/hub-client.ts';
import { rejection } from '../helpers/rejection.ts';
import { startFakeHub, type FakeHub } from '../fakes/fake-hub.ts';

const REPO = 'ScalingIntelligence/monkey_business';
const CONFIG = 'GSM8K_Llama-3-8B-Instruct';

function bytesOf(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let index = 0; index < length; index += 1) bytes[index] = (index * 31 + seed) % 251;
  return bytes;
}

describe('parquetUrlToRef', () => {
  it.each([
    [`https://huggingface.co/api/datasets/${REPO}/parquet/${CONFIG}/test/0.parquet`, 'refs/convert/parquet', `${CONFIG}/test/0000.parquet`],
    [`https://huggingface.co/api/datasets/${REPO}/parquet/${CONFIG}/test/12.parquet`, 'refs/convert/parquet', `${CONFIG}/test/0012.parquet`],
    [`https://huggingface.co/datasets/${REPO}/resolve/refs%2Fconvert%2Fparquet/${CONFIG}/test/0001.parquet`, 'refs/convert/parquet', `${CONFIG}/test/0001.parquet`],
    [`https://huggingface.co/datasets/${REPO}/resolve/main/data/file.parquet`, 'main', 'data/file.parquet'],
  ])('%s', (url, revision, path) => {
    expect(parquetUrlToRef(url, REPO)).toEqual({ url, revision, path });
  });
});

describe('createHubClient against a fake Hub', () => {
  let hub: FakeHub;
  let cacheDir: string;
  beforeEach(async () => {
    hub = await startFakeHub();
    cacheDir = tempDir('hub-cache-');
  });
  afterEach(async () => {
    await hub.close();
  });

  it('lists the parquet shards of a config and split', async () => {
    hub.addFile(REPO, 'refs/convert/parquet', `${CONFIG}/test/0000.parquet`, bytesOf(10, 1));
    hub.addFile(REPO, 'refs/convert/parquet', `${CONFIG}/test/0001.parquet`, bytesOf(10, 2));
    const client = createHubClient({ endpoint: hub.endpoint, cacheDir });
    const files = await client.listParquetFiles(REPO, CONFIG, 'test');
    expect(files.map((file) => [file.revision, file.path])).toEqual([
      ['refs/convert/parquet', `${CONFIG}/test/0000.parquet`],
      ['refs/convert/parquet', `${CONFIG}/test/0001.parquet`],
    ]);
  });

  it('downloads into the Hub cache layout (blob by etag, snapshot by commit, ref) and reuses it', async () => {
    const bytes = bytesOf(5000, 3);
    hub.addFile(REPO, 'refs/convert/parquet', `${CONFIG}/test/0000.parquet`, bytes);
    const progress: DownloadProgress[] = [];
    const client = createHubClient({ endpoint: hub.endpoint, cacheDir, onProgress: (event) => progress.push(event) });
    const path = await client.downloadFile(REPO, `${CONFIG}/test/0000.parquet`, 'refs/convert/parquet');
    const folder = hubRepoFolder(cacheDir, REPO);
    expect(path).toBe(join(folder, 'snapshots', hub.commitOf(REPO), CONFIG, 'test', '0000.parquet'));
    expect(Buffer.from(readFileSync(path)).equals(Buffer.from(bytes))).toBe(true);
    expect(readFileSync(join(folder, 'refs', 'refs', 'convert', 'parquet'), 'utf8')).toBe(hub.commitOf(REPO));
    expect(readdirSync(join(folder, 'blobs'))).toHaveLength(1);
    expect(progress.at(-1)).toEqual({ path: `${CONFIG}/test/0000.parquet`, receivedBytes: 5000, totalBytes: 5000 });
    const before = hub.requests.length;
    expect(await client.downloadFile(REPO, `${CONFIG}/test/0000.parquet`, 'refs/convert/parquet')).toBe(path);
    expect(hub.requests.length).toBe(before);
  });

  it('resumes an interrupted download with a Range request on the .incomplete file', async () => {
    const bytes = bytesOf(200_000, 4);
    hub.addFile(REPO, 'main', 'big.parquet', bytes);
    hub.cutNextDownloadAfter(70_000);
    const client = createHubClient({ endpoint: hub.endpoint, cacheDir });
    const error = await rejection(client.downloadFile(REPO, 'big.parquet'));
    expect(error.code).toBe('HUB_DOWNLOAD_INTERRUPTED');
    const blobs = join(hubRepoFolder(cacheDir, REPO), 'blobs');
    const incomplete = readdirSync(blobs).filter((name) => name.endsWith('.incomplete'));
    expect(incomplete).toHaveLength(1);
    const partialSize = statSync(join(blobs, incomplete[0] as string)).size;
    expect(partialSize).toBeGreaterThan(0);
    expect(partialSize).toBeLessThan(bytes.length);

    const path = await client.downloadFile(REPO, 'big.parquet');
    expect(Buffer.from(readFileSync(path)).equals(Buffer.from(bytes))).toBe(true);
    const cdnRequests = hub.requests.filter((request) => request.path.startsWith('/cdn/') && request.method === 'GET');
    expect(cdnRequests.map((request) => request.range)).toEqual([undefined, `bytes=${partialSize}-`]);
    expect(readdirSync(blobs).filter((name) => name.endsWith('.incomplete'))).toEqual([]);
  });

  it('restarts when the .incomplete file is longer than the file', async () => {
    const bytes = bytesOf(1000, 5);
    hub.addFile(REPO, 'main', 'small.json', bytes);
    const client = createHubClient({ endpoint: hub.endpoint, cacheDir });
    const sha = (await import('node:crypto')).createHash('sha256').update(bytes).digest('hex');
    const blobs = join(hubRepoFolder(cacheDir, REPO), 'blobs');
    (await import('node:fs')).mkdirSync(blobs, { recursive: true });
    writeFileSync(join(blobs, `${sha}.incomplete`), bytesOf(2000, 9));
    const path = await client.downloadFile(REPO, 'small.json');
    expect(Buffer.from(readFileSync(path)).equals(Buffer.from(bytes))).toBe(true);
  });

  it.each([
    ['no token', undefined, 'HUB_UNAUTHORIZED', /HF_TOKEN/],
    ['a wrong token', 'hf_wrong', 'HUB_UNAUTHORIZED', /HF_TOKEN/],
  ])('a gated dataset with %s fails with a hint about HF_TOKEN', async (_label, token, code, hint) => {
    hub.addFile(REPO, 'refs/convert/parquet', `${CONFIG}/test/0000.parquet`, bytesOf(10, 6));
    hub.gate(REPO, 'hf_right');
    const client = createHubClient({ endpoint: hub.endpoint, cacheDir, ...(token ? { token } : {}) });
    const error = await rejection(client.listParquetFiles(REPO, CONFIG, 'test'));
    expect(error.code).toBe(code);
    expect(error.hint).toMatch(hint);
  });

  it('a gated dataset with the right token lists and downloads', async () => {
    hub.addFile(REPO, 'refs/convert/parquet', `${CONFIG}/test/0000.parquet`, bytesOf(100, 7));
    hub.gate(REPO, 'hf_right');
    const client = createHubClient({ endpoint: hub.endpoint, cacheDir, token: 'hf_right' });
    const [file] = await client.listParquetFiles(REPO, CONFIG, 'test');
    expect(file).toBeDefined();
    const path = await client.downloadFile(REPO, file?.path ?? '', file?.revision);
    expect(existsSync(path)).toBe(true);
    expect(hub.requests.filter((request) => request.path.startsWith('/api/')).every((request) => request.authorized)).toBe(true);
  });

  it.each([
    ['an unknown config', 'NoSuch_Config', 'test', /config name 'NoSuch_Config' and split 'test'/],
    ['an unknown split', CONFIG, 'train', /config name 'GSM8K_Llama-3-8B-Instruct' and split 'train'/],
  ])('%s is a 404 naming the config and split', async (_label, config, split, hint) => {
    hub.addFile(REPO, 'refs/convert/parquet', `${CONFIG}/test/0000.parquet`, bytesOf(10, 8));
    const client = createHubClient({ endpoint: hub.endpoint, cacheDir });
    const error = await rejection(client.listParquetFiles(REPO, config, split));
    expect(error.code).toBe('HUB_NOT_FOUND');
    expect(error.hint).toMatch(hint);
  });

  it('a missing file is a 404 error', async () => {
    const client = createHubClient({ endpoint: hub.endpoint, cacheDir });
    const error = await rejection(client.downloadFile(REPO, 'nope.parquet'));
    expect(error.code).toBe('HUB_NOT_FOUND');
  });
});
