/**
 * The file-system calls the store makes, passed in so tests can make a write come up short,
 * fail with ENOSPC, or stop part way (a deterministic stand-in for a kill). Default: node:fs.
 */
import * as fs from 'node:fs';

/** The synchronous node:fs calls the store uses (same signatures as node:fs). */
export interface StoreFs {
  openSync(path: string, flags: string, mode?: number): number;
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  ftruncateSync(fd: number, length: number): void;
  fstatSync(fd: number): { size: number };
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  unlinkSync(path: string): void;
  linkSync(existing: string, path: string): void;
  readFileSync(path: string): Buffer;
  existsSync(path: string): boolean;
}

/** The real file system. */
export const nodeStoreFs: StoreFs = {
  openSync: (path, flags, mode) => fs.openSync(path, flags, mode),
  writeSync: (fd, buffer, offset, length) => fs.writeSync(fd, buffer, offset, length),
  fsyncSync: (fd) => fs.fsyncSync(fd),
  ftruncateSync: (fd, length) => fs.ftruncateSync(fd, length),
  fstatSync: (fd) => fs.fstatSync(fd),
  closeSync: (fd) => fs.closeSync(fd),
  renameSync: (from, to) => fs.renameSync(from, to),
  unlinkSync: (path) => fs.unlinkSync(path),
  linkSync: (existing, path) => fs.linkSync(existing, path),
  readFileSync: (path) => fs.readFileSync(path),
  existsSync: (path) => fs.existsSync(path),
};

/** Writes all of a buffer, looping on short writes (the core atomic writer's loop, shared). */
export { writeFully } from '../core/atomic-file.ts';
