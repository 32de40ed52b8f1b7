/** A StoreFs over node:fs that injects faults: short writes, errors, or a stop after N bytes. */
import { nodeStoreFs, type StoreFs } from '../../harness/store/store-fs.ts';

/** What to do to the next calls. */
export interface Faults {
  /** Next writeSync calls that store only this many bytes (one entry per call). */
  shortWrites: number[];
  /** Next writeSync calls (counted after short writes) that throw this error code. */
  failWrites: string[];
  /** Stop (throw KILLED) once this many bytes in total have been written: a kill stand-in. */
  killAfterBytes?: number;
  /** Throw this code from the Nth call (1-based) of any kind: a kill between any two calls. */
  failCall?: { at: number; code: string };
}

/** The fs plus counters of what happened. */
export interface FaultyFs extends StoreFs {
  faults: Faults;
  bytesWritten: number;
  calls: number;
}

function osError(code: string): Error {
  return Object.assign(new Error(`${code}: injected`), { code });
}

/** A StoreFs whose faults are set in `faults` (changeable between calls). */
export function faultyFs(faults: Partial<Faults> = {}): FaultyFs {
  const state: FaultyFs = {
    ...nodeStoreFs,
    faults: { shortWrites: [], failWrites: [], ...faults },
    bytesWritten: 0,
    calls: 0,
  };
  const counted =
    <A extends unknown[], R>(call: (...args: A) => R) =>
    (...args: A): R => {
      state.calls += 1;
      const fail = state.faults.failCall;
      if (fail && state.calls === fail.at) throw osError(fail.code);
      return call(...args);
    };
  state.openSync = counted(nodeStoreFs.openSync);
  state.fsyncSync = counted(nodeStoreFs.fsyncSync);
  state.closeSync = counted(nodeStoreFs.closeSync);
  state.renameSync = counted(nodeStoreFs.renameSync);
  state.linkSync = counted(nodeStoreFs.linkSync);
  state.writeSync = counted((fd: number, buffer: Uint8Array, offset: number, length: number): number => {
    const failure = state.faults.failWrites.shift();
    if (failure !== undefined) throw osError(failure);
    let allowed = length;
    const short = state.faults.shortWrites.shift();
    if (short !== undefined) allowed = Math.min(allowed, short);
    const kill = state.faults.killAfterBytes;
    if (kill !== undefined) {
      if (state.bytesWritten >= kill) throw osError('KILLED');
      allowed = Math.min(allowed, kill - state.bytesWritten);
    }
    const written = nodeStoreFs.writeSync(fd, buffer, offset, allowed);
    state.bytesWritten += written;
    return written;
  });
  return state;
}
