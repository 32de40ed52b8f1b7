"""Fork server for running untrusted Python programs (HumanEval / MBPP samples).

One warm interpreter reads requests from its stdin and forks a child per program. The child
drops to an unprivileged uid, sets resource limits, scrubs its environment, blocks network
sockets, and runs the program in a fresh working directory. The parent enforces the wall-clock
timeout, caps the captured output, kills the child's process group and every process of the
sandbox uid afterwards, and answers on its stdout.

Wire format (both directions): a 4-byte big-endian length, then that many bytes of UTF-8 JSON.

Started as `python3 -I fork-server.py '<json settings>'`, or `python3 -I fork-server.py --sweep UID`
to kill every process of a sandbox uid (used after a server died).
"""

import ast  # noqa: F401  (imported once here: tracebacks of failing programs need it)
import ctypes
import ctypes.util
import errno
import gc
import io
import json
import linecache  # noqa: F401  (tracebacks)
import os
import resource
import secrets
import selectors
import shutil
import signal
import socket
import struct
import sys
import time
import tokenize  # noqa: F401  (tracebacks)
import traceback
import types

CLONE_NEWNS = 0x00020000
CLONE_NEWNET = 0x40000000
MS_RDONLY = 0x1
MS_NOSUID = 0x2
MS_REMOUNT = 0x20
MS_BIND = 0x1000
MS_REC = 0x4000
MS_PRIVATE = 1 << 18
MNT_DETACH = 2
PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36
PR_SET_NO_NEW_PRIVS = 38

LIBC = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
# Bound before any program runs, so a program that patches the os module cannot change how its child ends.
_exit = os._exit
_write = os.write
# close_range(2) closes a whole range in one call (Linux 5.9+, glibc 2.34+); None when libc lacks it.
CLOSE_RANGE = getattr(LIBC, "close_range", None)
if CLOSE_RANGE is not None:
    CLOSE_RANGE.argtypes = (ctypes.c_uint, ctypes.c_uint, ctypes.c_int)
CHILD_STDIO = None
# The watcher that cleans up after this server dies (see start_reaper): a child, but never a program's.
REAPER_PID = None

# Environment variables every child gets; nothing else from any parent reaches it.
BASE_CHILD_ENV = {
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
    "PYTHONIOENCODING": "utf-8",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}


def libc_call(name, *args):
    result = getattr(LIBC, name)(*args)
    if result != 0:
        number = ctypes.get_errno()
        raise OSError(number, f"{name}: {os.strerror(number)}")


def mount(source, target, fstype, flags, data):
    encode = lambda value: None if value is None else value.encode()
    libc_call("mount", encode(source), encode(target), encode(fstype), ctypes.c_ulong(flags), encode(data))


def read_exact(fd, count):
    chunks = []
    while count > 0:
        chunk = os.read(fd, count)
        if not chunk:
            return None
        chunks.append(chunk)
        count -= len(chunk)
    return b"".join(chunks)


def read_message(fd):
    header = read_exact(fd, 4)
    if header is None:
        return None
    (length,) = struct.unpack(">I", header)
    body = read_exact(fd, length)
    if body is None:
        return None
    return json.loads(body.decode("utf-8"))


def write_message(fd, message):
    body = json.dumps(message).encode("utf-8")
    data = struct.pack(">I", len(body)) + body
    while data:
        written = os.write(fd, data)
        data = data[written:]


