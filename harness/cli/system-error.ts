/**
 * Operating-system errors (a full disk, a folder without permission, an output folder that is a
 * file) as coded HarnessErrors naming the path and what to do, instead of "unexpected error".
 */
import { HarnessError } from '../core/errors.ts';

/** What the CLI says about one errno code: stable code, what happened, what to do, exit code. */
interface SystemErrorText {
  code: string;
  what: string;
  hint: string;
  /** 2: a path the user gave is wrong; 1: the machine failed the run. */
  exitCode: 1 | 2;
}

const texts: Record<string, SystemErrorText> = {
  EACCES: { code: 'PERMISSION_DENIED', what: 'permission denied', hint: 'Give your user access to that path (ls -ld it), or choose another outputDir / --out.', exitCode: 2 },
  EPERM: { code: 'PERMISSION_DENIED', what: 'operation not permitted', hint: 'Give your user access to that path, or choose another outputDir / --out.', exitCode: 2 },
  EROFS: { code: 'READ_ONLY_FILE_SYSTEM', what: 'the file system is read-only', hint: 'Write the run somewhere writable: set outputDir in the config (or --out).', exitCode: 2 },
  ENOSPC: { code: 'DISK_FULL', what: 'no space left on the device', hint: 'Free some space (df -h shows the device), then run the same command again: what was stored is kept.', exitCode: 1 },
  EDQUOT: { code: 'DISK_FULL', what: 'disk quota exceeded', hint: 'Free some space within your quota, then run the same command again: what was stored is kept.', exitCode: 1 },
  ENOTDIR: { code: 'NOT_A_DIRECTORY', what: 'a part of the path is a file, not a folder', hint: 'Point outputDir (or --out, or the run directory) at a folder, or move the file that is in the way.', exitCode: 2 },
  EISDIR: { code: 'IS_A_DIRECTORY', what: 'is a folder where a file was expected', hint: 'Pass the path of a file, not of a folder.', exitCode: 2 },
  ENOENT: { code: 'PATH_NOT_FOUND', what: 'no such file or folder', hint: 'Check the path: a run directory is one written by `scaling-bench run` or `import`.', exitCode: 2 },
  ENAMETOOLONG: { code: 'NAME_TOO_LONG', what: 'a file name is too long for the file system', hint: 'Use a shorter run name, outputDir or path.', exitCode: 2 },
  EMFILE: { code: 'TOO_MANY_OPEN_FILES', what: 'too many open files', hint: 'Lower `concurrency`, or raise the limit (ulimit -n).', exitCode: 1 },
  EIO: { code: 'IO_ERROR', what: 'input/output error', hint: 'The disk reported a failure; check the device, then run the same command again.', exitCode: 1 },
  EEXIST: { code: 'PATH_EXISTS', what: 'already exists', hint: 'Choose another path, or remove the one in the way.', exitCode: 2 },
};

/** An errno error as Node throws it from `fs` (code, syscall, path). */
interface ErrnoLike {
  code: string;
  syscall?: string;
  path?: string;
  dest?: string;
}

function errnoIn(error: unknown): ErrnoLike | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth += 1) {
    const candidate = current as Partial<ErrnoLike> & { cause?: unknown };
    if (typeof candidate.code === 'string' && texts[candidate.code] !== undefined) return candidate as ErrnoLike;
    current = candidate.cause;
  }
  return undefined;
}

/**
 * Maps an operating-system error (found on the error or its `cause` chain) to a HarnessError with
 * the errno code's stable name, the path, and a hint; undefined for any other error.
 */
export function harnessErrorFromSystem(error: unknown): HarnessError | undefined {
  const errno = errnoIn(error);
  if (errno === undefined) return undefined;
  const text = texts[errno.code] as SystemErrorText;
  const where = errno.path === undefined ? '' : `${errno.path}${errno.dest === undefined ? '' : ` → ${errno.dest}`}: `;
  const during = errno.syscall === undefined ? '' : ` (${errno.syscall}, ${errno.code})`;
  return new HarnessError(text.code, `${where}${text.what}${during}`, { hint: text.hint, cause: error, exitCode: text.exitCode });
}
