/**
 * A pool of warm Python fork servers that run untrusted programs (HumanEval / MBPP samples).
 *
 * Each worker is one `python3 -I fork-server.py` process. It forks a child per program; the child
 * drops to a sandbox uid (when the server runs as root), sets RLIMIT_AS / CPU / NPROC / FSIZE /
 * NOFILE, gets a fresh working directory and a scrubbed environment, and cannot open network
 * sockets. The server enforces the wall-clock timeout, caps the output and kills everything the
 * program started. Requests and answers travel over the server's stdin/stdout as length-prefixed
 * JSON.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { SandboxError } from './sandbox-error.ts';
import { makeSandboxFolder, sandboxBaseFolder } from './sandbox-root.ts';
import { scrubEnvironment, withoutSecrets } from './scrub-environment.ts';

/** Path of the Python fork server script. */
export const forkServerPath: string = fileURLToPath(new URL('./fork-server.py', import.meta.url));

/** Per-program limits. Every field has a default; a run may override any of them. */
export interface PythonLimits {
  /** Wall-clock limit per program, in milliseconds. Default 3000 (human-eval's default). */
  timeoutMs: number;
  /** Address-space limit (RLIMIT_AS), in bytes. Default 2 GiB. */
  memoryBytes: number;
  /** CPU-time limit (RLIMIT_CPU), in seconds. Default: the timeout rounded up, plus 1. */
  cpuSeconds: number;
  /** Process and thread limit of the sandbox uid (RLIMIT_NPROC). Default 32. */
  maxProcesses: number;
  /** Largest file a program may write (RLIMIT_FSIZE), in bytes. Default 16 MiB. */
  maxFileBytes: number;
  /** Open file descriptors (RLIMIT_NOFILE). Default 256. */
  maxOpenFiles: number;
  /** Captured bytes kept per stream (stdout, stderr); the rest is read and dropped. Default 64 KiB. */
  maxOutputBytes: number;
}

/** How strongly programs are contained. */
export type PythonIsolationMode = 'auto' | 'strict' | 'none';

/** Options of createPythonPool. */
export interface PythonPoolOptions extends Partial<PythonLimits> {
  /**
   * Programs started at once. Default: the number of CPUs. A program still running after
   * `longRunMs` stops counting, so programs that wait out their timeout (infinite loops) do not
   * hold the queue up; with long runs, up to 2 × `workers` programs run at once.
   */
  workers?: number;
  /**
   * After how long a running program counts as a long run, in milliseconds. Default 500
   * (almost every test program ends within 50 ms). Long runs keep their full limits, but more
   * programs then share the CPUs: a CPU-bound program close to its timeout gets a smaller share.
   * A value at least the timeout keeps every program in its slot.
   */
  longRunMs?: number;
  /** Interpreter to start. Default `python3` (from PATH). */
  pythonPath?: string;
  /**
   * `strict`: fail unless the server can drop to a sandbox uid and unshare mount and network
   * namespaces (needs root). `auto` (default): the strongest containment available, reported by
   * `isolation()`. `none`: rlimits, timeout and the in-process network/write guard only.
   */
  isolation?: PythonIsolationMode;
  /** Modules each server imports once, so programs importing them start warm. Default: common stdlib modules. */
  preload?: readonly string[];
  /** Sandbox uids are `uidBase + server pid` (no passwd entry, no groups). Default 1,000,000. */
  uidBase?: number;
  /** Size of each server's private tmpfs holding the working directories, in bytes. Default 512 MiB. */
  sandboxBytes?: number;
  /**
   * Folder in which each server's sandbox folder is created; every folder above it must be
   * enterable by the sandbox uid. Default: as root, `/run/scaling-bench-sandbox` (root-owned,
   * mode 0711; `/var/tmp` or `/tmp` when `/run` is absent), whatever TMPDIR says; otherwise the
   * OS temp folder. See sandbox-root.ts.
   */
  tempDir?: string;
  /** Extra environment variables programs get (secret-looking names are dropped). Default none. */
  env?: Record<string, string>;
  /** Environment the workers start from, before scrubbing. Default `process.env`. */
  parentEnv?: Record<string, string | undefined>;
  /** How long a worker may take to start, in milliseconds. Default 30000. */
  startTimeoutMs?: number;
}

