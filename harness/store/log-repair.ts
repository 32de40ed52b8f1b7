/** Cutting the torn tail a crash leaves at the end of a log, so appends start on a record boundary. */
import { closeSync, fstatSync, ftruncateSync, openSync, readSync } from 'node:fs';
import { HarnessError } from '../core/errors.ts';
import { scanMembers } from './gzip-members.ts';

/** Cuts a torn last line (no trailing newline) off a plain JSONL log. */
export function repairTornTail(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return;
    const chunk = Buffer.alloc(Math.min(size, 1 << 20));
    let end = size;
    // Walk back to the last newline.
    while (end > 0) {
      const start = Math.max(0, end - chunk.length);
      const length = end - start;
      readSync(fd, chunk, 0, length, start);
      if (end === size && chunk[length - 1] === 0x0a) return;
      const index = chunk.subarray(0, length).lastIndexOf(0x0a);
      if (index >= 0) {
        ftruncateSync(fd, start + index + 1);
        return;
      }
      end = start;
    }
    ftruncateSync(fd, 0);
  } finally {
    closeSync(fd);
  }
}

/** Cuts a torn last gzip member off a compressed log. @throws HarnessError for a gzip file we did not write */
export function repairTornMember(path: string): void {
  const scan = scanOrThrow(path);
  if (scan.foreign) {
    throw new HarnessError('LOG_FOREIGN_GZIP', `${path} is gzip-compressed but was not written by scaling-bench, so it cannot be appended to safely`, {
      hint: `Decompress it first (gunzip ${path}), then run the command again.`,
      exitCode: 2,
    });
  }
  if (scan.validBytes === scan.fileBytes) return;
  const fd = openSync(path, 'r+');
  try {
    ftruncateSync(fd, scan.validBytes);
  } finally {
    closeSync(fd);
  }
}

/** Cuts the torn tail of a log in either format. */
export function repairLogTail(path: string, compressed: boolean): void {
  if (compressed) repairTornMember(path);
  else repairTornTail(path);
}

/** scanMembers, with damage mid-file turned into a coded error naming the offset. */
export function scanOrThrow(path: string, code = 'LOG_CORRUPT'): ReturnType<typeof scanMembers> {
  try {
    return scanMembers(path);
  } catch (error) {
    const offset = (error as { offset?: number }).offset;
    if (offset === undefined) throw error;
    throw new HarnessError(code, `${path} is damaged at byte ${offset}: ${(error as Error).message}`, {
      hint: `The compressed log was edited or damaged. Keep the part before the damage (head -c ${offset} ${path} > fixed.gz) and move it into place; samples after it will be drawn again on resume.`,
      cause: error,
    });
  }
}
