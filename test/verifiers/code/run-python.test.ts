import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPythonPool, runPython, type PythonResult } from '../../../harness/verifiers/code/run-python.ts';
import { SandboxError } from '../../../harness/verifiers/code/sandbox-error.ts';

/** Pids of live processes owned by `uid` (from /proc). */
function processesOf(uid: number): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const status = readFileSync(`/proc/${name}/status`, 'utf8');
      const line = /^Uid:\s+(\d+)/m.exec(status);
      const state = /^State:\s+(\w)/m.exec(status);
      if (line && Number(line[1]) === uid && state?.[1] !== 'Z') pids.push(Number(name));
    } catch {
      // The process ended while being read.
    }
  }
  return pids;
}

const pool = createPythonPool({
  workers: 2,
  timeoutMs: 3000,
  parentEnv: { ...process.env, HF_TOKEN: 'hf_fake_secret', OPENAI_API_KEY: 'sk-fake', MY_SERVICE_KEY: 'k', SOME_TOKEN: 't' },
  env: { SANDBOX_GREETING: 'hello', LEAKED_API_KEY: 'should-not-pass' },
});
const isolation = await pool.isolation();
const sandboxUid = isolation.uid;

// Harmless proof of containment, before any bomb runs: the child is not root, has no groups, and
// RLIMIT_NPROC stops a bounded number of sleeping forks.
const proof = await pool.run(
  [
    'import os, resource, time',
    'assert os.getuid() != 0 and os.geteuid() != 0 and os.getgroups() == []',
    'assert resource.getrlimit(resource.RLIMIT_NPROC) == (8, 8)',
    'children = []',
    'try:',
    '    for _ in range(20):',
    '        pid = os.fork()',
    '        if pid == 0:',
    '            time.sleep(5)',
    '            os._exit(0)',
    '        children.append(pid)',
    'except BlockingIOError:',
    '    pass',
    'assert 1 <= len(children) < 8, len(children)',
    'print(len(children))',
  ].join('\n'),
  { maxProcesses: 8 },
);
const contained = sandboxUid !== null && isolation.namespaces && isolation.readOnlyFilesystem && proof.status === 'passed';
const isRoot = process.getuid?.() === 0;
const hasNumpy = spawnSync(isolation.executable, ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;

/** Waits until `condition` holds, checking every 20 ms; fails after `limitMs` (a safety net, not a timing assertion). */
async function waitFor(condition: () => boolean, limitMs = 30_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > limitMs) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

afterAll(async () => {
  await pool.close();
});

describe('containment', () => {
  it.skipIf(!isRoot)('runs programs as an unprivileged uid with no groups, in namespaces, on a read-only filesystem (needs root)', () => {
    expect(isolation).toMatchObject({ mode: 'auto', namespaces: true, readOnlyFilesystem: true });
    expect(sandboxUid).toBeGreaterThan(0);
    expect(proof.status).toBe('passed');
  });

  it.skipIf(isRoot)("runs programs under the caller's own uid and says so when not root", () => {
    expect(isolation).toMatchObject({ mode: 'auto', uid: null });
    expect(isolation.notes).toContain("not root: programs run under the caller's uid");
  });

  it.skipIf(!contained)('stops forks at RLIMIT_NPROC and leaves no process of the sandbox uid behind', () => {
    expect(proof.status).toBe('passed');
    expect(Number(proof.stdout.trim())).toBeLessThan(8);
    expect(processesOf(sandboxUid ?? -1)).toEqual([]);
  });
});

describe('verdicts', () => {
  it.each<[string, string, Partial<PythonResult>]>([
    ['a program that runs to its end', 'x = 1\nassert x == 1\n', { status: 'passed', exception: null, reason: 'passed', exitCode: 0 }],
    ['a failing assert', 'assert 1 == 2\n', { status: 'failed', exception: 'AssertionError', reason: 'raised AssertionError' }],
    ['a raised ValueError', 'raise ValueError("no")\n', { status: 'failed', exception: 'ValueError' }],
    ['a syntax error', 'def f(:\n', { status: 'failed', exception: 'SyntaxError' }],
    ['a name error', 'undefined_name\n', { status: 'failed', exception: 'NameError' }],
    ['reading stdin (empty)', 'input()\n', { status: 'failed', exception: 'EOFError' }],
    ['KeyboardInterrupt', 'raise KeyboardInterrupt\n', { status: 'failed', exception: 'KeyboardInterrupt' }],
  ])('%s', async (_name, program, expected) => {
    const result = await pool.run(program);
    expect(result).toMatchObject(expected);
  });

  it('captures stdout and stderr', async () => {
    const result = await pool.run('import sys\nprint("out")\nprint("err", file=sys.stderr)\n');
    expect(result).toMatchObject({ status: 'passed', stdout: 'out\n', stderr: 'err\n', stdoutTruncated: false, stderrTruncated: false });
  });

  it('caps captured output at maxOutputBytes', async () => {
    const result = await pool.run('print("y" * 100000)\n', { maxOutputBytes: 1000 });
    expect(result.status).toBe('passed');
    expect(result.stdout).toBe('y'.repeat(1000));
    expect(result.stdoutTruncated).toBe(true);
  });

  it('keeps the traceback of a failure, starting in the program', async () => {
    const result = await pool.run('def f():\n    raise TypeError("bad")\nf()\n');
    expect(result.stderr.split('\n').slice(0, 2)).toEqual(['Traceback (most recent call last):', expect.stringMatching(/program\.py", line 3, in <module>$/)]);
    expect(result.stderr.trim().split('\n').at(-1)).toBe('TypeError: bad');
  });

  it('gives each program a fresh writable working directory, also as HOME and TMPDIR', async () => {
    const program = [
      'import os, tempfile',
      'assert sorted(os.listdir(".")) == ["program.py"], os.listdir(".")',
      'open("scratch.txt", "w").write("data")',
      'assert os.environ["HOME"] == os.getcwd() == os.environ["TMPDIR"]',
      'with tempfile.NamedTemporaryFile() as handle:',
      '    handle.write(b"1")',
    ].join('\n');
    const first = await pool.run(program);
    const second = await pool.run(program);
    expect([first.status, second.status]).toEqual(['passed', 'passed']);
  });

  it('reseeds random in every child (programs forked from one server do not share a stream)', async () => {
    const results = await Promise.all([1, 2, 3].map(() => pool.run('import random\nprint(random.random())\n')));
    expect(new Set(results.map((result) => result.stdout)).size).toBe(3);
  });

  it.skipIf(!hasNumpy)('runs numpy (skipped when numpy is not installed for this python3)', async () => {
    const result = await pool.run('import numpy as np\nassert int(np.arange(4).sum()) == 6\n');
    expect(result.status).toBe('passed');
  });
});

describe('hostile programs', () => {
  let server: Server;
  let port = 0;
  let connections = 0;
  beforeAll(async () => {
    server = createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync('/tmp/sandbox_escape_marker_test.txt', { force: true });
  });

  const correct = 'def add(a, b):\n    return a + b\n';
  const tests = 'assert add(1, 2) == 3\nassert add(2, 2) == 4\n';

  it.each<[string, () => string, Partial<PythonResult>]>([
    ['sys.exit(0) before the tests', () => `${correct}import sys\nsys.exit(0)\n${tests}`, { status: 'failed', exception: 'SystemExit', reason: 'raised SystemExit(0)' }],
    ['raise SystemExit(0) before the tests', () => `${correct}raise SystemExit(0)\n${tests}`, { status: 'failed', exception: 'SystemExit' }],
    ['os._exit(0) before the tests', () => `${correct}import os\nos._exit(0)\n${tests}`, { status: 'failed', exception: null, exitCode: 0, reason: 'exited with status 0 before the tests completed' }],
    ['fake success output then os._exit(0)', () => `print("All tests passed!")\nimport os\nos._exit(0)\n${tests}`, { status: 'failed', exitCode: 0 }],
    ['an atexit hook forcing status 0 after a failing assert', () => `import atexit, os\natexit.register(lambda: os._exit(0))\nassert False\n`, { status: 'failed', exception: 'AssertionError' }],
    ['an excepthook forcing status 0', () => `import sys, os\nsys.excepthook = lambda *a: os._exit(0)\nassert False\n`, { status: 'failed', exception: 'AssertionError' }],
    ['writing fake markers to every descriptor, then exiting 0', () => `import os\nfor fd in range(3, 1024):\n    try:\n        os.write(fd, b"0123456789abcdef0123456789abcdef " + str(os.getpid()).encode() + b" passed")\n    except OSError:\n        pass\nos._exit(0)\n`, { status: 'failed', exitCode: 0 }],
    ['patching os._exit so the runner cannot end the child', () => `import os\nos._exit = lambda code: None\n${correct}${tests}`, { status: 'passed' }],
    ['an infinite loop', () => 'while True:\n    pass\n', { status: 'timeout', reason: 'wall-clock timeout', signal: 'SIGKILL' }],
    ['an infinite sleep', () => 'import time\ntime.sleep(3600)\n', { status: 'timeout', reason: 'wall-clock timeout' }],
    ['deep recursion', () => 'def f(n):\n    return f(n + 1)\nf(0)\n', { status: 'failed', exception: 'RecursionError' }],
    ['writing outside its directory (/tmp)', () => `open("/tmp/sandbox_escape_marker_test.txt", "w").write("escaped")\n`, { status: 'failed', exception: 'OSError' }],
    ['writing into the project', () => `open("${process.cwd()}/escape.txt", "w").write("escaped")\n`, { status: 'failed', exception: 'OSError' }],
    ['reading secrets from its environment', () => 'import os\nleaked = [name for name in os.environ if "KEY" in name or "TOKEN" in name]\nassert leaked == [], leaked\nassert os.environ["SANDBOX_GREETING"] == "hello"\n', { status: 'passed' }],
    ["reading the server's environment through /proc", () => 'import os\nopen(f"/proc/{os.getppid()}/environ").read()\n', { status: 'failed', exception: 'PermissionError' }],
    ["reading root's home", () => 'import os\nos.listdir("/root")\nassert not os.path.exists("/root/.bashrc")\n', { status: 'passed' }],
    ['opening a socket to a local server', () => `import socket\nsocket.create_connection(("127.0.0.1", ${port}), timeout=2)\n`, { status: 'failed', exception: 'PermissionError' }],
    ['resolving a host name', () => 'import socket\nsocket.getaddrinfo("example.com", 80)\n', { status: 'failed', exception: 'PermissionError' }],
    ['killing the parent', () => 'import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n', { status: 'failed', exception: 'PermissionError' }],
    ['killing process 1', () => 'import os\nos.kill(1, 9)\n', { status: 'failed', exception: 'PermissionError' }],
    ['killing every process it may (kill -1)', () => `import os, signal\ntry:\n    os.kill(-1, signal.SIGKILL)\nexcept ProcessLookupError:\n    pass\n${correct}${tests}`, { status: 'passed' }],
    ['killing itself', () => 'import os\nos.kill(os.getpid(), 9)\n', { status: 'crashed', reason: 'killed by SIGKILL' }],
    ['a segmentation fault', () => 'import ctypes\nctypes.string_at(0)\n', { status: 'crashed', reason: 'killed by SIGSEGV' }],
    ['setuid back to root', () => 'import os\nos.setuid(0)\n', { status: 'failed', exception: 'PermissionError' }],
  ])('%s', async (_name, program, expected) => {
    const result = await pool.run(program(), { timeoutMs: 1000 });
    expect(result).toMatchObject(expected);
  });

  it('lets no connection reach the local server and creates no file outside', () => {
    expect(connections).toBe(0);
    expect(existsSync('/tmp/sandbox_escape_marker_test.txt')).toBe(false);
    expect(existsSync(`${process.cwd()}/escape.txt`)).toBe(false);
  });

  it('ends on the CPU limit (SIGXCPU) as a timeout', async () => {
    const result = await pool.run('while True:\n    pass\n', { cpuSeconds: 1, timeoutMs: 10_000 });
    expect(result).toMatchObject({ status: 'timeout', reason: 'cpu time limit', signal: 'SIGXCPU' });
  });

  it('stops a file larger than RLIMIT_FSIZE', async () => {
    const result = await pool.run('import signal\nsignal.signal(signal.SIGXFSZ, signal.SIG_IGN)\nopen("big.bin", "wb").write(b"x" * 2_000_000)\n', { maxFileBytes: 1_000_000 });
    expect(result).toMatchObject({ status: 'failed', exception: 'OSError' });
  });

  describe.skipIf(!contained)('bombs (only once containment is proven)', () => {
    it.each<[string, string, Partial<PythonResult>]>([
      ['a fork bomb', 'import os\nwhile True:\n    os.fork()\n', { status: 'failed', exception: 'BlockingIOError' }],
      ['a memory bomb', 'chunks = []\nwhile True:\n    chunks.append(b"x" * 10_000_000)\n', { status: 'failed', exception: 'MemoryError' }],
      ['one huge allocation', 'data = bytearray(1 << 40)\n', { status: 'failed', exception: 'MemoryError' }],
      ['a thread bomb', 'import threading, time\nwhile True:\n    threading.Thread(target=time.sleep, args=(60,), daemon=True).start()\n', { status: 'failed', exception: 'RuntimeError' }],
      ['printing gigabytes', 'import sys\nchunk = "x" * (1 << 20)\nwhile True:\n    sys.stdout.write(chunk)\n', { status: 'timeout', stdoutTruncated: true }],
      ['a daemon that outlives the program', 'import os, time\nif os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n        time.sleep(60)\n    os._exit(0)\n', { status: 'passed' }],
    ])('%s', async (_name, program, expected) => {
      // Bombs end on their own limits (processes, memory); only the never-ending printer meets the timeout.
      const timeoutMs = expected.status === 'timeout' ? 1500 : 60_000;
      const result = await pool.run(program, { timeoutMs, memoryBytes: 512 * 1024 ** 2, maxProcesses: 16 });
      expect(result).toMatchObject(expected);
      expect(result.stdout.length).toBeLessThanOrEqual(64 * 1024);
      expect(processesOf(sandboxUid ?? -1)).toEqual([]);
    });

    it('still runs programs afterwards', async () => {
      const result = await pool.run('assert sum(range(10)) == 45\n');
      expect(result.status).toBe('passed');
    });
  });
});

describe('pool lifetime', () => {
  it('runPython without a pool creates and closes one', async () => {
    const result = await runPython('print(6 * 7)\n');
    expect(result).toMatchObject({ status: 'passed', stdout: '42\n' });
  });

  it('runs many programs at once through the queue', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, index) => pool.run(`assert ${index} * 2 == ${index * 2}\n`)));
    expect(results.map((result) => result.status)).toEqual(Array.from({ length: 20 }, () => 'passed'));
  });

  // How long runs share the CPUs (finishing order, durations) is measured in test/bench/code-exec.bench.ts.
  it('runs a quick program beside a long run, which keeps its full timeout', async () => {
    const own = createPythonPool({ workers: 1, longRunMs: 200 });
    const [looped, passed] = await Promise.all([own.run('while True:\n    pass\n', { timeoutMs: 2000 }), own.run('assert 6 * 7 == 42\n')]);
    expect(passed.status).toBe('passed');
    expect(looped).toMatchObject({ status: 'timeout', reason: 'wall-clock timeout' });
    await own.close();
  });

  it('runs more programs than 2 x workers, long runs included, each to its own verdict', async () => {
    const own = createPythonPool({ workers: 1, longRunMs: 100 });
    const results = await Promise.all([
      own.run('import time\ntime.sleep(1)\n'),
      own.run('while True:\n    pass\n', { timeoutMs: 1000 }),
      own.run('pass\n'),
      own.run('raise ValueError\n'),
    ]);
    expect(results.map((result) => result.status)).toEqual(['passed', 'timeout', 'passed', 'failed']);
    await own.close();
  });

  it('rejects with the abort reason when aborted before the result', async () => {
    const controller = new AbortController();
    const running = pool.run('import time\ntime.sleep(0.5)\n', { signal: controller.signal });
    controller.abort(new Error('stop'));
    await expect(running).rejects.toThrow('stop');
  });

  it('rejects runs after close with SANDBOX_CLOSED', async () => {
    const own = createPythonPool({ workers: 1 });
    expect((await own.run('pass\n')).status).toBe('passed');
    await own.close();
    await expect(own.run('pass\n')).rejects.toMatchObject({ code: 'SANDBOX_CLOSED' });
  });

  it.each([
    [{ workers: 0 }, 'SANDBOX_INVALID_LIMIT'],
    [{ timeoutMs: -1 }, 'SANDBOX_INVALID_LIMIT'],
    [{ longRunMs: 0 }, 'SANDBOX_INVALID_LIMIT'],
  ])('rejects bad settings %j', (options, code) => {
    expect(() => createPythonPool(options)).toThrow(SandboxError);
    try {
      createPythonPool(options);
    } catch (error) {
      expect((error as SandboxError).code).toBe(code);
    }
  });

  it('reports a program as crashed when its worker dies, and replaces the worker', async () => {
    const serverPids = (): string[] =>
      readdirSync('/proc').filter((name) => {
        if (!/^\d+$/.test(name)) return false;
        try {
          const status = readFileSync(`/proc/${name}/status`, 'utf8');
          return readFileSync(`/proc/${name}/cmdline`, 'utf8').includes('fork-server.py') && new RegExp(`^PPid:\\s+${process.pid}$`, 'm').test(status);
        } catch {
          return false;
        }
      });
    const before = new Set(serverPids());
    const own = createPythonPool({ workers: 1 });
    const { uid } = await own.isolation();
    const servers = serverPids().filter((pid) => !before.has(pid));
    expect(servers.length).toBe(1);
    const running = own.run('import time\ntime.sleep(30)\n', { timeoutMs: 60_000 });
    await waitFor(() => processesOf(uid ?? -1).length > 0 || uid === null);
    process.kill(Number(servers[0]), 'SIGKILL');
    expect(await running).toMatchObject({ status: 'crashed', reason: 'sandbox worker exited (SIGKILL) while running the program' });
    expect(processesOf(uid ?? -1)).toEqual([]);
    expect((await own.run('pass\n')).status).toBe('passed');
    await own.close();
  });

  it("keeps limits, the socket guard and a write guard with isolation: 'none'", async () => {
    const weak = createPythonPool({ workers: 1, isolation: 'none' });
    expect(await weak.isolation()).toMatchObject({ mode: 'none', uid: null, namespaces: false, readOnlyFilesystem: false });
    const results = await Promise.all([
      weak.run('open("/tmp/sandbox_escape_marker_test.txt", "w").write("escaped")\n'),
      weak.run('import socket\nsocket.socket(socket.AF_INET).connect(("127.0.0.1", 9))\n'),
      weak.run('open("inside.txt", "w").write("ok")\nimport sys\nsys.exit(0)\n'),
      weak.run('x = bytearray(1 << 40)\n'),
      weak.run('while True:\n    pass\n', { timeoutMs: 500 }),
    ]);
    expect(results.map((result) => [result.status, result.exception])).toEqual([
      ['failed', 'PermissionError'],
      ['failed', 'PermissionError'],
      ['failed', 'SystemExit'],
      ['failed', 'MemoryError'],
      ['timeout', null],
    ]);
    expect(existsSync('/tmp/sandbox_escape_marker_test.txt')).toBe(false);
    await weak.close();
  });

  it("starts with isolation: 'strict' where it is available (root)", async () => {
    const strict = createPythonPool({ workers: 1, isolation: 'strict' });
    if (process.getuid?.() === 0) {
      expect(await strict.isolation()).toMatchObject({ mode: 'strict', namespaces: true, readOnlyFilesystem: true });
      expect((await strict.run('import os\nassert os.getuid() != 0\n')).status).toBe('passed');
    } else {
      await expect(strict.run('pass\n')).rejects.toMatchObject({ code: 'SANDBOX_START_FAILED' });
    }
    await strict.close();
  });

  it('reports a missing interpreter as SANDBOX_START_FAILED', async () => {
    const broken = createPythonPool({ workers: 1, pythonPath: '/nonexistent/python3' });
    await expect(broken.run('pass\n')).rejects.toMatchObject({ code: 'SANDBOX_START_FAILED' });
    await broken.close();
  });
});

