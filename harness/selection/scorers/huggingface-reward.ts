/**
 * Reward model behind a Hugging Face text-classification endpoint (an Inference Endpoint, or any
 * server speaking the hf-inference text-classification protocol), called through
 * `InferenceClient.textClassification` of `@huggingface/inference` with `endpointUrl`. The client
 * POSTs `{ inputs, parameters }` to the endpoint URL and reads `[[{ label, score }, ...]]`; the
 * score of the "correct" label is the sample's score. The client's own unbounded retry on 503 is
 * switched off (`retry_on_error: false`): retries belong to the scheduler.
 */
import { InferenceClient } from '@huggingface/inference';
import { ProviderError } from '../../core/errors.ts';
import { safeEndpoint, type ErrorContext } from '../../providers/errors-shared.ts';
import { mapInferenceClientError } from '../../providers/huggingface.ts';
import { estimateTokens } from '../../providers/usage-shared.ts';
import type { ScoreScale } from '../score-log.ts';
import { fillTemplate } from './http-shared.ts';
import type { ScoreCandidate, ScoreOutcome, Scorer } from './types.ts';

/** Settings of a Hugging Face text-classification reward scorer. */
export interface HuggingFaceRewardScorerOptions {
  /** URL of the Inference Endpoint (the text-classification route). */
  endpointUrl: string;
  /** Model id, for messages and the default scorer id (the endpoint decides what it serves). */
  model: string;
  /**
   * Label whose score is the reward. Default `LABEL_1` (the positive class of a two-class head);
   * a single-output reward head answers `LABEL_0`, so set it to that.
   */
  positiveLabel?: string;
  /** Text sent as `inputs`, with `{question}` and `{solution}` (default `{question}\n\n{solution}`). */
  template?: string;
  /** `parameters.function_to_apply` sent to the endpoint (default: not sent, the endpoint's default). */
  functionToApply?: 'sigmoid' | 'softmax' | 'none';
  /**
   * `parameters.top_k` sent to the endpoint (default: not sent). Set it to the number of labels
   * when the endpoint answers with the top label only, so the positive label is always present.
   */
  topK?: number;
  /** How to read the score. Default `probability` (`logit` when `functionToApply` is `none`). */
  scale?: ScoreScale;
  /** Scorer id written in score records. Default `reward:<model>`. */
  id?: string;
  /** Legend label. Default `reward model`. */
  label?: string;
}

/** What the Hugging Face reward scorer needs from outside. */
export interface HuggingFaceRewardScorerDependencies {
  /** Hugging Face token (`hf_…`), read from the environment by the caller; never logged. */
  apiKey?: string;
  /** Name of the environment variable the token came from, for hints. */
  apiKeyEnv?: string;
  /** fetch used for every call (default: the global fetch). */
  fetch?: typeof fetch;
}

/** Builds a scorer calling a Hugging Face text-classification endpoint. */
export function createHuggingFaceRewardScorer(options: HuggingFaceRewardScorerOptions, deps: HuggingFaceRewardScorerDependencies = {}): Scorer {
  const baseFetch = deps.fetch ?? fetch;
  const client = new InferenceClient(deps.apiKey ?? '');
  const scale: ScoreScale = options.scale ?? (options.functionToApply === 'none' ? 'logit' : 'probability');
  const context: ErrorContext = {
    provider: 'huggingface reward model',
    model: options.model,
    endpoint: options.endpointUrl,
    apiKeyEnv: deps.apiKeyEnv ?? 'HF_TOKEN',
    secrets: deps.apiKey === undefined ? [] : [deps.apiKey],
    notFoundHint: `Check that the Inference Endpoint ${safeEndpoint(options.endpointUrl)} is running and serves text-classification.`,
  };

  const parameters =
    options.functionToApply === undefined && options.topK === undefined
      ? undefined
      : {
          ...(options.functionToApply === undefined ? {} : { function_to_apply: options.functionToApply }),
          ...(options.topK === undefined ? {} : { top_k: options.topK }),
        };

  async function score(candidate: ScoreCandidate, signal: AbortSignal): Promise<ScoreOutcome> {
    const inputs = fillTemplate(options.template ?? '{question}\n\n{solution}', { question: candidate.question, solution: candidate.solution });
    let headers: Headers | undefined;
    const capturingFetch: typeof fetch = async (input, init) => {
      const response = await baseFetch(input, init);
      headers = response.headers;
      return response;
    };
    let output: Array<{ label: string; score: number }>;
    try {
      output = await client.textClassification(
        {
          endpointUrl: options.endpointUrl,
          inputs,
          ...(parameters === undefined ? {} : { parameters }),
        },
        { fetch: capturingFetch, signal, retry_on_error: false },
      );
    } catch (error) {
      mapInferenceClientError(error, signal, headers, context);
    }
    const wanted = options.positiveLabel ?? 'LABEL_1';
    const entry = output.find((element) => element.label === wanted);
    if (entry === undefined || !Number.isFinite(entry.score)) {
      throw new ProviderError('REWARD_LABEL_MISSING', `huggingface reward model ${options.model}: no label '${wanted}' in the answer (labels: ${output.map((element) => element.label).join(', ')})`, {
        retryable: false,
        endpoint: safeEndpoint(options.endpointUrl),
        // One label alone is either a single-output reward head or a two-class head cut to its top class.
        hint: 'Set `positiveLabel` to the label that means "correct" (LABEL_0 for a single-output reward head), or `topK` to the number of labels when the endpoint answers with its top label only.',
      });
    }
    // The text-classification protocol reports no token counts: estimate the tokens read.
    return { score: entry.score, scale, usage: { promptTokens: estimateTokens(inputs), completionTokens: 0, estimated: true } };
  }

  return {
    id: options.id ?? `reward:${options.model}`,
    kind: 'reward-model',
    label: options.label ?? 'reward model',
    simulated: false,
    score,
  };
}