/** Per-run options of PythonPool.run. */
export interface PythonRunOptions extends Partial<PythonLimits> {
  /** Aborts waiting for the result (a program already running still ends by its own limits). */
  signal?: AbortSignal;
  /** Text written to the program's stdin (UTF-8). Default: stdin is /dev/null. */
  stdin?: string;
  /**
   * Whole programs judged by their output (stdio problems): `exit()`, `sys.exit(0)` and exit
   * status 0 count as `passed`. Default false (a function-test program must run to its end).
   */
  exitOk?: boolean;
  /**
   * Kill the program as soon as its stdout passes `maxOutputBytes` (status `crashed`, reason
   * `output limit exceeded`, `stdoutTruncated` true). Default false: the rest is read and dropped.
   */
  stopAtOutputLimit?: boolean;
}

/** Verdict of one program. */
export type PythonStatus = 'passed' | 'failed' | 'timeout' | 'crashed';

/** The outcome of running one program. */
export interface PythonResult {
  /**
   * `passed`: the whole program ran to its end (no exception, no early exit). `failed`: it raised
   * (see `exception`) or exited before its end. `timeout`: wall-clock or CPU limit. `crashed`:
   * killed by a signal, or the sandbox failed (see `reason`).
   */
  status: PythonStatus;
  /** Exception class name for `failed` runs that raised (`AssertionError`, `SystemExit`...), else null. */
  exception: string | null;
  /** Human-readable why, e.g. `raised AssertionError`, `exited with status 0 before the tests completed`. */
  reason: string;
  /** Exit status of the program's process, or null when it was killed by a signal. */
  exitCode: number | null;
  /** Name of the signal that ended it (`SIGKILL`, `SIGSEGV`...), or null. */
  signal: string | null;
  /** Captured standard output, at most `maxOutputBytes` bytes (decoded as UTF-8). */
  stdout: string;
  /** Captured standard error, at most `maxOutputBytes` bytes. */
  stderr: string;
  /** True when stdout was longer than the cap. */
  stdoutTruncated: boolean;
  /** True when stderr was longer than the cap. */
  stderrTruncated: boolean;
  /** Wall-clock time from fork to exit, in milliseconds. */
  durationMs: number;
}

/** The containment a worker achieved. */
export interface PythonIsolation {
  /** Requested mode. */
  mode: PythonIsolationMode;
  /** Uid programs run as, or null when they run as the caller. */
  uid: number | null;
  /** True when programs have a private mount and network namespace (no network interface up). */
  namespaces: boolean;
  /** True when the whole filesystem is read-only for programs except their working directory. */
  readOnlyFilesystem: boolean;
  /** What could not be done, and what was hidden. */
  notes: string[];
  /** Interpreter version, e.g. `3.11.7`. */
  python: string;
  /** Absolute path of the interpreter the server runs. */
  executable: string;
}

/** A pool of warm Python workers. Close it when done: its workers are child processes. */
export interface PythonPool {
  /** Runs one program and returns its verdict. Rejects only on sandbox failure or abort. */
  run(program: string, options?: PythonRunOptions): Promise<PythonResult>;
  /** Programs started at once (long runs aside; see PythonPoolOptions.workers). */
  readonly workers: number;
  /** Starts a worker if none runs and reports its containment. */
  isolation(): Promise<PythonIsolation>;
  /** Stops every worker (after their current program) and removes their folders. */
  close(): Promise<void>;
}

/** Default per-program limits. */
export const defaultPythonLimits: Readonly<Omit<PythonLimits, 'cpuSeconds'>> = {
  timeoutMs: 3000,
  memoryBytes: 2 * 1024 ** 3,
  maxProcesses: 32,
  maxFileBytes: 16 * 1024 ** 2,
  maxOpenFiles: 256,
  maxOutputBytes: 64 * 1024,
};

/** Modules preloaded by default (stdlib only: cheap to import, safe to fork). */
export const defaultPreload: readonly string[] = [
  'typing', 'math', 're', 'collections', 'itertools', 'functools', 'heapq', 'bisect', 'string',
  'random', 'hashlib', 'fractions', 'decimal', 'statistics', 'copy', 'operator', 'json', 'datetime',
];

const readySchema = z.union([
  z.object({
    ready: z.literal(true),
    pid: z.number().int(),
    python: z.string(),
    executable: z.string(),
    isolation: z.object({
      mode: z.enum(['auto', 'strict', 'none']),
      uid: z.number().int().nullable(),
      namespaces: z.boolean(),
      readOnlyFilesystem: z.boolean(),
      notes: z.array(z.string()),
    }),
    preloaded: z.array(z.string()),
  }),
  z.object({ ready: z.literal(false), error: z.string(), code: z.literal('SANDBOX_SELF_CHECK_FAILED').optional() }),
]);

