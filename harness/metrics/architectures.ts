import type { FlopsArchitecture } from './flops.ts';

/** A model's shape for the FLOPs formula, with where the numbers come from. */
export interface Architecture extends FlopsArchitecture {
  /** Table id, e.g. `llama-3.1-8b`. */
  id: string;
  /** Display name, e.g. `Llama-3.1-8B`. */
  name: string;
  /** Parameters used per token: all of them for a dense model, the active ones for a mixture of experts. */
  params: number;
  /** Transformer layers (config `num_hidden_layers`). */
  layers: number;
  /** Hidden size (config `hidden_size`). */
  dModel: number;
  /** Total parameters of a mixture of experts (absent for dense models). */
  totalParams?: number;
  /** Where the numbers come from (model card / config.json). */
  source: string;
  /** Other spellings that name this model (Ollama tags, Hub ids); matched by `lookupArchitecture`. */
  aliases: string[];
}

const hub = (repository: string): string => `https://huggingface.co/${repository}/blob/main/config.json`;

/**
 * Common open models. `params` from the model card (parameter count including embeddings),
 * `layers` and `dModel` from the model's config.json.
 */
export const architectures: ReadonlyArray<Architecture> = [
  { id: 'llama-2-7b', name: 'Llama-2-7B', params: 6.74e9, layers: 32, dModel: 4096, source: hub('meta-llama/Llama-2-7b-hf'), aliases: ['llama2:7b', 'llama2'] },
  { id: 'llama-2-13b', name: 'Llama-2-13B', params: 13.0e9, layers: 40, dModel: 5120, source: hub('meta-llama/Llama-2-13b-hf'), aliases: ['llama2:13b'] },
  { id: 'llama-2-70b', name: 'Llama-2-70B', params: 69.0e9, layers: 80, dModel: 8192, source: hub('meta-llama/Llama-2-70b-hf'), aliases: ['llama2:70b'] },
  { id: 'llama-3-8b', name: 'Llama-3-8B', params: 8.03e9, layers: 32, dModel: 4096, source: hub('meta-llama/Meta-Llama-3-8B'), aliases: ['llama3:8b', 'llama3'] },
  { id: 'llama-3-70b', name: 'Llama-3-70B', params: 70.6e9, layers: 80, dModel: 8192, source: hub('meta-llama/Meta-Llama-3-70B'), aliases: ['llama3:70b'] },
  { id: 'llama-3.1-8b', name: 'Llama-3.1-8B', params: 8.03e9, layers: 32, dModel: 4096, source: hub('meta-llama/Llama-3.1-8B'), aliases: ['llama3.1:8b', 'llama3.1'] },
  { id: 'llama-3.1-70b', name: 'Llama-3.1-70B', params: 70.6e9, layers: 80, dModel: 8192, source: hub('meta-llama/Llama-3.1-70B'), aliases: ['llama3.1:70b'] },
  { id: 'llama-3.1-405b', name: 'Llama-3.1-405B', params: 405.9e9, layers: 126, dModel: 16384, source: hub('meta-llama/Llama-3.1-405B'), aliases: ['llama3.1:405b'] },
  { id: 'llama-3.2-1b', name: 'Llama-3.2-1B', params: 1.24e9, layers: 16, dModel: 2048, source: hub('meta-llama/Llama-3.2-1B'), aliases: ['llama3.2:1b'] },
  { id: 'llama-3.2-3b', name: 'Llama-3.2-3B', params: 3.21e9, layers: 28, dModel: 3072, source: hub('meta-llama/Llama-3.2-3B'), aliases: ['llama3.2:3b', 'llama3.2'] },
  { id: 'llama-3.3-70b', name: 'Llama-3.3-70B', params: 70.6e9, layers: 80, dModel: 8192, source: hub('meta-llama/Llama-3.3-70B-Instruct'), aliases: ['llama3.3:70b', 'llama3.3'] },
  { id: 'qwen2.5-0.5b', name: 'Qwen2.5-0.5B', params: 0.49e9, layers: 24, dModel: 896, source: hub('Qwen/Qwen2.5-0.5B'), aliases: ['qwen2.5:0.5b'] },
  { id: 'qwen2.5-1.5b', name: 'Qwen2.5-1.5B', params: 1.54e9, layers: 28, dModel: 1536, source: hub('Qwen/Qwen2.5-1.5B'), aliases: ['qwen2.5:1.5b'] },
  { id: 'qwen2.5-3b', name: 'Qwen2.5-3B', params: 3.09e9, layers: 36, dModel: 2048, source: hub('Qwen/Qwen2.5-3B'), aliases: ['qwen2.5:3b'] },
  { id: 'qwen2.5-7b', name: 'Qwen2.5-7B', params: 7.61e9, layers: 28, dModel: 3584, source: hub('Qwen/Qwen2.5-7B'), aliases: ['qwen2.5:7b', 'qwen2.5'] },
  { id: 'qwen2.5-14b', name: 'Qwen2.5-14B', params: 14.7e9, layers: 48, dModel: 5120, source: hub('Qwen/Qwen2.5-14B'), aliases: ['qwen2.5:14b'] },
  { id: 'qwen2.5-32b', name: 'Qwen2.5-32B', params: 32.5e9, layers: 64, dModel: 5120, source: hub('Qwen/Qwen2.5-32B'), aliases: ['qwen2.5:32b'] },
  { id: 'qwen2.5-72b', name: 'Qwen2.5-72B', params: 72.7e9, layers: 80, dModel: 8192, source: hub('Qwen/Qwen2.5-72B'), aliases: ['qwen2.5:72b'] },
  { id: 'qwen2.5-math-1.5b', name: 'Qwen2.5-Math-1.5B', params: 1.54e9, layers: 28, dModel: 1536, source: hub('Qwen/Qwen2.5-Math-1.5B'), aliases: [] },
  { id: 'qwen2.5-math-7b', name: 'Qwen2.5-Math-7B', params: 7.62e9, layers: 28, dModel: 3584, source: hub('Qwen/Qwen2.5-Math-7B'), aliases: [] },
  { id: 'qwen2.5-math-72b', name: 'Qwen2.5-Math-72B', params: 72.7e9, layers: 80, dModel: 8192, source: hub('Qwen/Qwen2.5-Math-72B'), aliases: [] },
  { id: 'qwen3-0.6b', name: 'Qwen3-0.6B', params: 0.6e9, layers: 28, dModel: 1024, source: hub('Qwen/Qwen3-0.6B'), aliases: ['qwen3:0.6b'] },
  { id: 'qwen3-1.7b', name: 'Qwen3-1.7B', params: 1.7e9, layers: 28, dModel: 2048, source: hub('Qwen/Qwen3-1.7B'), aliases: ['qwen3:1.7b'] },
  { id: 'qwen3-4b', name: 'Qwen3-4B', params: 4.0e9, layers: 36, dModel: 2560, source: hub('Qwen/Qwen3-4B'), aliases: ['qwen3:4b'] },
  { id: 'qwen3-8b', name: 'Qwen3-8B', params: 8.2e9, layers: 36, dModel: 4096, source: hub('Qwen/Qwen3-8B'), aliases: ['qwen3:8b', 'qwen3'] },
  { id: 'qwen3-14b', name: 'Qwen3-14B', params: 14.8e9, layers: 40, dModel: 5120, source: hub('Qwen/Qwen3-14B'), aliases: ['qwen3:14b'] },
  { id: 'qwen3-32b', name: 'Qwen3-32B', params: 32.8e9, layers: 64, dModel: 5120, source: hub('Qwen/Qwen3-32B'), aliases: ['qwen3:32b'] },
  { id: 'qwen3-30b-a3b', name: 'Qwen3-30B-A3B', params: 3.3e9, totalParams: 30.5e9, layers: 48, dModel: 2048, source: hub('Qwen/Qwen3-30B-A3B'), aliases: ['qwen3:30b'] },
  { id: 'deepseek-r1-distill-qwen-1.5b', name: 'DeepSeek-R1-Distill-Qwen-1.5B', params: 1.78e9, layers: 28, dModel: 1536, source: hub('deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B'), aliases: ['deepseek-r1:1.5b'] },
  { id: 'deepseek-r1-distill-qwen-7b', name: 'DeepSeek-R1-Distill-Qwen-7B', params: 7.62e9, layers: 28, dModel: 3584, source: hub('deepseek-ai/DeepSeek-R1-Distill-Qwen-7B'), aliases: ['deepseek-r1:7b'] },
  { id: 'deepseek-r1-distill-qwen-14b', name: 'DeepSeek-R1-Distill-Qwen-14B', params: 14.8e9, layers: 48, dModel: 5120, source: hub('deepseek-ai/DeepSeek-R1-Distill-Qwen-14B'), aliases: ['deepseek-r1:14b'] },
  { id: 'deepseek-r1-distill-qwen-32b', name: 'DeepSeek-R1-Distill-Qwen-32B', params: 32.8e9, layers: 64, dModel: 5120, source: hub('deepseek-ai/DeepSeek-R1-Distill-Qwen-32B'), aliases: ['deepseek-r1:32b'] },
  { id: 'deepseek-r1-distill-llama-8b', name: 'DeepSeek-R1-Distill-Llama-8B', params: 8.03e9, layers: 32, dModel: 4096, source: hub('deepseek-ai/DeepSeek-R1-Distill-Llama-8B'), aliases: [] },
  { id: 'deepseek-r1-distill-llama-70b', name: 'DeepSeek-R1-Distill-Llama-70B', params: 70.6e9, layers: 80, dModel: 8192, source: hub('deepseek-ai/DeepSeek-R1-Distill-Llama-70B'), aliases: ['deepseek-r1:70b'] },
  { id: 'deepseek-r1', name: 'DeepSeek-R1 (671B, 37B active)', params: 37e9, totalParams: 671e9, layers: 61, dModel: 7168, source: hub('deepseek-ai/DeepSeek-R1'), aliases: ['deepseek-r1:671b', 'deepseek-v3', 'deepseek-v3:671b'] },
  { id: 'mistral-7b', name: 'Mistral-7B', params: 7.24e9, layers: 32, dModel: 4096, source: hub('mistralai/Mistral-7B-v0.3'), aliases: ['mistral:7b', 'mistral'] },
  { id: 'mixtral-8x7b', name: 'Mixtral-8x7B (47B, 13B active)', params: 12.9e9, totalParams: 46.7e9, layers: 32, dModel: 4096, source: hub('mistralai/Mixtral-8x7B-v0.1'), aliases: ['mixtral:8x7b', 'mixtral'] },
  { id: 'gemma-2-2b', name: 'Gemma-2-2B', params: 2.61e9, layers: 26, dModel: 2304, source: hub('google/gemma-2-2b'), aliases: ['gemma2:2b'] },
  { id: 'gemma-2-9b', name: 'Gemma-2-9B', params: 9.24e9, layers: 42, dModel: 3584, source: hub('google/gemma-2-9b'), aliases: ['gemma2:9b', 'gemma2'] },
  { id: 'gemma-2-27b', name: 'Gemma-2-27B', params: 27.2e9, layers: 46, dModel: 4608, source: hub('google/gemma-2-27b'), aliases: ['gemma2:27b'] },
  { id: 'gpt-oss-20b', name: 'gpt-oss-20b (21B, 3.6B active)', params: 3.61e9, totalParams: 20.9e9, layers: 24, dModel: 2880, source: hub('openai/gpt-oss-20b'), aliases: ['gpt-oss:20b', 'gpt-oss'] },
  { id: 'gpt-oss-120b', name: 'gpt-oss-120b (117B, 5.1B active)', params: 5.13e9, totalParams: 116.8e9, layers: 36, dModel: 2880, source: hub('openai/gpt-oss-120b'), aliases: ['gpt-oss:120b'] },
  { id: 'phi-3-mini', name: 'Phi-3-mini (3.8B)', params: 3.82e9, layers: 32, dModel: 3072, source: hub('microsoft/Phi-3-mini-4k-instruct'), aliases: ['phi3:mini', 'phi3:3.8b', 'phi3'] },
];

