import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

const cluster = resolve(import.meta.dirname, '../../configs/cluster');
const bin = resolve(import.meta.dirname, '../../harness/cli/bin.mjs');
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

interface Container {
  args: string[];
  envFrom?: Array<{ secretRef?: { name: string } }>;
  volumeMounts: Array<{ name: string; mountPath: string }>;
}
interface JobDocument {
  kind: string;
  spec: { completionMode?: string; completions?: number; template: { spec: { containers: Container[]; volumes: Array<{ name: string; persistentVolumeClaim?: unknown; secret?: unknown }>; securityContext?: { runAsNonRoot?: boolean } } } };
}

function jobs(file: string): JobDocument[] {
  const documents = parseAllDocuments(readFileSync(join(cluster, file), 'utf8'));
  for (const document of documents) expect(document.errors).toEqual([]);
  return documents.map((document) => document.toJS() as JobDocument).filter((document) => document.kind === 'Job');
}

/** The options `scaling-bench <command> --help` lists. */
async function helpFlags(command: string): Promise<Set<string>> {
  const help = spawnSync(process.execPath, [bin, command, '--help'], { encoding: 'utf8' });
  return new Set([...`${help.stdout}${help.stderr}`.matchAll(/--([a-z][a-z-]*)/g)].map((match) => `--${match[1] ?? ''}`));
}

async function expectRealFlags(args: string[]): Promise<void> {
  const known = await helpFlags(args[0] as string);
  for (const flag of args.filter((arg) => arg.startsWith('--'))) expect(known, `${args[0]} ${flag}`).toContain(flag);
}

describe('Kubernetes manifests', () => {
  it('an Indexed Job of shards with a volume for the runs and the config and keys from a Secret', async () => {
    const [job] = jobs('indexed-job.yaml');
    expect(job?.spec.completionMode).toBe('Indexed');
    const pod = job?.spec.template.spec;
    const container = pod?.containers[0] as Container;
    expect(container.args.slice(0, 2)).toEqual(['run', '/config/sweep.yaml']);
    expect(container.args[container.args.indexOf('--shards') + 1]).toBe(String(job?.spec.completions));
    await expectRealFlags(container.args);
    expect(container.envFrom?.[0]?.secretRef?.name).toBe('scaling-bench');
    expect(pod?.volumes.find((volume) => volume.name === 'runs')?.persistentVolumeClaim).toBeDefined();
    expect(pod?.volumes.find((volume) => volume.name === 'config')?.secret).toBeDefined();
    expect(pod?.securityContext?.runAsNonRoot).toBe(true);
  });

  it('a merge Job on the same volume', async () => {
    const [job] = jobs('merge-job.yaml');
    const container = job?.spec.template.spec.containers[0] as Container;
    expect(container.args[0]).toBe('report');
    await expectRealFlags(container.args);
    expect(container.volumeMounts.map((mount) => mount.mountPath)).toEqual(['/runs']);
  });
});

describe('SLURM scripts', () => {
  it('the array script draws the task’s shard; the merge script merges and reports', async () => {
    expect(await helpFlags('run')).toContain('--no-report');
    const dir = mkdtempSync(join(tmpdir(), 'sb-slurm-'));
    made.push(dir);
    writeFileSync(
      join(dir, 'sweep.yaml'),
      'name: sweep\nseed: 2\ndatasets:\n  - id: quickstart-math\n    limit: 6\nmodels:\n  - id: sim-8b\n    provider: sim\n    profile: llama-3-8b-instruct-math\nsampling:\n  samples: 8\n',
    );
    const env = { ...process.env, SCALING_BENCH: `${process.execPath} ${bin}`, SLURM_ARRAY_TASK_MIN: '4', SLURM_ARRAY_TASK_COUNT: '2', NO_COLOR: '1' };
    for (const task of ['5', '4']) {
      const result = spawnSync('bash', [join(cluster, 'shards.sbatch'), 'sweep.yaml'], { cwd: dir, encoding: 'utf8', env: { ...env, SLURM_ARRAY_TASK_ID: task } });
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toContain(`shard ${Number(task) - 4} of 2`);
    }
    const shard = join(dir, 'reports', 'sweep', 'shards', '1-of-2', 'samples.jsonl');
    expect(readFileSync(shard, 'utf8').trimEnd().split('\n')).toHaveLength(3 * 8);
    const merged = spawnSync('bash', [join(cluster, 'merge.sbatch'), 'reports/sweep'], { cwd: dir, encoding: 'utf8', env });
    expect(merged.status, merged.stderr).toBe(0);
    expect(existsSync(join(dir, 'reports', 'sweep', 'metrics.csv'))).toBe(true);
    expect(readFileSync(join(dir, 'reports', 'sweep', 'samples.jsonl'), 'utf8').trimEnd().split('\n')).toHaveLength(6 * 8);
  }, 300_000);
});
