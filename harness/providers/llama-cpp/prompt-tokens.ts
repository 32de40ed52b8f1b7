/**
 * Prompts as the model's tokens: chat messages rendered by the chat template in the GGUF's
 * metadata (node-llama-cpp picks its matching built-in wrapper, or runs the Jinja template), or by
 * the config's `chatTemplate` override; text prompts tokenized as they are.
 */
import type { PromptInput } from '../types.ts';
import type { EngineChatItem, EngineChatWrapper, EngineModel, EngineModule, EngineToken } from './engine-module.ts';
import { ProviderError } from '../../core/errors.ts';

/** The chat wrapper of a model: the override template when given, else the one its metadata names. */
export function chatWrapperFor(engine: EngineModule, model: EngineModel, modelPath: string, override?: string): EngineChatWrapper {
  if (override !== undefined) return new engine.JinjaTemplateChatWrapper({ template: override });
  const wrapper = engine.resolveChatWrapper(model);
  if (wrapper === null) {
    throw new ProviderError('CHAT_TEMPLATE_MISSING', `model ${modelPath} has no chat template in its metadata`, {
      hint: 'Set `chatTemplate:` (a Jinja template) on the model entry, or use a dataset prompt style of plain text.',
      retryable: false,
    });
  }
  return wrapper;
}

/** Tokens of a raw text, special tokens parsed, BOS prepended when the model wants one and the text has none. */
export function textTokens(model: EngineModel, text: string): EngineToken[] {
  const tokens = model.tokenize(text, true);
  const bos = model.tokens.bos;
  if (model.tokens.shouldPrependBosToken && bos !== null && tokens[0] !== bos) return [bos, ...tokens];
  return tokens;
}

/** Chat messages as node-llama-cpp's chat history, ending with the open assistant turn. */
function chatHistory(prompt: Extract<PromptInput, { kind: 'chat' }>): EngineChatItem[] {
  const items: EngineChatItem[] = prompt.messages.map((message) => {
    if (message.role === 'system') return { type: 'system', text: message.content };
    if (message.role === 'user') return { type: 'user', text: message.content };
    return { type: 'model', response: [message.content] };
  });
  items.push({ type: 'model', response: [] });
  return items;
}

/** The tokens of a request's prompt. */
export function promptTokens(model: EngineModel, wrapper: EngineChatWrapper, prompt: PromptInput): EngineToken[] {
  if (prompt.kind === 'text') return textTokens(model, prompt.text);
  return wrapper.generateContextState({ chatHistory: chatHistory(prompt) }).contextText.tokenize(model.tokenizer);
}

/** A request's prompt as templated text (special tokens written out), for budget forcing's raw calls. */
export function promptText(model: EngineModel, wrapper: EngineChatWrapper, prompt: PromptInput): string {
  if (prompt.kind === 'text') return prompt.text;
  return model.detokenize(promptTokens(model, wrapper, prompt), true);
}
