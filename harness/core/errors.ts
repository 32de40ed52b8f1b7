/**
 * Every error scaling-bench throws is a HarnessError: a stable `code`, a message naming the bad
 * value (and the valid ones), and a `hint` saying what to do about it.
 */
export class HarnessError extends Error {
  /** Stable machine-readable code, e.g. `CONFIG_INVALID`. */
  readonly code: string;
  /** What the user should do next. */
  readonly hint: string | undefined;
  /** Process exit code the CLI uses when this error ends a command (2 = usage/config, 1 = run failed). */
  readonly exitCode: number;

  constructor(code: string, message: string, options: { hint?: string; cause?: unknown; exitCode?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? 1;
  }
}

/** A config file or CLI usage problem (exit code 2). */
export class ConfigError extends HarnessError {
  constructor(code: string, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(code, message, { ...options, exitCode: 2 });
  }
}

/** A dataset that cannot be found or parsed. */
export class DatasetError extends HarnessError {
  constructor(code: string, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(code, message, { ...options, exitCode: 2 });
  }
}

/** Options for a ProviderError. */
export interface ProviderErrorOptions {
  hint?: string;
  cause?: unknown;
  /** HTTP status, when the server answered. */
  status?: number;
  /** Whether retrying the same request may succeed (408, 409, 429, 5xx, network errors, timeouts). */
  retryable: boolean;
  /** Delay the server asked for (Retry-After), in milliseconds. */
  retryAfterMs?: number;
  /** The endpoint (base URL) that failed; never contains credentials. */
  endpoint?: string;
}

/** A model call that failed. The scheduler decides on retries from `retryable` and `retryAfterMs`. */
export class ProviderError extends HarnessError {
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly endpoint: string | undefined;

  constructor(code: string, message: string, options: ProviderErrorOptions) {
    super(code, message, { ...(options.hint === undefined ? {} : { hint: options.hint }), cause: options.cause });
    this.status = options.status;
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
    this.endpoint = options.endpoint;
  }
}

/** The run was interrupted (Ctrl-C / SIGTERM) after flushing what it had; exit 130. */
export class InterruptedError extends HarnessError {
  constructor(message = 'interrupted') {
    super('INTERRUPTED', message, { hint: 'Run the same command again to continue where it stopped.', exitCode: 130 });
  }
}

/** Whether an HTTP status is worth retrying. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}
