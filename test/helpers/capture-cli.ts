/** CLI dependencies whose stdout and stderr are captured as strings, for tests of `main`. */
import { Writable } from 'node:stream';
import type { CliDeps } from '../../harness/cli/main.ts';

/** Captured CLI streams: `out()` and `err()` return everything written so far. */
export function captureCli(cwd: string, env: Record<string, string | undefined> = {}): CliDeps & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const sink = (append: (text: string) => void): Writable =>
    new Writable({
      write(chunk, _encoding, callback) {
        append(String(chunk));
        callback();
      },
    });
  return { stdout: sink((text) => (out += text)), stderr: sink((text) => (err += text)), env, cwd, out: () => out, err: () => err };
}