const responseSchema = z.object({
  id: z.number().int(),
  status: z.enum(['passed', 'failed', 'timeout', 'crashed']),
  exception: z.string().nullable(),
  reason: z.string(),
  exitCode: z.number().int().nullable().optional(),
  signal: z.string().nullable().optional(),
  stdout: z.string().optional(),
  stderr: z.string().optional(),
  stdoutBytes: z.number().int().optional(),
  stderrBytes: z.number().int().optional(),
  durationMs: z.number().optional(),
});

type Response = z.infer<typeof responseSchema>;

/** Per-run request fields beyond the limits. */
type RunExtras = Pick<PythonRunOptions, 'stdin' | 'exitOk' | 'stopAtOutputLimit'>;

interface Job {
  program: string;
  limits: PythonLimits;
  extras: RunExtras;
  resolve(result: PythonResult): void;
  reject(error: unknown): void;
  settled: boolean;
  /** True once the program has run past longRunMs (it no longer holds one of the `workers` slots). */
  long?: boolean;
}

interface ResolvedPoolSettings {
  pythonPath: string;
  isolation: PythonIsolationMode;
  preload: readonly string[];
  uidBase: number;
  sandboxBytes: number;
  tempDir: string;
  env: Record<string, string>;
  parentEnv: Record<string, string>;
  startTimeoutMs: number;
  longRunMs: number;
}

/** Grace on top of a program's timeout before a silent worker is treated as hung, in milliseconds. */
const watchdogGraceMs = 15_000;

function resolveLimits(base: Partial<PythonLimits>, override: Partial<PythonLimits> = {}): PythonLimits {
  const merged = { ...defaultPythonLimits, ...stripUndefined(base), ...stripUndefined(override) };
  for (const [name, value] of Object.entries(merged)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new SandboxError('SANDBOX_INVALID_LIMIT', `${name} must be a positive number, got ${String(value)}`, {
        hint: 'Give limits as positive numbers (timeoutMs in milliseconds, byte counts in bytes).',
      });
    }
  }
  const cpuSeconds = merged.cpuSeconds ?? Math.ceil(merged.timeoutMs / 1000) + 1;
  return { ...merged, cpuSeconds: Math.ceil(cpuSeconds) };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Partial<T>;
}

function crashed(reason: string): PythonResult {
  return {
    status: 'crashed',
    exception: null,
    reason,
    exitCode: null,
    signal: null,
    stdout: '',
    stderr: '',
    stdoutTruncated: false,
    stderrTruncated: false,
    durationMs: 0,
  };
}

function toResult(response: Response): PythonResult {
  const stdout = response.stdout ?? '';
  const stderr = response.stderr ?? '';
  return {
    status: response.status,
    exception: response.exception,
    reason: response.reason,
    exitCode: response.exitCode ?? null,
    signal: response.signal ?? null,
    stdout,
    stderr,
    stdoutTruncated: (response.stdoutBytes ?? 0) > Buffer.byteLength(stdout),
    stderrTruncated: (response.stderrBytes ?? 0) > Buffer.byteLength(stderr),
    durationMs: response.durationMs ?? 0,
  };
}

/** One fork server process. */
class Worker {
  readonly ready: Promise<PythonIsolation>;
  private readonly process: ChildProcessWithoutNullStreams;
  private readonly sandboxRoot: string;
  private buffer: Buffer = Buffer.alloc(0);
  private job: Job | undefined;
  private jobId = 0;
  private watchdog: NodeJS.Timeout | undefined;
  private longRunTimer: NodeJS.Timeout | undefined;
  private uid: number | null = null;
  private serverErrors = '';
  private onReady: ((message: unknown) => void) | undefined;
  private alive = true;
  private dying = false;
  /** True once the server greeted: a worker that never started is reported through `ready` instead. */
  started = false;
  readonly exited: Promise<void>;

