/**
 * What the HTTP scorers share: a JSON POST with the scheduler's signal, and the mapping of HTTP
 * statuses, network failures and broken bodies to ProviderErrors (the providers' own mapping).
 */
import { ProviderError } from '../../core/errors.ts';
import { errorFromNetwork, errorFromStatus, malformedResponse, parseRetryAfterMs, serverMessageOf, type ErrorContext } from '../../providers/errors-shared.ts';

/**
 * POSTs `body` as JSON to `url` and returns the parsed JSON answer. HTTP errors, network failures
 * and unparsable bodies become ProviderErrors; an abort of `signal` rethrows its reason.
 */
export async function postJson(
  fetchFunction: typeof fetch,
  url: string,
  body: unknown,
  headers: Record<string, string>,
  signal: AbortSignal,
  context: ErrorContext,
): Promise<unknown> {
  let response: Response;
  let text: string;
  try {
    response = await fetchFunction(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: JSON.stringify(body),
      signal,
    });
    text = await response.text();
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    if (error instanceof ProviderError) throw error;
    const network = errorFromNetwork(error, context);
    if (network !== undefined) throw network;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = text.length === 0 ? undefined : JSON.parse(text);
  } catch (error) {
    if (!response.ok) throw errorFromStatus(response.status, text, parseRetryAfterMs(response.headers), context);
    throw malformedResponse(`invalid JSON (${text.slice(0, 80)})`, context, error);
  }
  if (!response.ok) throw errorFromStatus(response.status, serverMessageOf(parsed), parseRetryAfterMs(response.headers), context);
  return parsed;
}

/** Fills `{question}` and `{solution}` in a template (each placeholder may appear any number of times). */
export function fillTemplate(template: string, values: { question: string; solution: string }): string {
  return template.replace(/\{(question|solution)\}/g, (_, name: 'question' | 'solution') => values[name]);
}
