/**
 * A fake of the Hugging Face routes `@huggingface/inference` v4 calls for chat completion, on one
 * 127.0.0.1 server:
 * - the router's auto policy: POST /v1/chat/completions (router.huggingface.co/v1/chat/completions);
 * - a named provider through the router: POST /<provider>/…/chat/completions (e.g.
 *   /together/v1/chat/completions), after the Hub lookup GET /api/models/<org>/<name>?expand[]=inferenceProviderMapping;
 * - an Inference Endpoint (TGI): POST /endpoint/v1/chat/completions.
 * Answers are OpenAI-shaped (the router and TGI speak that protocol), with the same faults.
 */
import { answerCompletion, type FakeOpenAIOptions } from './fake-openai.ts';
import { sendJson, startFakeServer, type FakeServer } from './fake-http.ts';

/** Options of the fake Hugging Face server (the OpenAI fake's, plus the Hub mapping). */
export interface FakeHuggingFaceOptions extends FakeOpenAIOptions {
  /** Inference providers the Hub lookup says serve every model (default `['together']`). */
  inferenceProviders?: ReadonlyArray<string>;
}

/** A running fake Hugging Face server and the base URLs to configure. */
export interface FakeHuggingFace extends FakeServer {
  /** Base URL standing in for https://router.huggingface.co (config `routerUrl:`). */
  routerUrl: string;
  /** Base URL standing in for https://huggingface.co (config `hubUrl:`). */
  hubUrl: string;
  /** URL of the fake Inference Endpoint (config `endpointUrl:`). */
  endpointUrl: string;
}

/** Starts the fake Hugging Face server. */
export async function startFakeHuggingFace(options: FakeHuggingFaceOptions = {}): Promise<FakeHuggingFace> {
  const providers = options.inferenceProviders ?? ['together'];
  const server = await startFakeServer(options, async (context) => {
    const path = context.request.path.split('?')[0] ?? '';
    if (context.request.method === 'POST' && path.endsWith('/chat/completions')) return answerCompletion(options, 'chat', context);
    const hub = /^\/api\/models\/(.+)$/.exec(path);
    if (context.request.method === 'GET' && hub !== null) {
      const modelId = decodeURIComponent(hub[1] ?? '');
      if (options.models !== undefined && !options.models.includes(modelId)) {
        sendJson(context.response, 404, { error: 'Repository not found' });
        return true;
      }
      sendJson(context.response, 200, {
        _id: '0123456789abcdef01234567',
        id: modelId,
        inferenceProviderMapping: Object.fromEntries(providers.map((provider) => [provider, { status: 'live', providerId: modelId, task: 'conversational' }])),
      });
      return true;
    }
    return false;
  });
  return { ...server, routerUrl: server.url, hubUrl: server.url, endpointUrl: `${server.url}/endpoint` };
}
