/** For servers without `n`: one request per seed, the samples in seed order. */
import type { Completion, GenerateRequest, GenerateResult } from './types.ts';

/**
 * Generates `request.seeds.length` samples one request at a time with `generateOne`, and times
 * the whole. The first model name a response reports is kept.
 */
export async function generateOnePerSeed(
  request: GenerateRequest,
  generateOne: (request: GenerateRequest, seed: number) => Promise<{ completion: Completion; modelName?: string }>,
  now: () => number,
): Promise<GenerateResult> {
  const started = now();
  const completions: Completion[] = [];
  let modelName: string | undefined;
  for (const seed of request.seeds) {
    const one = await generateOne(request, seed);
    completions.push(one.completion);
    modelName ??= one.modelName;
  }
  const latencyMs = now() - started;
  return modelName === undefined ? { completions, latencyMs } : { completions, modelName, latencyMs };
}