  constructor(
    private readonly settings: ResolvedPoolSettings,
    private readonly onIdle: (worker: Worker) => void,
    private readonly onExit: (worker: Worker) => void,
    private readonly onJobEvent: (job: Job, event: 'long' | 'end') => void,
  ) {
    this.sandboxRoot = makeSandboxFolder(settings.tempDir);
    const serverSettings = {
      sandboxRoot: this.sandboxRoot,
      uidBase: settings.uidBase,
      sandboxBytes: settings.sandboxBytes,
      isolation: settings.isolation,
      preload: settings.preload,
    };
    this.process = spawn(settings.pythonPath, ['-I', forkServerPath, JSON.stringify(serverSettings)], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: settings.parentEnv,
    });
    this.exited = new Promise((resolve) => {
      this.process.once('close', () => resolve());
      this.process.once('error', () => resolve());
    });
    this.ready = new Promise<PythonIsolation>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.kill();
        reject(new SandboxError('SANDBOX_START_TIMEOUT', `the Python sandbox did not start within ${settings.startTimeoutMs} ms`, {
          hint: `Check that \`${settings.pythonPath} -I ${forkServerPath}\` runs, or raise startTimeoutMs.`,
        }));
      }, settings.startTimeoutMs);
      this.onReady = (message) => {
        clearTimeout(timer);
        const parsed = readySchema.safeParse(message);
        if (!parsed.success) {
          reject(new SandboxError('SANDBOX_PROTOCOL', 'the Python sandbox sent an unreadable greeting', { cause: parsed.error }));
          this.kill();
        } else if (!parsed.data.ready && parsed.data.code === 'SANDBOX_SELF_CHECK_FAILED') {
          reject(new SandboxError('SANDBOX_SELF_CHECK_FAILED', `the Python sandbox cannot run a trivial program, so it refuses to judge: ${parsed.data.error}`, {
            hint: 'No sample was judged. Check that the sandbox uid can enter every folder above the sandbox folder (see tempDir), and that the interpreter runs as that uid.',
          }));
          this.kill();
        } else if (!parsed.data.ready) {
          reject(new SandboxError('SANDBOX_START_FAILED', `the Python sandbox could not start: ${parsed.data.error}`, {
            hint: settings.isolation === 'strict'
              ? "Strict isolation needs root and permission to unshare namespaces; use isolation: 'auto' to accept weaker containment."
              : 'Check the Python installation.',
          }));
          this.kill();
        } else {
          this.uid = parsed.data.isolation.uid;
          this.started = true;
          resolve({ ...parsed.data.isolation, python: parsed.data.python, executable: parsed.data.executable });
        }
      };
      this.process.once('error', (error) => {
        clearTimeout(timer);
        reject(new SandboxError('SANDBOX_START_FAILED', `cannot start ${settings.pythonPath}: ${error.message}`, {
          hint: 'Install python3 (3.9 or newer) or set pythonPath to an interpreter.',
          cause: error,
        }));
      });
      this.process.once('close', (code, signal) => {
        clearTimeout(timer);
        reject(new SandboxError('SANDBOX_START_FAILED', `the Python sandbox exited while starting (${signal ?? `status ${code}`}): ${this.serverErrors.trim()}`, {
          hint: `Check that \`${settings.pythonPath}\` is Python 3.9 or newer on Linux; the message ends with the server's own error output.`,
        }));
      });
    });
    // A rejected start is reported through `ready`; keep it from counting as unhandled here.
    this.ready.catch(() => undefined);
    this.process.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
    this.process.stderr.on('data', (chunk: Buffer) => {
      this.serverErrors = (this.serverErrors + chunk.toString('utf8')).slice(-4000);
    });
    this.process.stdin.on('error', () => undefined);
    this.process.once('close', (code, signal) => this.closed(code, signal));
    // A process that never started emits 'error' and may emit no 'close'.
    this.process.once('error', () => this.closed(null, null));
  }

  start(job: Job): void {
    this.job = job;
    this.jobId += 1;
    const request = { id: this.jobId, program: job.program, ...job.limits, ...job.extras, env: this.settings.env };
    const body = Buffer.from(JSON.stringify(request), 'utf8');
    const header = Buffer.alloc(4);
    header.writeUInt32BE(body.length, 0);
    this.process.stdin.write(Buffer.concat([header, body]));
    this.watchdog = setTimeout(() => {
      this.kill();
      this.finish(crashed('sandbox worker stopped answering'));
    }, job.limits.timeoutMs + watchdogGraceMs);
    if (this.settings.longRunMs < job.limits.timeoutMs) {
      this.longRunTimer = setTimeout(() => {
        this.longRunTimer = undefined;
        if (this.job === job) {
          job.long = true;
          this.onJobEvent(job, 'long');
        }
      }, this.settings.longRunMs);
    }
  }

  stop(): void {
    this.process.stdin.end();
  }

  kill(): void {
    if (this.alive && !this.dying) {
      this.dying = true;
      this.process.kill('SIGKILL');
    }
  }

  private receive(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    while (this.buffer.length >= 4) {
      const length = this.buffer.readUInt32BE(0);
      if (this.buffer.length < 4 + length) return;
      const body = this.buffer.subarray(4, 4 + length).toString('utf8');
      this.buffer = this.buffer.subarray(4 + length);
      let message: unknown;
      try {
        message = JSON.parse(body);
      } catch {
        message = undefined;
      }
      if (this.onReady) {
        const onReady = this.onReady;
        this.onReady = undefined;
        onReady(message);
        continue;
      }
      const parsed = responseSchema.safeParse(message);
      if (!parsed.success || parsed.data.id !== this.jobId) {
        this.kill();
        this.finish(crashed('sandbox worker sent an unreadable answer'));
        return;
      }
      this.finish(toResult(parsed.data));
    }
  }

  private finish(result: PythonResult): void {
    this.clearTimers();
    const job = this.job;
    this.job = undefined;
    if (job && !job.settled) {
      job.settled = true;
      job.resolve(result);
    }
    if (job) this.onJobEvent(job, 'end');
    if (this.alive && !this.dying) this.onIdle(this);
  }

  private clearTimers(): void {
    if (this.watchdog) clearTimeout(this.watchdog);
    if (this.longRunTimer) clearTimeout(this.longRunTimer);
    this.watchdog = undefined;
    this.longRunTimer = undefined;
  }

  private closed(code: number | null, signal: NodeJS.Signals | null): void {
    if (!this.alive) return;
    this.alive = false;
    this.clearTimers();
    const job = this.job;
    this.job = undefined;
    if (job && !job.settled) {
      job.settled = true;
      job.resolve(crashed(`sandbox worker exited (${signal ?? `status ${code}`}) while running the program`));
    }
    if (job) this.onJobEvent(job, 'end');
    if (this.uid !== null && (signal !== null || code !== 0)) {
      // The server died without cleaning up: kill whatever still runs under its sandbox uid.
      spawnSync(this.settings.pythonPath, ['-I', forkServerPath, '--sweep', String(this.uid)], {
        env: this.settings.parentEnv,
        timeout: 10_000,
      });
    }
    rmSync(this.sandboxRoot, { recursive: true, force: true });
    this.onExit(this);
  }
}