describe('working folders', () => {
  it('runs programs when TMPDIR is a private folder (mode 0700), leaving nothing in it', async () => {
    const privateTemp = mkdtempSync(join(tmpdir(), 'private-tmpdir-'));
    chmodSync(privateTemp, 0o700);
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = privateTemp;
    try {
      const own = createPythonPool({ workers: 1 });
      expect(await own.run('import os\nopen("scratch.txt", "w").write("x")\nassert os.getcwd() == os.environ["TMPDIR"]\n')).toMatchObject({ status: 'passed' });
      await own.close();
      expect(readdirSync(privateTemp)).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
      rmSync(privateTemp, { recursive: true, force: true });
    }
  });

  it.skipIf(!isRoot)('refuses to judge with SANDBOX_SELF_CHECK_FAILED when the sandbox uid cannot enter its folder (needs root)', async () => {
    const privateTemp = mkdtempSync(join(tmpdir(), 'private-sandbox-'));
    chmodSync(privateTemp, 0o700);
    try {
      // Without namespaces the working folders are plain folders under tempDir, which the sandbox uid cannot enter.
      const broken = createPythonPool({ workers: 1, tempDir: privateTemp, parentEnv: process.env });
      const outcome = broken.run('pass\n');
      await expect(outcome).rejects.toMatchObject({ code: 'SANDBOX_SELF_CHECK_FAILED' });
      await broken.close();
    } finally {
      rmSync(privateTemp, { recursive: true, force: true });
    }
  });

  it('removes its working folders when closed', async () => {
    const own = createPythonPool({ workers: 2 });
    const [first] = await Promise.all([own.run('import os\nprint(os.path.dirname(os.getcwd()))\n'), own.run('pass\n')]);
    await own.close();
    const folder = (first?.stdout ?? '').trim();
    expect(folder).not.toBe('');
    expect(existsSync(folder)).toBe(false);
  });
});