def sweep_uid(uid):
    """Kills every process owned by `uid` (run as root): a helper takes that uid and signals -1."""
    if uid is None:
        return
    pid = os.fork()
    if pid == 0:
        try:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
            for _ in range(200):
                try:
                    os.kill(-1, signal.SIGKILL)
                except ProcessLookupError:
                    break
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def start_reaper(uid, root):
    """Forks a watcher that outlives this server: when the server dies (even by SIGKILL), it kills
    every process of the sandbox uid and removes the sandbox folder, then exits.

    The watcher holds the read end of a pipe whose only write end is this server's; end of file
    on it means the server is gone. It is forked before the server unshares its mount namespace,
    so it removes the host's folder, and it leaves the caller's session so a Ctrl-C meant for the
    harness does not end it before its work.
    """
    global REAPER_PID
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid != 0:
        os.close(read_fd)
        REAPER_PID = pid
        return write_fd
    try:
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGPIPE, signal.SIGQUIT):
            signal.signal(number, signal.SIG_IGN)
        os.setsid()
        null = os.open("/dev/null", os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        keep = os.dup2(read_fd, 3) if read_fd != 3 else 3
        close_inherited(keep)
        while os.read(keep, 4096):
            pass
        sweep_uid(uid)
        shutil.rmtree(root, ignore_errors=True)
    finally:
        os._exit(0)


def end_descendants(isolation):
    """Kills whatever the program left running.

    The server is a child subreaper, so every living descendant of a finished program is, or
    descends from, a direct child of the server: kill those until none is left. A uid sweep is
    the fallback when the kernel does not list children.
    """
    path = f"/proc/self/task/{os.getpid()}/children"
    for _ in range(1000):
        reap_orphans()
        try:
            pids = [int(item) for item in read_small_file(path).split() if int(item) != REAPER_PID]
        except OSError:
            break
        if not pids:
            return
        for pid in pids:
            for kill in (os.killpg, os.kill):
                try:
                    kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
        for pid in pids:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
    sweep_uid(isolation.uid)
    reap_orphans()


def read_small_file(path):
    """The bytes of a small file (a /proc entry), without the cost of a text stream."""
    fd = os.open(path, os.O_RDONLY)
    try:
        chunks = []
        while True:
            chunk = os.read(fd, 65536)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
    finally:
        os.close(fd)


def remove_workdir(workdir):
    """Removes a program's working folder: usually it holds program.py alone."""
    try:
        os.unlink(os.path.join(workdir, "program.py"))
        os.rmdir(workdir)
    except OSError:
        shutil.rmtree(workdir, ignore_errors=True)


def reap_orphans():
    """Reaps descendants reparented to this server (it is a child subreaper)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def unescape_mount_path(path):
    # /proc/self/mountinfo escapes space, tab, newline and backslash as octal.
    return path.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\")


class Isolation:
    """What containment this server achieved at start-up."""

    def __init__(self, settings):
        self.mode = settings.get("isolation", "auto")
        self.root = settings["sandboxRoot"]
        self.uid = None
        self.namespaces = False
        self.read_only = False
        self.notes = []
        is_root = os.geteuid() == 0
        if self.mode == "none" or not is_root:
            if self.mode == "strict":
                raise RuntimeError("strict isolation needs root (to drop to a sandbox uid and unshare namespaces)")
            if not is_root:
                self.notes.append("not root: programs run under the caller's uid")
            self.prepare_root(owner=None)
            return
        self.uid = settings["uidBase"] + os.getpid()
        try:
            libc_call("unshare", CLONE_NEWNS | CLONE_NEWNET)
            self.namespaces = True
        except OSError as error:
            if self.mode == "strict":
                raise
            self.notes.append(f"no mount/network namespace: {error}")
        if self.namespaces:
            try:
                mount(None, "/", None, MS_REC | MS_PRIVATE, None)
                self.expose_python()
                self.remount_read_only()
                self.read_only = True
                mount("tmpfs", self.root, "tmpfs", MS_NOSUID, f"size={settings['sandboxBytes']},mode=0711")
            except OSError as error:
                if self.mode == "strict":
                    raise
                self.notes.append(f"no read-only filesystem: {error}")
        self.prepare_root(owner=0)
        try:
            libc_call("prctl", PR_SET_CHILD_SUBREAPER, ctypes.c_ulong(1), ctypes.c_ulong(0), ctypes.c_ulong(0), ctypes.c_ulong(0))
        except OSError as error:
            self.notes.append(f"not a subreaper: {error}")

    def prepare_root(self, owner):
        os.makedirs(self.root, exist_ok=True)
        os.chmod(self.root, 0o711 if owner == 0 else 0o700)

    def expose_python(self):
        """Makes the interpreter's own files reachable by the sandbox uid.

        An interpreter installed under a private home (pyenv in /root, mode 0700) is unreadable
        after the uid drop. A tmpfs then covers the closed directory, holding only bind mounts of
        the interpreter's folders, so the rest of that home stays hidden from programs.
        """
        needed = {sys.prefix, sys.exec_prefix, sys.base_prefix, os.path.dirname(os.path.realpath(sys.executable))}
        needed.update(entry for entry in sys.path if entry and os.path.isdir(entry))
        needed = sorted({os.path.realpath(path) for path in needed})
        closed = set()
        for path in needed:
            ancestor = "/"
            for part in path.strip("/").split("/"):
                ancestor = os.path.join(ancestor, part)
                mode = os.stat(ancestor).st_mode
                if not mode & 0o001:
                    closed.add(ancestor)
                    break
        for top in sorted(closed, key=len):
            inside = [path for path in needed if path == top or path.startswith(top + "/")]
            # Keep only outermost folders: a bind mount of a folder brings its subfolders along.
            inside = [path for path in inside if not any(path != other and path.startswith(other + "/") for other in inside)]
            handles = {path: os.open(path, os.O_PATH | os.O_DIRECTORY) for path in inside}
            mode = 0o755
            mount("tmpfs", top, "tmpfs", MS_NOSUID, f"size=1m,mode={mode:o}")
            for path, handle in handles.items():
                os.makedirs(path, mode=0o755, exist_ok=True)
                mount(f"/proc/self/fd/{handle}", path, None, MS_BIND | MS_REC, None)
                os.close(handle)
            self.notes.append(f"{top} hidden; exposed {', '.join(inside)}")

    def remount_read_only(self):
        with open("/proc/self/mountinfo") as handle:
            points = [unescape_mount_path(line.split()[4]) for line in handle]
        # Parents first, so a child mount is not hidden by remounting its parent afterwards.
        for point in sorted(set(points), key=len):
            try:
                mount(None, point, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID, None)
            except OSError:
                # Some pseudo filesystems refuse the remount; they are not writable by the sandbox uid.
                pass
        probe = os.path.join(self.root, ".probe")
        try:
            with open(probe, "w"):
                pass
        except OSError:
            return
        os.unlink(probe)
        raise OSError(errno.EROFS, f"{self.root} is still writable after the read-only remount")

    def remove_root(self):
        """Removes the sandbox folder on the host (its private tmpfs is detached first)."""
        if self.namespaces and self.read_only:
            try:
                libc_call("umount2", self.root.encode(), ctypes.c_int(MNT_DETACH))
            except OSError:
                return
        shutil.rmtree(self.root, ignore_errors=True)

    def describe(self):
        return {
            "mode": self.mode,
            "uid": self.uid,
            "namespaces": self.namespaces,
            "readOnlyFilesystem": self.read_only,
            "notes": self.notes,
        }


def child_main(request, isolation, workdir, stdin_r, stdout_w, stderr_w, marker_w, token):
    """Runs in the forked child: contain, then run the program. Never returns."""
    try:
        server_pid = os.getppid()
        os.setsid()
        os.dup2(stdin_r if stdin_r is not None else os.open("/dev/null", os.O_RDONLY), 0)
        os.dup2(stdout_w, 1)
        os.dup2(stderr_w, 2)
        # The marker channel sits at an unpredictable descriptor and is not inherited across exec.
        marker_fd = 100 + secrets.randbelow(800)
        os.dup2(marker_w, marker_fd, inheritable=False)
        close_inherited(marker_fd)
        os.chdir(workdir)
        memory = request["memoryBytes"]
        cpu = request["cpuSeconds"]
        limits = [
            (resource.RLIMIT_AS, memory),
            (resource.RLIMIT_CPU, cpu),
            (resource.RLIMIT_FSIZE, request["maxFileBytes"]),
            (resource.RLIMIT_CORE, 0),
            (resource.RLIMIT_NOFILE, request["maxOpenFiles"]),
        ]
        if isolation.uid is not None:
            limits.append((resource.RLIMIT_NPROC, request["maxProcesses"]))
        elif os.geteuid() != 0:
            # Same uid as the caller: the limit counts the caller's processes too.
            limits.append((resource.RLIMIT_NPROC, count_processes(os.getuid()) + request["maxProcesses"]))
        for kind, value in limits:
            if value is not None and value >= 0:
                hard = value + 1 if kind == resource.RLIMIT_CPU else value
                resource.setrlimit(kind, (value, hard))
        if isolation.uid is not None:
            os.setgroups([])
            os.setgid(isolation.uid)
            os.setuid(isolation.uid)
        try:
            libc_call("prctl", PR_SET_NO_NEW_PRIVS, ctypes.c_ulong(1), ctypes.c_ulong(0), ctypes.c_ulong(0), ctypes.c_ulong(0))
            libc_call("prctl", PR_SET_PDEATHSIG, ctypes.c_ulong(signal.SIGKILL), ctypes.c_ulong(0), ctypes.c_ulong(0), ctypes.c_ulong(0))
        except OSError:
            pass
        # The server died before the death signal was armed: its reaper may already have swept the uid.
        if os.getppid() != server_pid:
            _exit(71)
        # Signal dispositions and the base environment were set once in the server (see main).
        extra = request.get("env")
        if extra:
            os.environ.update(extra)
        os.environ.update({"HOME": workdir, "TMPDIR": workdir, "PWD": workdir})
    except BaseException as error:  # containment failed: never run the program
        try:
            _write(2, f"sandbox setup failed: {type(error).__name__}: {error}\n".encode())
        finally:
            _exit(71)
    try:
        run_program(request, isolation, workdir, marker_fd, token)
    except BaseException as error:
        try:
            _write(2, f"sandbox runner failed: {type(error).__name__}: {error}\n".encode())
        except BaseException:
            pass
    finally:
        _exit(70)
        LIBC._exit(70)


def close_inherited(keep):
    """Closes every descriptor above 2 except `keep`."""
    if CLOSE_RANGE is not None and CLOSE_RANGE(3, keep - 1, 0) == 0 and CLOSE_RANGE(keep + 1, 0xFFFFFFFF, 0) == 0:
        return
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        if fd > 2 and fd != keep:
            try:
                os.close(fd)
            except OSError:
                pass


def prepare_children():
    """What every child needs, done once in the server, so each fork inherits it instead of redoing it.

    Children are forked from this process, and every page a child writes is copied: work done
    here is work no child repeats. Default signal dispositions (SIGINT raising
    KeyboardInterrupt, as in a fresh interpreter), the base environment (nothing from the
    caller's), and the text streams on descriptors 0-2 that the child makes its sys.stdin,
    sys.stdout and sys.stderr.
    """
    global CHILD_STDIO
    for signal_number in (signal.SIGTERM, signal.SIGHUP, signal.SIGCHLD, signal.SIGUSR1, signal.SIGUSR2):
        signal.signal(signal_number, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.environ.clear()
    os.environ.update(BASE_CHILD_ENV)
    CHILD_STDIO = (
        io.TextIOWrapper(io.FileIO(0, "r", closefd=False), encoding="utf-8"),
        io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8", errors="backslashreplace"),
        io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8", errors="backslashreplace", line_buffering=True),
    )


def count_processes(uid):
    count = 0
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                if os.stat(f"/proc/{name}").st_uid == uid:
                    count += 1
            except OSError:
                pass
    return count


def install_audit_hook(workdir, restrict_writes):
    allowed_families = {socket.AF_UNIX}
    workdir_prefix = workdir.rstrip("/") + "/"
    write_flags = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC

    def hook(event, args):
        if event == "socket.__new__":
            family = args[1]
            if family not in allowed_families and family != -1:
                raise PermissionError("network access is disabled in the sandbox")
        elif event in ("socket.connect", "socket.bind", "socket.sendto", "socket.getaddrinfo"):
            raise PermissionError("network access is disabled in the sandbox")
        elif restrict_writes and event == "open":
            path, mode, flags = args
            writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                isinstance(flags, int) and flags & write_flags
            )
            if writing and isinstance(path, (str, bytes)):
                text = os.fsdecode(path)
                full = os.path.abspath(text)
                if full != "/dev/null" and not (full + "/").startswith(workdir_prefix):
                    raise PermissionError(f"writing outside the sandbox directory is blocked: {text}")

    sys.addaudithook(hook)


def run_program(request, isolation, workdir, marker_fd, token):
    # Made once in the server, unused there: each child starts with empty buffers on its own fds 0-2.
    sys.stdin, sys.stdout, sys.stderr = CHILD_STDIO
    sys.__stdin__, sys.__stdout__, sys.__stderr__ = CHILD_STDIO
    sys.argv = ["program.py"]
    for name in ("random", "numpy.random"):
        module = sys.modules.get(name)
        if module is not None:
            try:
                module.seed()
            except Exception:
                pass
    path = os.path.join(workdir, "program.py")
    source = request["program"]
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(source)
    main_module = types.ModuleType("__main__")
    main_module.__file__ = path
    main_module.__builtins__ = __builtins__
    sys.modules["__main__"] = main_module
    install_audit_hook(workdir, restrict_writes=isolation.uid is None or not isolation.read_only)
    outcome = None
    try:
        code = compile(source, path, "exec")
        exec(code, main_module.__dict__)
    except BaseException as error:  # SystemExit and KeyboardInterrupt are failures too
        outcome = error
    # A whole program reading stdin (stdio problems) may end with exit() or sys.exit(0).
    if request.get("exitOk") and isinstance(outcome, SystemExit) and outcome.code in (None, 0):
        outcome = None
    try:
        if outcome is not None:
            # Leave out this runner's own frame: the traceback starts in the program.
            trace = outcome.__traceback__.tb_next if outcome.__traceback__ is not None else None
            traceback.print_exception(type(outcome), outcome, trace)
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:
        pass
    pid = str(os.getpid()).encode()
    if outcome is None:
        record = token + b" " + pid + b" passed\n"
    else:
        detail = type(outcome).__name__
        if isinstance(outcome, SystemExit):
            detail += f"({outcome.code!r})"[:80]
        detail = detail.replace("\n", " ")
        record = b"- " + pid + b" failed " + detail.encode("utf-8", "backslashreplace") + b"\n"
    try:
        _write(marker_fd, record)
    except OSError:
        pass
    _exit(0 if outcome is None else 1)


class Capture:
    """Output of one pipe, kept up to a cap; the rest is read and counted, never stored."""

    def __init__(self, cap):
        self.cap = cap
        self.chunks = []
        self.kept = 0
        self.total = 0

    def add(self, data):
        self.total += len(data)
        room = self.cap - self.kept
        if room > 0:
            piece = data[:room]
            self.chunks.append(piece)
            self.kept += len(piece)

    def text(self):
        return b"".join(self.chunks).decode("utf-8", "replace")


def run_request(request, isolation, counter):
    started = time.monotonic()
    workdir = os.path.join(isolation.root, f"run-{counter}")
    os.mkdir(workdir, 0o700)
    if isolation.uid is not None:
        os.chown(workdir, isolation.uid, isolation.uid)
    stdin_data = request.get("stdin")
    stdin_r, stdin_w = os.pipe() if stdin_data is not None else (None, None)
    stdout_r, stdout_w = os.pipe()
    stderr_r, stderr_w = os.pipe()
    marker_r, marker_w = os.pipe()
    token = secrets.token_hex(16).encode()
    pid = os.fork()
    if pid == 0:
        child_main(request, isolation, workdir, stdin_r, stdout_w, stderr_w, marker_w, token)
    for fd in (stdin_r, stdout_w, stderr_w, marker_w):
        if fd is not None:
            os.close(fd)
    cap = request["maxOutputBytes"]
    captures = {stdout_r: Capture(cap), stderr_r: Capture(cap), marker_r: Capture(4096)}
    pidfd = os.pidfd_open(pid)
    selector = selectors.DefaultSelector()
    for fd in (stdout_r, stderr_r, marker_r):
        os.set_blocking(fd, False)
        selector.register(fd, selectors.EVENT_READ)
    selector.register(pidfd, selectors.EVENT_READ)
    feeder = StdinFeeder(stdin_w, stdin_data, selector) if stdin_w is not None else None
    stop_at_cap = bool(request.get("stopAtOutputLimit"))
    deadline = started + request["timeoutMs"] / 1000.0
    timed_out = False
    output_limited = False
    status = None
    while status is None and not output_limited:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            timed_out = True
            break
        for key, _ in selector.select(remaining):
            if key.fd == pidfd:
                _, status = os.waitpid(pid, 0)
                break
            if feeder is not None and key.fd == feeder.fd:
                feeder.write()
                continue
            drain(key.fd, captures, selector, once=True)
            if stop_at_cap and captures[stdout_r].total > cap:
                output_limited = True
                break
    if feeder is not None:
        feeder.close()
    duration_ms = (time.monotonic() - started) * 1000.0
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    if status is None:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        _, status = os.waitpid(pid, 0)
    end_descendants(isolation)
    for fd in (stdout_r, stderr_r, marker_r):
        drain(fd, captures, selector, once=False)
        os.close(fd)
    selector.close()
    os.close(pidfd)
    remove_workdir(workdir)
    marker = captures[marker_r].text()
    exit_code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else None
    signal_number = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
    if output_limited:
        verdict, exception, reason = "crashed", None, "output limit exceeded"
    else:
        verdict, exception, reason = classify(marker, token, pid, timed_out, exit_code, signal_number, bool(request.get("exitOk")))
    stdout, stderr = captures[stdout_r], captures[stderr_r]
    return {
        "id": request["id"],
        "status": verdict,
        "exception": exception,
        "reason": reason,
        "exitCode": exit_code,
        "signal": signal.Signals(signal_number).name if signal_number else None,
        "stdout": stdout.text(),
        "stderr": stderr.text(),
        "stdoutBytes": stdout.total,
        "stderrBytes": stderr.total,
        "durationMs": duration_ms,
    }


class StdinFeeder:
    """Writes a program's stdin without blocking, as the pipe takes it; a program that stops
    reading (or exits) just leaves the rest unwritten."""

    def __init__(self, fd, text, selector):
        self.fd = fd
        self.data = memoryview(text.encode("utf-8"))
        self.selector = selector
        os.set_blocking(fd, False)
        if self.data:
            selector.register(fd, selectors.EVENT_WRITE)
        else:
            self.close()

    def write(self):
        try:
            written = os.write(self.fd, self.data[:65536])
        except BlockingIOError:
            return
        except OSError:
            self.close()
            return
        self.data = self.data[written:]
        if not self.data:
            self.close()

    def close(self):
        if self.fd is None:
            return
        try:
            self.selector.unregister(self.fd)
        except (KeyError, ValueError):
            pass
        os.close(self.fd)
        self.fd = None


def drain(fd, captures, selector, once):
    # A leftover writer cannot keep the server here: the final drain reads at most 16 MiB.
    for _ in range(1 if once else 256):
        try:
            data = os.read(fd, 65536)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            try:
                selector.unregister(fd)
            except (KeyError, ValueError):
                pass
            return
        captures[fd].add(data)
        if once:
            return


def classify(marker, token, pid, timed_out, exit_code, signal_number, exit_ok=False):
    """Verdict, exception name and reason.

    Passing needs the secret token, in a record of the program's own process (not a process it
    forked), and exit status 0. Records of other pids are ignored; of the program's own failure
    records, the last counts. With `exit_ok` (stdio programs, judged by their output), exit
    status 0 passes however the program ended.
    """
    if timed_out:
        return "timeout", None, "wall-clock timeout"
    if signal_number == signal.SIGXCPU:
        return "timeout", None, "cpu time limit"
    if exit_code == 71:
        return "crashed", None, "sandbox setup failed"
    if exit_ok and exit_code == 0:
        return "passed", None, "passed"
    failure = None
    for line in marker.split("\n"):
        parts = line.split(" ", 3)
        if len(parts) < 3 or parts[1] != str(pid):
            continue
        if len(parts) == 3 and parts[0] == token.decode() and parts[2] == "passed":
            if exit_code == 0:
                return "passed", None, "passed"
        elif len(parts) == 4 and parts[0] == "-" and parts[2] == "failed":
            failure = parts[3]
    if failure is not None and signal_number is None:
        return "failed", failure.split("(", 1)[0], f"raised {failure}"
    if signal_number is not None:
        name = signal.Signals(signal_number).name
        if signal_number == signal.SIGXFSZ:
            return "crashed", None, f"killed by {name} (file size limit)"
        return "crashed", None, f"killed by {name}"
    return "failed", None, f"exited with status {exit_code} before the tests completed"


def preload(modules):
    loaded = []
    for name in modules:
        try:
            __import__(name)
            loaded.append(name)
        except Exception:
            pass
    return loaded


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--sweep":
        sweep_uid(int(sys.argv[2]))
        return
    settings = json.loads(sys.argv[1])
    try:
        libc_call("prctl", PR_SET_PDEATHSIG, ctypes.c_ulong(signal.SIGKILL), ctypes.c_ulong(0), ctypes.c_ulong(0), ctypes.c_ulong(0))
    except OSError:
        pass
    protocol_in = os.dup(0)
    protocol_out = os.dup(1)
    null = os.open("/dev/null", os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    drop_uid = settings["uidBase"] + os.getpid() if os.geteuid() == 0 and settings.get("isolation") != "none" else None
    reaper_pipe = start_reaper(drop_uid, settings["sandboxRoot"])
    try:
        isolation = Isolation(settings)
    except Exception as error:
        write_message(protocol_out, {"ready": False, "error": f"{type(error).__name__}: {error}"})
        return
    loaded = preload(settings.get("preload", []))
    prepare_children()
    # Objects alive now are never collected in a child: a collection would touch (and so copy) every page.
    gc.freeze()
    failure = self_check(isolation)
    if failure is not None:
        write_message(protocol_out, {"ready": False, "error": failure, "code": "SANDBOX_SELF_CHECK_FAILED"})
        sweep_uid(isolation.uid)
        isolation.remove_root()
        return
    write_message(
        protocol_out,
        {
            "ready": True,
            "pid": os.getpid(),
            "python": sys.version.split()[0],
            "executable": sys.executable,
            "isolation": isolation.describe(),
            "preloaded": loaded,
        },
    )
    counter = 0
    while True:
        request = read_message(protocol_in)
        if request is None:
            break
        counter += 1
        try:
            response = run_request(request, isolation, counter)
        except Exception as error:
            response = {"id": request.get("id"), "status": "crashed", "exception": None, "reason": f"sandbox error: {type(error).__name__}: {error}"}
        write_message(protocol_out, response)
    sweep_uid(isolation.uid)
    isolation.remove_root()
    os.close(reaper_pipe)


def self_check(isolation):
    """Runs trivial programs exactly as samples run; None when they behave, else why not.

    A sandbox that cannot run `pass` (a working folder the sandbox uid cannot enter, a missing
    interpreter file) would judge every sample failed: refuse to judge instead.
    """
    base = {"memoryBytes": 2 * 1024**3, "cpuSeconds": 11, "maxProcesses": 32, "maxFileBytes": 1 << 20,
            "maxOpenFiles": 256, "maxOutputBytes": 4096, "timeoutMs": 10_000}
    checks = [
        ({"program": "pass\n"}, "passed", ""),
        ({"program": "print(input()[::-1])\n", "stdin": "abc\n"}, "passed", "cba\n"),
        ({"program": "assert False\n"}, "failed", ""),
    ]
    for index, (extra, expected_status, expected_stdout) in enumerate(checks):
        response = run_request({"id": -1 - index, **base, **extra}, isolation, f"check-{index}")
        if response["status"] != expected_status or (expected_stdout and response["stdout"] != expected_stdout):
            detail = response["stderr"].strip().splitlines()[-1:] or [""]
            return (f"a trivial program ({extra['program'].strip()!r}) gave {response['status']} ({response['reason']}), "
                    f"expected {expected_status}; sandbox folder {isolation.root}; {detail[0]}").strip("; ")
    return None


if __name__ == "__main__":
    main()
