/** Errors of the store: a file that could not be written, a run folder another process holds. */
import { HarnessError } from '../core/errors.ts';

/** The operating-system error code of a failed call (ENOSPC, EACCES, ...), or undefined. */
export function osErrorCode(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/** What to do about an operating-system error while writing `path`. */
function hintFor(osCode: string | undefined, path: string, retry: string): string {
  switch (osCode) {
    case 'ENOSPC':
    case 'EDQUOT':
      return `The disk (or your quota) is full: free space where ${path} lives (see \`df -h\`), then ${retry}.`;
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return `The file or its folder is not writable by this user (or is on a read-only file system): fix the permissions of ${path}, then ${retry}.`;
    case 'EIO':
      return `The device reported an input/output error: check the disk and its logs (dmesg), then ${retry}.`;
    default:
      return `Check that ${path} is writable and the disk is healthy, then ${retry}.`;
  }
}

/**
 * A store file could not be written. Fatal for the command (exit 1): the file is left in its
 * last valid state (a log keeps every complete record; a replaced file keeps its previous version).
 */
export class StoreWriteError extends HarnessError {
  /** The file that could not be written. */
  readonly path: string;
  /** The operating-system error code (ENOSPC, EACCES, EIO, ...), when there was one. */
  readonly osCode: string | undefined;

  constructor(code: string, what: string, path: string, cause: unknown, retry = 'run the same command again') {
    const osCode = osErrorCode(cause);
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(code, `could not write ${what} ${path}: ${osCode !== undefined && !reason.includes(osCode) ? `${osCode}: ` : ''}${reason}`, { hint: hintFor(osCode, path, retry), cause, exitCode: 1 });
    this.path = path;
    this.osCode = osCode;
  }
}
