/**
 * A fake reward-model server on 127.0.0.1 speaking the wire formats the reward scorers call:
 * - vLLM's pooling routes: POST /pooling (PoolingResponse; `data` one vector per request, or one
 *   row per token with `tokenRows`), POST /classify (ClassificationResponse: `probs`,
 *   `num_classes`), POST /score and /v1/score (ScoreResponse), each with `usage.prompt_tokens`,
 *   and vLLM's error body `{ object: "error", message, type, param, code }`;
 * - a Hugging Face text-classification Inference Endpoint: POST /hf-endpoint with
 *   `{ inputs, parameters }`, answered `[[{ label, score }, …]]` (highest score first).
 * The reward of a candidate comes from `rewardOf` (default: the number after `reward=` in the
 * candidate text, else 0), so tests know every score in advance. Faults as in fake-http.
 */
import type { ServerResponse } from 'node:http';
import {
  applyCommonFault,
  authorized,
  countWords,
  record,
  sendJson,
  sendPlainStatus,
  sendTruncatedJson,
  startFakeServer,
  type FakeFault,
  type FakeServer,
  type FakeServerOptions,
} from './fake-http.ts';

/** Options of the fake reward server. */
export interface FakeRewardOptions extends FakeServerOptions {
  /** The reward of a candidate text (the assistant turn, the classify input, or `text_2`). Default: `reward=<number>` in it, else 0. */
  rewardOf?: (text: string) => number;
  /** /pooling answers one row per token (ALL pooling, `[[r_1], …, [r_T]]` with the reward last) instead of one vector `[r]`. */
  tokenRows?: boolean;
  /** Leave `usage` out of vLLM answers. Default false. */
  noUsage?: boolean;
}

/** A running fake reward server. */
export interface FakeRewardServer extends FakeServer {
  /** URL of the fake Hugging Face text-classification endpoint. */
  hfEndpointUrl: string;
}

/** The default reward: the number written after `reward=` in the text, else 0. */
export function rewardInText(text: string): number {
  const match = /reward=(-?\d+(?:\.\d+)?)/.exec(text);
  return match?.[1] === undefined ? 0 : Number(match[1]);
}

/** Logistic sigmoid (the fake classifiers' probability of the positive class). */
export function fakeSigmoid(value: number): number {
  return 1 / (1 + Math.exp(-value));
}

function vllmError(response: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  const type = status === 404 ? 'NotFoundError' : status >= 500 ? 'InternalServerError' : 'BadRequestError';
  sendJson(response, status, { object: 'error', message, type, param: null, code: status }, headers);
}

/** Starts the fake reward server. */
export async function startFakeReward(options: FakeRewardOptions = {}): Promise<FakeRewardServer> {
  const rewardOf = options.rewardOf ?? rewardInText;
  const server = await startFakeServer(options, (context) => {
    const { request, response, socket } = context;
    const path = request.path.split('?')[0] ?? '';
    const routes = ['/pooling', '/classify', '/score', '/v1/score', '/hf-endpoint'];
    if (request.method !== 'POST' || !routes.includes(path)) return false;
    const hf = path === '/hf-endpoint';
    if (!authorized(options, request)) {
      if (hf) sendJson(response, 401, { error: 'Authorization header is correct, but the token seems invalid' });
      else vllmError(response, 401, 'Unauthorized');
      return true;
    }
    const fault: FakeFault | undefined = context.takeFault();
    const body = record(request.body);
    const model = typeof body.model === 'string' ? body.model : 'fake-reward-model';
    if (!hf && options.models !== undefined && !options.models.includes(model)) {
      vllmError(response, 404, `The model \`${model}\` does not exist.`);
      return true;
    }
    let answer: unknown;
    if (path === '/pooling') {
      const messages = Array.isArray(body.messages) ? body.messages.map(record) : [];
      const candidate = String(messages.filter((message) => message.role === 'assistant').at(-1)?.content ?? body.input ?? '');
      const reward = rewardOf(candidate);
      const tokens = messages.reduce((sum, message) => sum + countWords(String(message.content ?? '')), 0) + 4 * messages.length;
      const data = options.tokenRows === true ? [...Array.from({ length: Math.max(0, tokens - 1) }, (_, token) => [token / 1000]), [reward]] : [reward];
      answer = { id: 'pool-fake', object: 'list', created: 1_700_000_000, model, data: [{ index: 0, object: 'pooling', data }], ...usage(tokens) };
    } else if (path === '/classify') {
      const inputs = Array.isArray(body.input) ? body.input.map(String) : [String(body.input ?? '')];
      const data = inputs.map((input, index) => {
        const probability = fakeSigmoid(rewardOf(input));
        return { index, label: probability >= 0.5 ? 'correct' : 'wrong', probs: [1 - probability, probability], num_classes: 2 };
      });
      const tokens = inputs.reduce((sum, input) => sum + countWords(input), 0);
      answer = { id: 'classify-fake', object: 'list', created: 1_700_000_000, model, data, ...usage(tokens) };
    } else if (path === '/score' || path === '/v1/score') {
      const first = String(body.text_1 ?? '');
      const seconds = Array.isArray(body.text_2) ? body.text_2.map(String) : [String(body.text_2 ?? '')];
      const data = seconds.map((second, index) => ({ index, object: 'score', score: fakeSigmoid(rewardOf(second)) }));
      const tokens = seconds.reduce((sum, second) => sum + countWords(first) + countWords(second), 0);
      answer = { id: 'score-fake', object: 'list', created: 1_700_000_000, model, data, ...usage(tokens) };
    } else {
      const probability = fakeSigmoid(rewardOf(String(body.inputs ?? '')));
      const labels = [
        { label: 'LABEL_1', score: probability },
        { label: 'LABEL_0', score: 1 - probability },
      ].sort((left, right) => right.score - left.score);
      const parameters = record(body.parameters);
      const topK = typeof parameters.top_k === 'number' ? parameters.top_k : labels.length;
      answer = [labels.slice(0, topK)];
    }
    if (fault !== undefined) {
      if (applyCommonFault(fault, response, socket)) return true;
      if (fault.kind === 'truncated') {
        sendTruncatedJson(response, socket, answer);
        return true;
      }
      if (fault.kind === 'status') {
        if (sendPlainStatus(fault, response)) return true;
        const headers: Record<string, string> = fault.retryAfter === undefined ? {} : { 'retry-after': fault.retryAfter };
        if (hf) sendJson(response, fault.status, { error: fault.message ?? `fake failure ${fault.status}` }, headers);
        else vllmError(response, fault.status, fault.message ?? `fake failure ${fault.status}`, headers);
        return true;
      }
    }
    sendJson(response, 200, answer);
    return true;
  });

  function usage(tokens: number): Record<string, unknown> {
    return options.noUsage === true ? {} : { usage: { prompt_tokens: tokens, total_tokens: tokens, completion_tokens: 0, prompt_tokens_details: null } };
  }

  return { ...server, hfEndpointUrl: `${server.url}/hf-endpoint` };
}