/**
 * Creates a pool of warm Python workers. Workers start on first use; `close()` stops them.
 * Throws a SandboxError for invalid limits; start-up failures surface from the first `run`.
 */
export function createPythonPool(options: PythonPoolOptions = {}): PythonPool {
  const workerCount = options.workers ?? availableParallelism();
  if (!Number.isInteger(workerCount) || workerCount < 1) {
    throw new SandboxError('SANDBOX_INVALID_LIMIT', `workers must be a positive integer, got ${String(workerCount)}`, {
      hint: 'Use workers: 1 or more (default: the number of CPUs).',
    });
  }
  if (options.longRunMs !== undefined && !(Number.isFinite(options.longRunMs) && options.longRunMs > 0)) {
    throw new SandboxError('SANDBOX_INVALID_LIMIT', `longRunMs must be a positive number of milliseconds, got ${String(options.longRunMs)}`, {
      hint: 'Use longRunMs: 500 (the default), or a value at least the timeout to keep long runs in their slots.',
    });
  }
  const baseLimits: Partial<PythonLimits> = {
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.memoryBytes === undefined ? {} : { memoryBytes: options.memoryBytes }),
    ...(options.cpuSeconds === undefined ? {} : { cpuSeconds: options.cpuSeconds }),
    ...(options.maxProcesses === undefined ? {} : { maxProcesses: options.maxProcesses }),
    ...(options.maxFileBytes === undefined ? {} : { maxFileBytes: options.maxFileBytes }),
    ...(options.maxOpenFiles === undefined ? {} : { maxOpenFiles: options.maxOpenFiles }),
    ...(options.maxOutputBytes === undefined ? {} : { maxOutputBytes: options.maxOutputBytes }),
  };
  resolveLimits(baseLimits);
  const settings: ResolvedPoolSettings = {
    pythonPath: options.pythonPath ?? 'python3',
    isolation: options.isolation ?? 'auto',
    preload: options.preload ?? defaultPreload,
    uidBase: options.uidBase ?? 1_000_000,
    sandboxBytes: options.sandboxBytes ?? 512 * 1024 ** 2,
    tempDir: sandboxBaseFolder(options.tempDir, process.getuid?.() === 0),
    env: withoutSecrets(options.env ?? {}),
    parentEnv: scrubEnvironment(options.parentEnv ?? process.env),
    startTimeoutMs: options.startTimeoutMs ?? 30_000,
    longRunMs: options.longRunMs ?? 500,
  };
  const workers: Worker[] = [];
  const idle: Worker[] = [];
  const queue: Job[] = [];
  // Programs running that still hold a slot, and long runs beside them (see `longRunMs`).
  let holding = 0;
  let long = 0;
  const maxWorkers = 2 * workerCount;
  let closed = false;
  let startError: unknown;

  const dispatch = (): void => {
    while (queue.length > 0) {
      const job = queue[0];
      if (job === undefined) return;
      if (job.settled) {
        queue.shift();
        continue;
      }
      if (startError !== undefined) {
        queue.shift();
        job.settled = true;
        job.reject(startError);
        continue;
      }
      if (holding >= workerCount) return;
      const worker = idle.pop();
      if (worker) {
        queue.shift();
        holding += 1;
        worker.start(job);
        continue;
      }
      if (workers.length < Math.min(maxWorkers, workerCount + long)) {
        spawnWorker();
        continue;
      }
      return;
    }
  };

  const spawnWorker = (): Worker => {
    const worker = new Worker(
      settings,
      (ready) => {
        if (!closed) {
          idle.push(ready);
          dispatch();
        }
      },
      (gone) => {
        const index = workers.indexOf(gone);
        if (index >= 0) workers.splice(index, 1);
        const idleIndex = idle.indexOf(gone);
        if (idleIndex >= 0) idle.splice(idleIndex, 1);
        if (!closed && gone.started) dispatch();
      },
      (job, event) => {
        if (event === 'long') {
          holding -= 1;
          long += 1;
        } else if (job.long) {
          long -= 1;
        } else {
          holding -= 1;
        }
        if (!closed) dispatch();
      },
    );
    workers.push(worker);
    worker.ready.then(
      () => {
        if (closed) return;
        idle.push(worker);
        dispatch();
      },
      (error: unknown) => {
        startError = error;
        dispatch();
      },
    );
    return worker;
  };

  return {
    workers: workerCount,
    run(program, runOptions = {}) {
      if (closed) {
        return Promise.reject(new SandboxError('SANDBOX_CLOSED', 'the Python pool is closed', { hint: 'Create a new pool with createPythonPool().' }));
      }
      const { signal, stdin, exitOk, stopAtOutputLimit, ...override } = runOptions;
      const limits = resolveLimits(baseLimits, override);
      const extras: RunExtras = {
        ...(stdin === undefined ? {} : { stdin }),
        ...(exitOk ? { exitOk } : {}),
        ...(stopAtOutputLimit ? { stopAtOutputLimit } : {}),
      };
      return new Promise<PythonResult>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        const onAbort = (): void => {
          if (job.settled) return;
          job.settled = true;
          reject(signal?.reason);
        };
        // The listener goes when the run settles: one long-lived signal may serve many runs.
        const job: Job = {
          program,
          limits,
          extras,
          resolve: (result) => {
            signal?.removeEventListener('abort', onAbort);
            resolve(result);
          },
          reject: (error) => {
            signal?.removeEventListener('abort', onAbort);
            reject(error);
          },
          settled: false,
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        queue.push(job);
        dispatch();
      });
    },
    async isolation() {
      const worker = workers[0] ?? spawnWorker();
      return worker.ready;
    },
    async close() {
      closed = true;
      for (const job of queue.splice(0)) {
        if (!job.settled) {
          job.settled = true;
          job.reject(new SandboxError('SANDBOX_CLOSED', 'the Python pool was closed before this program ran', { hint: 'Close the pool only after awaiting its runs.' }));
        }
      }
      const exits = workers.map((worker) => worker.exited);
      for (const worker of workers) worker.stop();
      await Promise.all(exits);
    },
  };
}
