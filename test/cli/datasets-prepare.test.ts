import { tempDir } from '../helpers/temp-dir.ts';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../harness/cli/main.ts';
import { captureCli } from '../helpers/capture-cli.ts';
import { startFakeHub, type FakeHub } from '../fakes/fake-hub.ts';


let hub: FakeHub;
beforeAll(async () => {
  hub = await startFakeHub();
  // A MATH500-shaped file written by the test (three made-up problems), served as the Hub's test.jsonl.
  const rows = [1, 2, 3].map((index) => JSON.stringify({ problem: `What is ${index} + ${index}?`, solution: `It is $\\boxed{${2 * index}}$.`, answer: String(2 * index), subject: 'Algebra', level: 1, unique_id: `test/algebra/${index}.json` }));
  hub.addFile('HuggingFaceH4/MATH-500', 'main', 'test.jsonl', new TextEncoder().encode(`${rows.join('\n')}\n`));
});
afterAll(async () => {
  await hub.close();
});

describe('scaling-bench datasets prepare', () => {
  it('downloads a built-in dataset into the Hugging Face cache, where runs then find it', async () => {
    const dir = tempDir('sb-prepare-');
    const env = { HF_ENDPOINT: hub.endpoint, HF_HUB_CACHE: join(dir, 'hub') };
    const prepare = captureCli(dir, env);
    expect(await main(['datasets', 'prepare', 'math500'], prepare)).toBe(0);
    expect(prepare.out()).toMatch(/^math500: .*datasets--HuggingFaceH4--MATH-500\/snapshots\/[0-9a-f]+\/test\.jsonl\n$/);

    writeFileSync(join(dir, 'c.yaml'), 'name: from-cache\ndatasets: [math500]\nmodels:\n  - { id: sim, provider: sim, profile: llama-3-8b-instruct-math }\nsampling: { samples: 4 }\n');
    const run = captureCli(dir, env);
    expect(await main(['run', 'c.yaml', '--no-report'], run)).toBe(0);
    expect(run.out()).toMatch(/sampled 12 new samples/);
  });

  it('names an unknown dataset and suggests the closest', async () => {
    const deps = captureCli(tmpdir(), { HF_ENDPOINT: hub.endpoint, HF_HUB_CACHE: join(tmpdir(), 'unused-hub') });
    expect(await main(['datasets', 'prepare', 'math50'], deps)).toBe(2);
    expect(deps.err()).toMatch(/^error \[DATASET_UNKNOWN\]: unknown dataset 'math50' \(did you mean 'math500'\?\)/);
  });
});
