import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main, packageVersion } from '../../harness/cli/main.ts';
import { harnessErrorFromSystem } from '../../harness/cli/system-error.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import type { FakeServer } from '../fakes/fake-http.ts';
import { captureCli } from '../helpers/capture-cli.ts';

const simConfig = (name: string, extra = ''): string => `name: ${JSON.stringify(name)}
datasets:
  - id: quickstart-math
    limit: 2
models:
  - id: sim-8b
    provider: sim
    profile: llama-3-8b-instruct-math
sampling:
  samples: 2
${extra}`;

const openaiConfig = (endpoint: string, extra = ''): string => `name: remote
datasets:
  - id: quickstart-math
    limit: 2
models:
  - id: remote
    provider: openai
    model: m
    endpoints: [${JSON.stringify(endpoint)}]
sampling:
  samples: 2
retry: { attempts: 1 }
${extra}`;

const folders: string[] = [];
const servers: FakeServer[] = [];
function tempFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sb-cli-safety-'));
  folders.push(dir);
  return dir;
}
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Every file under a folder, with its text. */
function allText(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath, entry.name), 'utf8'))
    .join('\n');
}

describe('CLI: version', () => {
  it('--version prints the package version', async () => {
    const deps = captureCli(tmpdir());
    expect(await main(['--version'], deps)).toBe(0);
    const own = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(deps.out()).toBe(`${own.version}\n`);
    expect(packageVersion()).toBe(own.version);
  });
});

describe('CLI: names and paths', () => {
  it('refuses name ".." and writes nothing outside the output folder', async () => {
    const dir = tempFolder();
    mkdirSync(join(dir, 'out'));
    writeFileSync(join(dir, 'c.yaml'), simConfig('..', 'outputDir: out\n'));
    const deps = captureCli(dir);
    expect(await main(['run', 'c.yaml'], deps)).toBe(2);
    expect(deps.err().split('\n')[0]).toBe('error [RUN_NAME_UNSAFE]: c.yaml: run name ".." would resolve outside the output folder');
    expect(readdirSync(dir).sort()).toEqual(['c.yaml', 'out']);
    expect(readdirSync(join(dir, 'out'))).toEqual([]);
  });

  it('exits 2 with NOT_A_DIRECTORY and the path when outputDir is a file', async () => {
    const dir = tempFolder();
    writeFileSync(join(dir, 'out'), 'a file');
    writeFileSync(join(dir, 'c.yaml'), simConfig('demo', 'outputDir: out\n'));
    const deps = captureCli(dir);
    expect(await main(['run', 'c.yaml'], deps)).toBe(2);
    expect(deps.err()).toMatch(new RegExp(`^error \\[NOT_A_DIRECTORY\\]: ${join(dir, 'out').replaceAll('/', '\\/')}.*: a part of the path is a file, not a folder \\(mkdir, ENOTDIR\\)\\nhint: Point outputDir`));
    expect(deps.err()).not.toMatch(/unexpected error/);
  });

  it('exits 2 with CONFIG_IS_DIRECTORY when the config path is a folder', async () => {
    const dir = tempFolder();
    mkdirSync(join(dir, 'c.yaml'));
    const deps = captureCli(dir);
    expect(await main(['plan', 'c.yaml'], deps)).toBe(2);
    expect(deps.err()).toBe(`error [CONFIG_IS_DIRECTORY]: config file ${join(dir, 'c.yaml')} is a folder, not a file\nhint: Pass the path of a YAML file inside it, e.g. configs/quickstart.yaml.\n`);
  });

  it('exits 2 with RUN_MANIFEST_INVALID on a corrupt run.json', async () => {
    const dir = tempFolder();
    mkdirSync(join(dir, 'run'));
    writeFileSync(join(dir, 'run', 'run.json'), '{"version": 1, "name": ');
    const deps = captureCli(dir);
    expect(await main(['report', 'run'], deps)).toBe(2);
    expect(deps.err()).toMatch(new RegExp(`^error \\[RUN_MANIFEST_INVALID\\]: ${join(dir, 'run', 'run.json').replaceAll('/', '\\/')} is not valid JSON`));
    expect(deps.err()).toMatch(/\nhint: Restore run\.json from a backup/);
  });

  it.each([
    ['EACCES', 'open', 'PERMISSION_DENIED', 2],
    ['ENOSPC', 'write', 'DISK_FULL', 1],
    ['ENOTDIR', 'mkdir', 'NOT_A_DIRECTORY', 2],
    ['EISDIR', 'open', 'IS_A_DIRECTORY', 2],
    ['ENOENT', 'open', 'PATH_NOT_FOUND', 2],
    ['ENAMETOOLONG', 'open', 'NAME_TOO_LONG', 2],
  ])('maps %s to a coded error with the path and a hint', (errno, syscall, code, exitCode) => {
    const system = Object.assign(new Error(`${errno}: failure, ${syscall} '/data/x'`), { code: errno, syscall, path: '/data/x' });
    const mapped = harnessErrorFromSystem(new Error('wrapped', { cause: system }));
    expect(mapped).toMatchObject({ code, exitCode });
    expect(mapped?.message).toMatch(new RegExp(`^/data/x: .* \\(${syscall}, ${errno}\\)$`));
    expect(mapped?.hint).toMatch(/\S/);
  });

  it('leaves a genuine bug unmapped', () => {
    expect(harnessErrorFromSystem(new TypeError('x is undefined'))).toBeUndefined();
  });
});

