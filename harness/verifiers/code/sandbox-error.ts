/** Errors of the Python sandbox (the worker pool itself, never a program's own failure). */
import { HarnessError } from '../../core/errors.ts';

/**
 * The sandbox could not run programs: python3 missing, the requested isolation unavailable, the
 * pool closed, or a worker answering with something that is not the protocol. A program that
 * fails, times out or crashes is a verdict, not a SandboxError.
 */
export class SandboxError extends HarnessError {
  constructor(code: string, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(code, message, options);
  }
}
