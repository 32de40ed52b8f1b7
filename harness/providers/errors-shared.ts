/**
 * Error mapping shared by the HTTP providers: HTTP statuses, network failures and broken bodies
 * become ProviderErrors with `retryable`, `retryAfterMs` and a hint; secrets never reach a message.
 */
import { HarnessError, ProviderError, isRetryableStatus } from '../core/errors.ts';

/** What a provider knows when it turns a failure into a ProviderError. */
export interface ErrorContext {
  /** Provider kind, for messages (`ollama`, `openai`, `huggingface`). */
  provider: string;
  /** Model name as the server knows it. */
  model: string;
  /** Endpoint (base URL) that was called; credentials are stripped before use. */
  endpoint: string;
  /** Environment variable holding the API key, named in 401/403 hints. */
  apiKeyEnv?: string;
  /** Hint for a 404 (model not found); default: check the model name. */
  notFoundHint?: string;
  /** Secret values to scrub from any server text quoted in a message. */
  secrets?: ReadonlyArray<string>;
}

/** Longest server text quoted in an error message, characters. */
const maxQuotedLength = 300;

/** Patterns of well-known token formats, scrubbed even when we were not told the value. */
const secretPatterns: ReadonlyArray<RegExp> = [/\bsk-[A-Za-z0-9_-]{6,}/g, /\bhf_[A-Za-z0-9]{6,}/g, /\bBearer\s+[^\s"',]+/gi];

/**
 * Removes secrets from a text: the given values and anything shaped like an OpenAI (`sk-…`) or
 * Hugging Face (`hf_…`) token or a bearer credential.
 */
export function redactSecrets(text: string, secrets: ReadonlyArray<string> = []): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length >= 4) result = result.split(secret).join('[redacted]');
  }
  for (const pattern of secretPatterns) result = result.replace(pattern, '[redacted]');
  return result;
}