describe('CLI: failed runs and secrets', () => {
  const key = 'sk-proj-abcdefghijklmnopqrstuvwxyz0123';
  const bare = key.slice('sk-proj-'.length);

  it('stops at once on a refused key, echoing none of it, and writes no report', async () => {
    const server = await startFakeOpenAI({ faults: () => ({ kind: 'status', status: 401, message: `Incorrect API key provided: ${bare}` }) });
    servers.push(server);
    const dir = tempFolder();
    writeFileSync(join(dir, 'c.yaml'), openaiConfig(server.url, 'concurrency: 1\n'));
    const deps = captureCli(dir, { OPENAI_API_KEY: key });
    expect(await main(['run', 'c.yaml'], deps)).toBe(1);
    expect(deps.err()).toMatch(/^error \[UNAUTHORIZED\]: openai http:\/\/127\.0\.0\.1:\d+\/v1 refused the credentials \(HTTP 401\): Incorrect API key provided: \[redacted\]\nhint: Set the environment variable OPENAI_API_KEY/);
    expect(server.generationRequests()).toHaveLength(1);
    expect(deps.out()).not.toMatch(/wrote/);
    // Nothing was stored, and the folder did not exist before: it is removed.
    expect(existsSync(join(dir, 'reports', 'remote'))).toBe(false);
    expect(`${deps.out()}${deps.err()}`).not.toContain(bare);
  });

  it('exits 1 when every sample fails, even with fewer than 20, and keeps secrets out of every file', async () => {
    const server = await startFakeOpenAI({ faults: () => ({ kind: 'status', status: 400, message: `bad request for key ${bare}` }) });
    servers.push(server);
    const dir = tempFolder();
    writeFileSync(join(dir, 'c.yaml'), openaiConfig(server.url));
    const deps = captureCli(dir, { OPENAI_API_KEY: key });
    expect(await main(['run', 'c.yaml'], deps)).toBe(1);
    expect(deps.err()).toMatch(/^error \[ALL_SAMPLES_FAILED\]: all 4 samples drawn this session failed; the first: openai http:\/\/127\.0\.0\.1:\d+\/v1 rejected the request for model m \(HTTP 400\): bad request for key \[redacted\]\n/);
    expect(deps.out()).not.toMatch(/wrote/);
    const runDir = join(dir, 'reports', 'remote');
    expect(existsSync(join(runDir, 'index.html'))).toBe(false);
    const stored = allText(runDir);
    expect(stored).not.toContain(bare);
    const records = readFileSync(join(runDir, 'samples.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { endpoint: string; status: string });
    expect(records.map((record) => record.status)).toEqual(['error', 'error', 'error', 'error']);
    expect(records[0]?.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(`${deps.out()}${deps.err()}`).not.toContain(bare);
  });

  it('keeps credentials written in an endpoint URL out of output and files', async () => {
    const server = await startFakeOpenAI();
    servers.push(server);
    const dir = tempFolder();
    writeFileSync(join(dir, 'c.yaml'), openaiConfig(`http://alice:pw-secret-1@${server.url.slice('http://'.length)}?api_key=${bare}`));
    const deps = captureCli(dir, { OPENAI_API_KEY: key });
    expect(await main(['run', 'c.yaml'], deps)).toBe(1);
    expect(deps.err()).toMatch(/^error \[/);
    const runDir = join(dir, 'reports', 'remote');
    const everything = `${deps.out()}${deps.err()}${existsSync(runDir) ? allText(runDir) : ''}`;
    for (const secret of [bare, 'alice', 'pw-secret-1']) expect(everything).not.toContain(secret);
  });
});
