/**
 * A fake Ollama server on 127.0.0.1: POST /api/chat and /api/generate (NDJSON streaming by default,
 * like Ollama, or one JSON object with `stream: false`), GET /api/tags, POST /api/show, GET
 * /api/version; Ollama's 404 "model not found" bodies; `think`; and the faults of `FakeServerOptions`.
 * Response shapes follow recorded Ollama 0.12 answers.
 */
import {
  applyCommonFault,
  applyStop,
  countWords,
  delay,
  generate,
  limitTokens,
  numberField,
  promptText,
  record,
  sendJson,
  sendPlainStatus,
  sendTruncatedJson,
  startFakeServer,
  type FakeServer,
  type FakeServerOptions,
} from './fake-http.ts';

/** Options of the fake Ollama server (on top of the common ones). */
export interface FakeOllamaOptions extends FakeServerOptions {
  /** Models `think` works for; others answer 400 "does not support thinking". Default: every model. */
  thinkingModels?: ReadonlyArray<string>;
  /** Leave out `prompt_eval_count`, as Ollama does when the whole prompt came from its cache. Default false. */
  promptCached?: boolean;
}

const createdAt = '2025-06-01T12:00:00.000000Z';

/** Starts the fake Ollama server. `url` is its host URL, ready for a config's `endpoints:`. */
export function startFakeOllama(options: FakeOllamaOptions = {}): Promise<FakeServer> {
  const known = (model: string): boolean => options.models === undefined || options.models.includes(model);
  return startFakeServer(options, async ({ request, response, socket, takeFault }) => {
    const path = request.path.split('?')[0];
    const body = record(request.body);
    if (request.method === 'GET' && path === '/api/version') {
      sendJson(response, 200, { version: '0.12.6' });
      return true;
    }
    if (request.method === 'GET' && path === '/api/tags') {
      const names = options.models ?? ['llama3.2:1b'];
      sendJson(response, 200, {
        models: names.map((name) => ({
          name,
          model: name,
          modified_at: createdAt,
          size: 1_321_098_329,
          digest: 'baf6a787fdffd633537aa2eb51cfd54cb93ff08e28040095462bb63daf552878',
          details: { parent_model: '', format: 'gguf', family: 'llama', families: ['llama'], parameter_size: '1.2B', quantization_level: 'Q8_0' },
        })),
      });
      return true;
    }
    if (request.method === 'POST' && path === '/api/show') {
      const model = typeof body.model === 'string' ? body.model : String(body.name ?? '');
      if (!known(model)) {
        sendJson(response, 404, { error: `model '${model}' not found` });
        return true;
      }
      sendJson(response, 200, {
        license: '',
        modelfile: `FROM ${model}`,
        parameters: 'stop "<|eot_id|>"',
        template: '{{ .Prompt }}',
        details: { parent_model: '', format: 'gguf', family: 'llama', families: ['llama'], parameter_size: '1.2B', quantization_level: 'Q8_0' },
        model_info: { 'general.architecture': 'llama', 'llama.block_count': 16, 'llama.embedding_length': 2048 },
        capabilities: ['completion', ...(options.thinkingModels === undefined || options.thinkingModels.includes(model) ? ['thinking'] : [])],
        modified_at: createdAt,
      });
      return true;
    }
    const isChat = path === '/api/chat';
    if (request.method !== 'POST' || (!isChat && path !== '/api/generate')) return false;

    const fault = takeFault();
    if (fault !== undefined) {
      if (fault.kind === 'status') {
      if (sendPlainStatus(fault, response)) return true;
        sendJson(response, fault.status, { error: fault.message ?? `fake failure ${fault.status}` }, fault.retryAfter === undefined ? {} : { 'retry-after': fault.retryAfter });
        return true;
      }
      if (applyCommonFault(fault, response, socket)) return true;
    }
    const model = typeof body.model === 'string' ? body.model : '';
    if (!known(model)) {
      sendJson(response, 404, { error: `model "${model}" not found, try pulling it first` });
      return true;
    }
    const think = body.think !== undefined && body.think !== false;
    if (think && options.thinkingModels !== undefined && !options.thinkingModels.includes(model)) {
      sendJson(response, 400, { error: `"${model}" does not support thinking` });
      return true;
    }
    await delay(options.latencyMs);
    const settings = record(body.options);
    const prompt = isChat ? promptText(body) : String(body.prompt ?? '');
    const limited = limitTokens(
      applyStop(generate(options, { model, prompt, seed: numberField(settings.seed), choice: 0, think }), settings.stop),
      numberField(settings.num_predict),
    );
    const doneReason = limited.cut ? 'length' : 'stop';
    const counts = {
      total_duration: 1_234_567_890,
      load_duration: 12_345_678,
      ...(options.promptCached === true ? {} : { prompt_eval_count: countWords(prompt), prompt_eval_duration: 23_456_789 }),
      eval_count: limited.tokens,
      eval_duration: 987_654_321,
    };
    const piece = (content: string, thinking: string): Record<string, unknown> =>
      isChat
        ? { message: { role: 'assistant', content, ...(thinking.length > 0 ? { thinking } : {}) } }
        : { response: content, ...(thinking.length > 0 ? { thinking } : {}) };

    if (body.stream === false) {
      const answer = { model, created_at: createdAt, ...piece(limited.text, limited.thinking), done: true, done_reason: doneReason, ...(isChat ? {} : { context: [1, 2, 3] }), ...counts };
      if (fault?.kind === 'truncated') sendTruncatedJson(response, socket, answer);
      else sendJson(response, 200, answer);
      return true;
    }
    // Streaming (Ollama's default): one JSON object per line, the last with done: true and the counts.
    response.writeHead(200, { 'content-type': 'application/x-ndjson' });
    const line = (value: unknown): void => {
      response.write(`${JSON.stringify(value)}\n`);
    };
    if (limited.thinking.length > 0) line({ model, created_at: createdAt, ...piece('', limited.thinking), done: false });
    const words = limited.text.split(' ');
    for (let index = 0; index < words.length; index += 1) {
      line({ model, created_at: createdAt, ...piece(index === 0 ? (words[index] ?? '') : ` ${words[index] ?? ''}`, ''), done: false });
      if (fault?.kind === 'truncated' && index === 1) {
        response.end();
        return true;
      }
    }
    line({ model, created_at: createdAt, ...piece('', ''), done: true, done_reason: doneReason, ...(isChat ? {} : { context: [1, 2, 3] }), ...counts });
    response.end();
    return true;
  });
}
