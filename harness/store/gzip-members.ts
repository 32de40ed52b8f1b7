/**
 * The compressed sample log is a series of gzip members, one per flush, so `zcat`, Python's gzip
 * module or pandas read it as one file. Each member carries its own length in the gzip header's
 * extra field (subfield `SB`, 4 bytes little-endian: the whole member's length in bytes, as BGZF
 * does for 64 KB blocks), so the store can walk from member to member without inflating, find a
 * member a kill tore off the end, and cut it.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { crc32, deflateRawSync, gunzipSync } from 'node:zlib';

/** Header bytes: 10 fixed, 2 extra length, 4 subfield header, 4 member length. */
const HEADER_BYTES = 20;
const TRAILER_BYTES = 8;
const FLAG_EXTRA = 0x04;

/** One gzip member holding `data` (whole lines), with its length recorded in the header. */
export function gzipMember(data: Uint8Array, level = 6): Buffer {
  const deflated = deflateRawSync(data, { level });
  const member = Buffer.alloc(HEADER_BYTES + deflated.length + TRAILER_BYTES);
  member.writeUInt8(0x1f, 0);
  member.writeUInt8(0x8b, 1);
  member.writeUInt8(8, 2); // deflate
  member.writeUInt8(FLAG_EXTRA, 3);
  member.writeUInt32LE(0, 4); // no modification time: the same data gives the same bytes
  member.writeUInt8(0, 8);
  member.writeUInt8(255, 9); // unknown OS
  member.writeUInt16LE(8, 10); // extra field length
  member.write('SB', 12, 'latin1');
  member.writeUInt16LE(4, 14);
  member.writeUInt32LE(member.length, 16);
  deflated.copy(member, HEADER_BYTES);
  member.writeUInt32LE(crc32(data) >>> 0, HEADER_BYTES + deflated.length);
  member.writeUInt32LE(data.length >>> 0, HEADER_BYTES + deflated.length + 4);
  return member;
}

/** Where the complete members of a compressed log end. */
export interface MemberScan {
  /** Bytes from the start that hold complete, checked members (the valid log). */
  validBytes: number;
  /** Size of the file. */
  fileBytes: number;
  /** Complete members. */
  members: number;
  /** The file is gzip but not written by scaling-bench (no member lengths): read as one stream. */
  foreign: boolean;
}

/** Reads the first two bytes of a file: true for the gzip magic number. */
export function isGzipFile(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const magic = Buffer.alloc(2);
    return readSync(fd, magic, 0, 2, 0) === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/** The length a member header at `offset` records, or undefined when it is not one of ours. */
function memberLength(header: Buffer): number | undefined {
  if (header[0] !== 0x1f || header[1] !== 0x8b || header[2] !== 8 || ((header[3] ?? 0) & FLAG_EXTRA) === 0) return undefined;
  if (header.readUInt16LE(10) !== 8 || header.toString('latin1', 12, 14) !== 'SB' || header.readUInt16LE(14) !== 4) return undefined;
  return header.readUInt32LE(16);
}

/**
 * Walks the members of a compressed log. A member cut short at the end (a kill or a failed write
 * mid-flush), or a last member whose content does not check (CRC), is left out of `validBytes`;
 * anything else that is not a member of ours, before the end, is damage.
 * @throws Error with `offset` when a member in the middle of the file is not one of ours
 */
export function scanMembers(path: string): MemberScan {
  const fd = openSync(path, 'r');
  try {
    const fileBytes = fstatSync(fd).size;
    const header = Buffer.alloc(HEADER_BYTES);
    let offset = 0;
    let members = 0;
    let last: { offset: number; length: number } | undefined;
    while (offset < fileBytes) {
      const read = readSync(fd, header, 0, HEADER_BYTES, offset);
      if (read < HEADER_BYTES) break; // a header cut short: torn tail
      const length = memberLength(header);
      if (length === undefined) {
        if (offset === 0) return { validBytes: fileBytes, fileBytes, members: 0, foreign: true };
        throw Object.assign(new Error(`bytes at offset ${offset} are not a gzip member written by scaling-bench`), { offset });
      }
      if (length < HEADER_BYTES + TRAILER_BYTES) throw Object.assign(new Error(`gzip member at offset ${offset} records an impossible length ${length}`), { offset });
      if (offset + length > fileBytes) break; // a member cut short: torn tail
      last = { offset, length };
      offset += length;
      members += 1;
    }
    // The last complete member is checked whole: a crash can leave right-sized garbage there.
    if (last && !memberChecks(fd, last)) return { validBytes: last.offset, fileBytes, members: members - 1, foreign: false };
    return { validBytes: last ? last.offset + last.length : 0, fileBytes, members, foreign: false };
  } finally {
    closeSync(fd);
  }
}

function memberChecks(fd: number, member: { offset: number; length: number }): boolean {
  const bytes = Buffer.alloc(member.length);
  readSync(fd, bytes, 0, member.length, member.offset);
  try {
    gunzipSync(bytes);
    return true;
  } catch {
    return false;
  }
}
