/**
 * Chat templates for raw completion mode: budget forcing sends the already-templated text, so the
 * harness renders chat messages itself, ending inside an open thinking block. A few families are
 * built in; a config override string (with `{prompt}` and optionally `{system}`) covers the rest.
 */
import { ConfigError } from '../../core/errors.ts';
import type { ChatMessage } from '../types.ts';
import { thinkingFamilyFor } from './delimiters.ts';

/** A chat template as turn formats; `{content}` is replaced by the message text. */
export interface ChatTemplate {
  /** Template id (`chatml`, `deepseek-r1`, `llama-3`, `harmony`, `s1`, or `custom`). */
  id: string;
  /** Text that starts every prompt (beginning-of-sequence markers are left to the server, which adds them). */
  prefix: string;
  /** A system message. */
  system: string;
  /** A user message. */
  user: string;
  /** An earlier assistant message (few-shot turns). */
  assistant: string;
  /** Opens the assistant turn and its thinking block: the prompt ends here. */
  generation: string;
  /** System text used when the messages have none ('' = no system turn). */
  defaultSystem: string;
}

/** The built-in templates by id. */
export const chatTemplates: Readonly<Record<string, ChatTemplate>> = {
  // Qwen3, QwQ and most `<think>` models: ChatML with the thinking block opened by the template.
  chatml: {
    id: 'chatml',
    prefix: '',
    system: '<|im_start|>system\n{content}<|im_end|>\n',
    user: '<|im_start|>user\n{content}<|im_end|>\n',
    assistant: '<|im_start|>assistant\n{content}<|im_end|>\n',
    generation: '<|im_start|>assistant\n<think>\n',
    defaultSystem: '',
  },
  // DeepSeek-R1 and its distills: full-width bars; the system text comes first without a header.
  'deepseek-r1': {
    id: 'deepseek-r1',
    prefix: '',
    system: '{content}',
    user: '<｜User｜>{content}',
    assistant: '<｜Assistant｜>{content}<｜end▁of▁sentence｜>',
    generation: '<｜Assistant｜><think>\n',
    defaultSystem: '',
  },
  'llama-3': {
    id: 'llama-3',
    prefix: '',
    system: '<|start_header_id|>system<|end_header_id|>\n\n{content}<|eot_id|>',
    user: '<|start_header_id|>user<|end_header_id|>\n\n{content}<|eot_id|>',
    assistant: '<|start_header_id|>assistant<|end_header_id|>\n\n{content}<|eot_id|>',
    generation: '<|start_header_id|>assistant<|end_header_id|>\n\n<think>\n',
    defaultSystem: '',
  },
  // gpt-oss (harmony): the system turn states the reasoning level and channels; user system text goes to the developer turn.
  harmony: {
    id: 'harmony',
    prefix: '<|start|>system<|message|>Reasoning: high\n\n# Valid channels: analysis, commentary, final. Channel must be included for every message.<|end|>',
    system: '<|start|>developer<|message|># Instructions\n\n{content}<|end|>',
    user: '<|start|>user<|message|>{content}<|end|>',
    assistant: '<|start|>assistant<|channel|>final<|message|>{content}<|end|>',
    generation: '<|start|>assistant<|channel|>analysis<|message|>',
    defaultSystem: '',
  },
  // s1 (Muennighoff et al. 2025): Qwen2.5 ChatML with `<|im_start|>think` / `<|im_start|>answer` sections.
  s1: {
    id: 's1',
    prefix: '',
    system: '<|im_start|>system\n{content}<|im_end|>\n',
    user: '<|im_start|>user\n{content}<|im_end|>\n',
    assistant: '<|im_start|>assistant\n{content}<|im_end|>\n',
    generation: '<|im_start|>assistant\n<|im_start|>think\n',
    defaultSystem: 'You are Qwen, created by Alibaba Cloud. You are a helpful assistant.',
  },
};

/**
 * The chat template for a model: the override when given (a built-in id, or a custom string
 * containing `{prompt}`), else the template of the model's thinking family, else ChatML. Throws
 * ConfigError for an override that is neither.
 */
export function chatTemplateFor(modelName: string, override?: string): ChatTemplate | string {
  if (override !== undefined) {
    const builtIn = chatTemplates[override];
    if (builtIn !== undefined) return builtIn;
    if (!override.includes('{prompt}')) {
      throw new ConfigError('THINKING_TEMPLATE_INVALID', `raw chat template "${override.slice(0, 60)}" is neither a built-in id (${Object.keys(chatTemplates).join(', ')}) nor a string with {prompt}`, {
        hint: 'Name a built-in template, or write the model\'s template with {prompt} (and optionally {system}) where the messages go, ending inside the open thinking block.',
      });
    }
    return override;
  }
  const family = thinkingFamilyFor(modelName);
  return chatTemplates[family?.template ?? 'chatml'] ?? (chatTemplates['chatml'] as ChatTemplate);
}

const fill = (format: string, content: string): string => format.replaceAll('{content}', content);

/**
 * Renders chat messages into a raw prompt that ends inside the open thinking block. With a custom
 * string template, `{system}` gets the system messages and `{prompt}` the other messages' texts,
 * joined by blank lines (a custom template cannot tell few-shot turns apart).
 */
export function renderChatPrompt(messages: ReadonlyArray<ChatMessage>, template: ChatTemplate | string): string {
  if (typeof template === 'string') {
    const system = messages.filter((message) => message.role === 'system').map((message) => message.content).join('\n\n');
    const prompt = messages.filter((message) => message.role !== 'system').map((message) => message.content).join('\n\n');
    // One pass, so a `{prompt}` inside the system text is not replaced again.
    return template.replace(/\{(prompt|system)\}/g, (_match, name: string) => (name === 'prompt' ? prompt : system));
  }
  const parts = [template.prefix];
  const hasSystem = messages.some((message) => message.role === 'system');
  if (!hasSystem && template.defaultSystem !== '') parts.push(fill(template.system, template.defaultSystem));
  for (const message of messages) parts.push(fill(template[message.role], message.content));
  parts.push(template.generation);
  return parts.join('');
}