const droppedTags =
  /(^|[^a-z0-9])(i?q\d+(?:_[a-z0-9]+)*|fp\d+|bf16|f16|f32|int\d+|awq|gptq|gguf|ggml|mlx|exl2|\d+bit|\d+k|latest)(?=$|[^a-z0-9])/g;
const droppedWords = new Set(['instruct', 'chat', 'it', 'base', 'hf', 'meta', 'preview']);

/**
 * A model name reduced to what identifies the model: lower case, no organization prefix, no
 * quantization, file-format or context-length tags, no `instruct`/`chat`/`it`/`base`, no `v0.x`
 * version, letters and numbers split (`llama3.1:8b` → `llama-3.1-8-b`).
 */
export function canonicalModelName(name: string): string {
  let text = name.toLowerCase();
  text = text.slice(text.lastIndexOf('/') + 1);
  let previous = '';
  while (previous !== text) {
    previous = text;
    text = text.replace(droppedTags, '$1');
  }
  const tokens = text.match(/[a-z]+|\d+(?:\.\d+)?/g) ?? [];
  const kept: string[] = [];
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index] ?? '';
    if (token === 'v' && /^\d/.test(tokens[index + 1] ?? '')) {
      index += 1;
      continue;
    }
    if (!droppedWords.has(token)) kept.push(token);
  }
  return kept.join('-');
}

const byCanonicalName = new Map<string, Architecture>();
for (const architecture of architectures) {
  for (const spelling of [architecture.id, architecture.name.split(' ')[0] ?? architecture.id, ...architecture.aliases]) {
    byCanonicalName.set(canonicalModelName(spelling), architecture);
  }
}

/**
 * The table entry for a model name, tolerant of spelling: `llama3:8b-instruct-q4_K_M`,
 * `meta-llama/Llama-3.1-8B-Instruct`, `llama-3-8b` all find their entry. Ollama tags without a
 * size (`llama3.1`) mean Ollama's default size. Undefined when the model is not in the table.
 */
export function lookupArchitecture(name: string): Architecture | undefined {
  return byCanonicalName.get(canonicalModelName(name));
}
