import { describe, expect, it } from 'vitest';
import { errorFromStatus, parseRetryAfterMs, redactSecrets, safeEndpoint } from '../../harness/providers/errors-shared.ts';
import { estimateTokens, mapFinishReason, splitProportionally } from '../../harness/providers/usage-shared.ts';

const headers = (entries: Record<string, string>): Headers => new Headers(entries);

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  it.each([
    [{ 'retry-after': '3' }, 3000],
    [{ 'retry-after': '0' }, 0],
    [{ 'retry-after': '1.5' }, 1500],
    [{ 'retry-after': 'Wed, 01 Jan 2025 00:00:10 GMT' }, 10_000],
    [{ 'retry-after': 'Tue, 31 Dec 2024 23:59:00 GMT' }, 0],
    [{ 'retry-after-ms': '250', 'retry-after': '9' }, 250],
    [{ 'retry-after': 'soon' }, undefined],
    [{}, undefined],
  ])('%j → %s', (entries, expected) => {
    expect(parseRetryAfterMs(headers(entries), now)).toBe(expected);
  });
});

describe('redactSecrets and safeEndpoint', () => {
  it.each([
    ['key sk-abcdef123456 leaked', [], 'key [redacted] leaked'],
    ['token hf_AbCdEf123456 here', [], 'token [redacted] here'],
    ['Authorization: Bearer xyz.abc', [], 'Authorization: [redacted]'],
    ['custom secret-value-9 inside', ['secret-value-9'], 'custom [redacted] inside'],
    ['nothing to hide', [], 'nothing to hide'],
  ])('%s', (text, secrets, expected) => {
    expect(redactSecrets(text, secrets)).toBe(expected);
  });

  it.each([
    ['http://user:pass@host:8000/v1?key=abc', 'http://host:8000/v1'],
    ['http://127.0.0.1:11434/', 'http://127.0.0.1:11434'],
    ['not a url', '[invalid endpoint URL]'],
  ])('%s → %s', (endpoint, expected) => {
    expect(safeEndpoint(endpoint)).toBe(expected);
  });
});

describe('errorFromStatus', () => {
  const context = { provider: 'openai', model: 'm', endpoint: 'http://u:p@host/v1', apiKeyEnv: 'OPENAI_API_KEY', secrets: ['sk-live-123456789'] };
  it.each([
    [400, 'BAD_REQUEST', false],
    [401, 'UNAUTHORIZED', false],
    [403, 'FORBIDDEN', false],
    [404, 'MODEL_NOT_FOUND', false],
    [408, 'REQUEST_TIMEOUT', true],
    [409, 'CONFLICT', true],
    [422, 'BAD_REQUEST', false],
    [429, 'RATE_LIMITED', true],
    [500, 'SERVER_ERROR', true],
    [503, 'SERVER_ERROR', true],
    [418, 'HTTP_ERROR', false],
  ])('HTTP %i → %s (retryable %s)', (status, code, retryable) => {
    const error = errorFromStatus(status, 'server says sk-live-123456789 is wrong', 1000, context);
    expect({ code: error.code, retryable: error.retryable, status: error.status, retryAfterMs: error.retryAfterMs, endpoint: error.endpoint }).toEqual({
      code,
      retryable,
      status,
      retryAfterMs: 1000,
      endpoint: 'http://host/v1',
    });
    expect(error.message).not.toContain('sk-live');
    expect(error.message).not.toContain('u:p');
  });
});

describe('usage helpers', () => {
  it.each([
    [10, [1, 1], [5, 5]],
    [10, [1, 2], [3, 7]],
    [7, [1, 1, 1], [3, 2, 2]],
    [5, [0, 0], [3, 2]],
    [0, [4, 1], [0, 0]],
    [9, [], []],
  ])('splitProportionally(%i, %j) → %j', (total, weights, expected) => {
    expect(splitProportionally(total, weights)).toEqual(expected);
  });

  it.each([
    ['', 0],
    ['a', 1],
    ['abcd', 1],
    ['abcde', 2],
  ])('estimateTokens(%j) = %i', (text, expected) => {
    expect(estimateTokens(text)).toBe(expected);
  });

  it.each([
    ['stop', 'stop'],
    ['eos_token', 'stop'],
    ['length', 'length'],
    ['max_tokens', 'length'],
    ['content_filter', 'unknown'],
    [null, 'unknown'],
    [undefined, 'unknown'],
  ] as const)('mapFinishReason(%s) = %s', (reason, expected) => {
    expect(mapFinishReason(reason)).toBe(expected);
  });
});
