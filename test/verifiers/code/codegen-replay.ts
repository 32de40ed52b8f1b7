/**
 * Helpers shared by the replay test and the code-execution benchmark: the CodeGen-Mono-16B
 * HumanEval samples released with CodeT, the unbiased pass@k estimator, and a reference runner
 * that starts one fresh `python3` process per program (the way human-eval's evaluator is usually
 * described), for comparing verdicts and throughput.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { CodeTask } from '../../../harness/core/types.ts';
import { buildProgram } from '../../../harness/verifiers/code/build-program.ts';

/** Folder of the CodeT samples inside the shared datasets folder. */
export const codegenSamplesFolder = 'samples-humaneval-codegen16b-codet';

/** pass@k figures the README gives for these samples (percent, n = 100). */
export const codegenReference = { passAt1: 21.95, passAt10: 50.24, passAt100: 73.78 } as const;

/** One HumanEval task with its 100 samples, ready to run. */
export interface ReplayTask {
  /** HumanEval task id. */
  taskId: string;
  /** CodeT's prompt (docstring examples removed), tests, entry point and HumanEval's reference solution. */
  task: CodeTask;
  /** The model's completions, in file order. */
  samples: string[];
}

const taskSchema = z.object({ task_id: z.string(), prompt: z.string(), entry_point: z.string(), test: z.string(), canonical_solution: z.string().optional() });
const samplesSchema = z.object({ prompt: z.string(), samples: z.array(z.string()) });

function readJsonl<T>(path: string, schema: z.ZodType<T>): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => schema.parse(JSON.parse(line)));
}

/** Reads the 164 tasks and joins their samples by exact prompt match (as the README says). */
export function loadCodegenReplay(dataDir: string): ReplayTask[] {
  const folder = join(dataDir, codegenSamplesFolder);
  const tasks = readJsonl(join(folder, 'HumanEval_for_code_generation.jsonl'), taskSchema);
  const samples = readJsonl(join(folder, 'HumanEval_codegen16B_temp0.8_topp0.95_num100_max300_code_solution.jsonl'), samplesSchema);
  const byPrompt = new Map(samples.map((record) => [record.prompt, record.samples]));
  return tasks.map((task) => {
    const found = byPrompt.get(task.prompt);
    if (!found) throw new Error(`no samples for ${task.task_id}`);
    const canonical = task.canonical_solution === undefined ? {} : { canonicalSolution: task.canonical_solution };
    return { taskId: task.task_id, task: { prompt: task.prompt, test: task.test, entryPoint: task.entry_point, ...canonical }, samples: found };
  });
}

/** The program CodeT runs for a sample: prompt + sample cut at the Codex stops + test + check(entry_point). */
export function replayProgram(task: ReplayTask, sample: string): string {
  return buildProgram(task.task, sample).program;
}

/**
 * Unbiased pass@k (Chen et al. 2021) for one problem with n samples of which c pass, in the
 * stable product form 1 − Π_{i=n−c+1..n} (1 − k/i).
 */
export function unbiasedPassAtK(n: number, c: number, k: number): number {
  if (k > n) throw new Error(`k = ${k} exceeds n = ${n}`);
  if (n - c < k) return 1;
  let product = 1;
  for (let i = n - c + 1; i <= n; i += 1) product *= 1 - k / i;
  return 1 - product;
}

/** Mean pass@k over problems, in percent. */
export function meanPassAtK(counts: ReadonlyArray<{ n: number; c: number }>, k: number): number {
  const total = counts.reduce((sum, { n, c }) => sum + unbiasedPassAtK(n, c, k), 0);
  return (100 * total) / counts.length;
}

/** Options of runFreshProcess. */
export interface FreshProcessOptions {
  /** Interpreter path (use the real executable, not a shim). */
  executable: string;
  /** Wall-clock limit in milliseconds. */
  timeoutMs: number;
}

/** Verdict of a fresh-process run: the sandbox's statuses, with crashes counted as failures. */
export type FreshVerdict = 'passed' | 'failed' | 'timeout';

/**
 * Runs one program in a new `python3 -I` process in its own temporary folder: passed when it
 * exits 0 after printing a random sentinel appended after the program's last line (so an early
 * exit with status 0 is not a pass); timeout when it is still running after `timeoutMs`. No
 * sandbox at all, and it runs as the caller: only for comparing verdicts and speed on known
 * samples (the CodeGen replay), never for untrusted code.
 */
export async function runFreshProcess(program: string, options: FreshProcessOptions): Promise<FreshVerdict> {
  const folder = mkdtempSync(join(tmpdir(), 'fresh-python-'));
  const sentinel = `sentinel-${randomBytes(12).toString('hex')}`;
  const path = join(folder, 'program.py');
  writeFileSync(path, `${program}\nprint(${JSON.stringify(sentinel)})\n`);
  try {
    return await new Promise<FreshVerdict>((resolve) => {
      const child = spawn(options.executable, ['-I', path], {
        cwd: folder,
        env: { PATH: '/usr/local/bin:/usr/bin:/bin', LANG: 'C.UTF-8', HOME: folder, OPENBLAS_NUM_THREADS: '1' },
        stdio: ['ignore', 'pipe', 'ignore'],
        detached: true,
      });
      let tail = '';
      let timedOut = false;
      child.stdout.on('data', (chunk: Buffer) => {
        tail = (tail + chunk.toString('utf8')).slice(-4096);
      });
      const timer = setTimeout(() => {
        timedOut = true;
        try {
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }, options.timeoutMs);
      child.on('close', (code) => {
        clearTimeout(timer);
        if (timedOut) resolve('timeout');
        else resolve(code === 0 && tail.trimEnd().split('\n').at(-1) === sentinel ? 'passed' : 'failed');
      });
      child.on('error', () => {
        clearTimeout(timer);
        resolve('failed');
      });
    });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Runs `items` through `worker` with at most `concurrency` at once, keeping order. */
export async function mapWithConcurrency<T, R>(items: readonly T[], concurrency: number, worker: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await worker(items[index] as T);
    }
  });
  await Promise.all(lanes);
  return results;
}