/** `scheme://user:password@` in a URL: the credentials part. */
const urlCredentials = /\b([a-z][a-z0-9+.-]*:\/\/)[^/\s@"'<>]+@/gi;
/** A query (or fragment) parameter whose name says it carries a credential: `?api_key=…`, `&token=…`, `?key=…`. */
const credentialParameter = /([?&#;][\w.-]*?(?:key|token|secret|password|passwd|pwd|auth|signature|sig|credential)[\w.-]*=)[^&#\s"'<>]*/gi;

/**
 * Replaces credentials written inside URLs anywhere in a text (`user:password@`, `?api_key=…`,
 * `?key=…`, `&token=…`) by `[redacted]`, keeping the rest of the URL readable.
 */
export function redactUrlCredentials(text: string): string {
  return text.replace(urlCredentials, '$1[redacted]@').replace(credentialParameter, '$1[redacted]');
}

/** Well-known key prefixes a server may drop when it echoes a key back. */
const keyPrefixes: ReadonlyArray<string> = ['sk-proj-', 'sk-', 'hf_', 'Bearer '];

/**
 * The forms of secret values to scrub: each value, and each without a well-known prefix
 * (`sk-`, `hf_`) when what is left is still long enough (12 characters) not to match ordinary text.
 */
export function secretForms(values: Iterable<string>): string[] {
  const forms = new Set<string>();
  for (const value of values) {
    if (value.length < 4) continue;
    forms.add(value);
    for (const prefix of keyPrefixes) if (value.startsWith(prefix) && value.length - prefix.length >= 12) forms.add(value.slice(prefix.length));
  }
  // Longest first, so that a value is scrubbed whole before a shorter form of it is.
  return [...forms].sort((a, b) => b.length - a.length);
}

/**
 * A scrubber for every message stored or printed: known secret values (with and without their
 * prefixes), token-shaped strings and credentials inside URLs become `[redacted]`.
 */
export function createScrubber(secretValues: Iterable<string>): (text: string) => string {
  const forms = secretForms(secretValues);
  return (text) => redactUrlCredentials(redactSecrets(text, forms));
}

/**
 * Errors that will fail every request of the model, so the run stops at once with the server's
 * message instead of recording one error sample per slot: refused or missing credentials (401,
 * 403), an unknown model (404), a request the client or router refuses before sending it (no
 * token for the auto router, an unknown inference provider) and misconfigured simulations.
 */
export function isModelWideFailure(error: ProviderError): boolean {
  if (error.retryable) return false;
  if (error.status === 401 || error.status === 403 || error.status === 404) return true;
  return ['UNAUTHORIZED', 'FORBIDDEN', 'MODEL_NOT_FOUND', 'INVALID_REQUEST'].includes(error.code) || error.code.startsWith('SIM_');
}

/** Every sample of a session failed (fewer than the error-rate check needs): the run failed, whatever maxErrorRate says. */
export function allSamplesFailed(count: number, samplesPath: string, firstMessage?: string): HarnessError {
  return new HarnessError('ALL_SAMPLES_FAILED', `all ${count} samples drawn this session failed${firstMessage === undefined ? '' : `; the first: ${firstMessage}`}`, {
    hint: `See the \`error\` field of the records in ${samplesPath}; fix the cause and run the same command again (failed samples are drawn again).`,
  });
}

/** An endpoint URL without user name, password or query string, safe for messages and records. */
export function safeEndpoint(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    url.username = '';
    url.password = '';
    url.search = '';
    url.hash = '';
    return url.toString().replace(/\/$/, '');
  } catch {
    return '[invalid endpoint URL]';
  }
}

/**
 * Parses `Retry-After` (seconds, or an HTTP date) and the non-standard `retry-after-ms`, in
 * milliseconds; undefined when absent or unparsable. `nowMs` is the current time for HTTP dates.
 */
export function parseRetryAfterMs(
  headers: { get(name: string): string | null } | undefined,
  nowMs: number = Date.now(),
): number | undefined {
  if (headers === undefined) return undefined;
  const milliseconds = headers.get('retry-after-ms');
  if (milliseconds !== null && /^\s*\d+(\.\d+)?\s*$/.test(milliseconds)) return Math.round(Number(milliseconds));
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/** Shortens and scrubs a server-provided message before quoting it. */
function quote(text: string, context: ErrorContext): string {
  const clean = redactUrlCredentials(redactSecrets(text.replace(/\s+/g, ' ').trim(), secretForms(context.secrets ?? [])));
  return clean.length > maxQuotedLength ? `${clean.slice(0, maxQuotedLength)}…` : clean;
}

/**
 * The server's own explanation inside an error body, in the spellings vLLM and OpenAI
 * (`message`, `error.message`), TGI and the Hugging Face router (`error`) and FastAPI (`detail`) use;
 * a text body as is.
 */
export function serverMessageOf(body: unknown): string | undefined {
  if (typeof body === 'string') return body;
  if (typeof body !== 'object' || body === null) return undefined;
  if ('error' in body) {
    if (typeof body.error === 'string') return body.error;
    if (typeof body.error === 'object' && body.error !== null && 'message' in body.error && typeof body.error.message === 'string') return body.error.message;
  }
  if ('message' in body && typeof body.message === 'string') return body.message;
  if ('detail' in body && typeof body.detail === 'string') return body.detail;
  return undefined;
}

/**
 * Maps an HTTP error status to a ProviderError. `serverMessage` is the server's own explanation
 * (quoted, scrubbed of secrets); `retryAfterMs` comes from the response headers.
 */
export function errorFromStatus(
  status: number,
  serverMessage: string | undefined,
  retryAfterMs: number | undefined,
  context: ErrorContext,
  cause?: unknown,
): ProviderError {
  const endpoint = safeEndpoint(context.endpoint);
  const said = serverMessage === undefined || serverMessage.trim() === '' ? '' : `: ${quote(serverMessage, context)}`;
  const base = {
    status,
    endpoint,
    retryable: isRetryableStatus(status),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    ...(cause === undefined ? {} : { cause }),
  };
  const keyHint =
    context.apiKeyEnv === undefined
      ? 'Check the credentials the server expects.'
      : `Set the environment variable ${context.apiKeyEnv} to a valid key (or name another variable with \`apiKeyEnv:\`).`;
  switch (true) {
    case status === 400 || status === 422:
      return new ProviderError('BAD_REQUEST', `${context.provider} ${endpoint} rejected the request for model ${context.model} (HTTP ${status})${said}`, {
        ...base,
        hint: 'Fix the request settings the server complains about (model settings, sampling or extraBody in the config).',
      });
    case status === 401:
      return new ProviderError('UNAUTHORIZED', `${context.provider} ${endpoint} refused the credentials (HTTP 401)${said}`, { ...base, hint: keyHint });
    case status === 403:
      return new ProviderError('FORBIDDEN', `${context.provider} ${endpoint} denied access to model ${context.model} (HTTP 403)${said}`, {
        ...base,
        hint: `${keyHint} The key may also lack access to this model.`,
      });
    case status === 404:
      return new ProviderError('MODEL_NOT_FOUND', `model ${context.model} was not found on ${endpoint} (HTTP 404)${said}`, {
        ...base,
        hint: context.notFoundHint ?? `Check the model name in the config against the models ${endpoint} serves.`,
      });
    case status === 408:
      return new ProviderError('REQUEST_TIMEOUT', `${context.provider} ${endpoint} timed out the request (HTTP 408)${said}`, base);
    case status === 409:
      return new ProviderError('CONFLICT', `${context.provider} ${endpoint} reported a conflict (HTTP 409)${said}`, base);
    case status === 429:
      return new ProviderError('RATE_LIMITED', `${context.provider} ${endpoint} is rate limiting (HTTP 429)${said}`, {
        ...base,
        hint: 'Lower `concurrency` for this model, or wait: retries honour the Retry-After the server sends.',
      });
    case status >= 500:
      return new ProviderError('SERVER_ERROR', `${context.provider} ${endpoint} failed (HTTP ${status})${said}`, base);
    default:
      return new ProviderError('HTTP_ERROR', `${context.provider} ${endpoint} answered HTTP ${status}${said}`, base);
  }
}

/** A response that arrived but cannot be used (invalid JSON, missing fields): worth retrying. */
export function malformedResponse(detail: string, context: ErrorContext, cause?: unknown): ProviderError {
  const endpoint = safeEndpoint(context.endpoint);
  return new ProviderError('MALFORMED_RESPONSE', `${context.provider} ${endpoint} sent a malformed response: ${quote(detail, context)}`, {
    retryable: true,
    endpoint,
    ...(cause === undefined ? {} : { cause }),
  });
}

/** A response cut off before it was complete (stream ended early, body shorter than announced). */
export function truncatedResponse(detail: string, context: ErrorContext, cause?: unknown): ProviderError {
  const endpoint = safeEndpoint(context.endpoint);
  return new ProviderError('TRUNCATED_RESPONSE', `${context.provider} ${endpoint} ended the response early: ${quote(detail, context)}`, {
    retryable: true,
    endpoint,
    ...(cause === undefined ? {} : { cause }),
  });
}

/** Walks an error's `cause` chain (bounded) and returns every error in it, outermost first. */
function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current !== undefined && current !== null && chain.length < 8) {
    chain.push(current);
    current = typeof current === 'object' && 'cause' in current ? (current as { cause?: unknown }).cause : undefined;
  }
  return chain;
}

/** System error codes of a failed connection (refused, reset, DNS, socket closed). */
const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/**
 * Maps a thrown network-level failure (fetch TypeError, socket reset, body parse failure) to a
 * retryable ProviderError; returns undefined when the error is none of those.
 */
export function errorFromNetwork(error: unknown, context: ErrorContext): ProviderError | undefined {
  const endpoint = safeEndpoint(context.endpoint);
  for (const link of causeChain(error)) {
    if (typeof link !== 'object' || link === null) continue;
    const code = 'code' in link && typeof link.code === 'string' ? link.code : undefined;
    if (code !== undefined && networkCodes.has(code)) {
      const reset = code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE' || code === 'UND_ERR_CLOSED';
      return new ProviderError(
        reset ? 'CONNECTION_RESET' : 'NETWORK_ERROR',
        `${context.provider} ${endpoint}: ${reset ? 'the connection was closed before the response was complete' : `cannot connect (${code})`}`,
        {
          retryable: true,
          endpoint,
          cause: error,
          ...(code === 'ECONNREFUSED' || code === 'ENOTFOUND' ? { hint: `Check that the server at ${endpoint} is running and reachable.` } : {}),
        },
      );
    }
  }
  for (const link of causeChain(error)) {
    if (link instanceof SyntaxError) return malformedResponse(link.message, context, error);
    if (link instanceof TypeError && /fetch failed|terminated|network|socket/i.test(link.message)) {
      return new ProviderError('NETWORK_ERROR', `${context.provider} ${endpoint}: network failure (${quote(link.message, context)})`, {
        retryable: true,
        endpoint,
        cause: error,
      });
    }
  }
  return undefined;
}
