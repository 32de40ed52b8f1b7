/**
 * Thinking delimiters of reasoning-model families: where the thinking starts and ends in the raw
 * text, and what opens the answer after it. A small table matched on the model name, with a
 * config override (a family id, or the delimiters themselves).
 */
import { ConfigError } from '../../core/errors.ts';

/** How a model family marks its thinking in raw text. */
export interface ThinkingDelimiters {
  /** Family id from the table (`qwen3`, `deepseek-r1`, `gpt-oss`, ...), or `custom` for an override. */
  family: string;
  /** Text that opens the thinking block, e.g. `<think>`. */
  open: string;
  /** Text that closes the thinking block, e.g. `</think>`; the stop string of a thinking call. */
  close: string;
  /** Text appended after `close` to start the answer (`\n\n` for `<think>` models, the final-channel header for gpt-oss). */
  answerPrefix: string;
  /** Marker inside a raw answer after which the answer proper starts (gpt-oss: `<|channel|>final<|message|>`); none when absent. */
  answerStart?: string;
  /** Markers that end the answer and are removed from it (gpt-oss: `<|return|>`, `<|end|>`). Default none. */
  answerEnd?: ReadonlyArray<string>;
}

/** One row of the family table. */
export interface ThinkingFamily {
  /** Family id, usable as a config override. */
  id: string;
  /** Matches model names (Ollama tags, Hub ids, server model names), lower-cased. */
  pattern: RegExp;
  /** Delimiters of the family. */
  delimiters: ThinkingDelimiters;
  /** Chat template id used to build raw prompts (see templates.ts). */
  template: string;
}

const thinkTags = (family: string): ThinkingDelimiters => ({ family, open: '<think>', close: '</think>', answerPrefix: '\n\n' });

/**
 * The family table, first match wins. Order matters: distills are matched before their base
 * families (a `deepseek-r1-distill-qwen` model speaks DeepSeek-R1's template, not Qwen's).
 */
export const thinkingFamilies: ReadonlyArray<ThinkingFamily> = [
  { id: 'deepseek-r1', pattern: /deepseek[-_ ]?r1|r1[-_]distill/, delimiters: thinkTags('deepseek-r1'), template: 'deepseek-r1' },
  {
    id: 'gpt-oss',
    pattern: /gpt[-_]oss/,
    delimiters: {
      family: 'gpt-oss',
      open: '<|channel|>analysis<|message|>',
      close: '<|end|>',
      answerPrefix: '<|start|>assistant<|channel|>final<|message|>',
      answerStart: '<|channel|>final<|message|>',
      answerEnd: ['<|return|>', '<|end|>'],
    },
    template: 'harmony',
  },
  { id: 'qwq', pattern: /qwq/, delimiters: thinkTags('qwq'), template: 'chatml' },
  // s1 (simplescaling/s1*) thinks between `<|im_start|>think` and `<|im_start|>answer`.
  {
    id: 's1',
    pattern: /(^|\/)s1(\.1)?[-_:]/,
    delimiters: { family: 's1', open: '<|im_start|>think\n', close: '<|im_start|>answer', answerPrefix: '\n' },
    template: 's1',
  },
  { id: 'qwen3', pattern: /qwen3/, delimiters: thinkTags('qwen3'), template: 'chatml' },
  { id: 'openthinker', pattern: /openthinker|sky[-_]t1|light[-_]r1|openr1/, delimiters: thinkTags('openthinker'), template: 'chatml' },
  { id: 'phi-4-reasoning', pattern: /phi[-_]?4[-_:]?(mini[-_])?reasoning/, delimiters: thinkTags('phi-4-reasoning'), template: 'chatml' },
  { id: 'magistral', pattern: /magistral/, delimiters: { family: 'magistral', open: '[THINK]', close: '[/THINK]', answerPrefix: '' }, template: 'chatml' },
  { id: 'exaone-deep', pattern: /exaone[-_]?deep/, delimiters: { family: 'exaone-deep', open: '<thought>', close: '</thought>', answerPrefix: '\n' }, template: 'chatml' },
  { id: 'seed-oss', pattern: /seed[-_]oss/, delimiters: { family: 'seed-oss', open: '<seed:think>', close: '</seed:think>', answerPrefix: '\n' }, template: 'chatml' },
  { id: 'glm', pattern: /glm[-_]?(z1|4\.5|4\.6|4\.7)/, delimiters: thinkTags('glm'), template: 'chatml' },
];

/** Delimiters used for a model no family matches: the common `<think>…</think>`. */
export const defaultThinkingDelimiters: ThinkingDelimiters = thinkTags('generic');

/** A delimiter override from a config: a family id, or the delimiters themselves. */
export type ThinkingDelimitersOverride = string | { open: string; close: string; answerPrefix?: string | undefined };

/** The family row a model name matches, or undefined when none does. */
export function thinkingFamilyFor(modelName: string): ThinkingFamily | undefined {
  const name = modelName.toLowerCase();
  return thinkingFamilies.find((family) => family.pattern.test(name));
}

/**
 * The thinking delimiters of a model: the override when given (a family id from the table, or
 * explicit `open`/`close`), else the first family whose pattern matches the name, else
 * `<think>…</think>`. Throws ConfigError for an unknown family id or an empty delimiter.
 */
export function thinkingDelimitersFor(modelName: string, override?: ThinkingDelimitersOverride): ThinkingDelimiters {
  if (typeof override === 'string') {
    const family = thinkingFamilies.find((row) => row.id === override) ?? (override === 'generic' ? { delimiters: defaultThinkingDelimiters } : undefined);
    if (family === undefined) {
      throw new ConfigError('THINKING_FAMILY_UNKNOWN', `unknown thinking family "${override}"; valid: ${[...thinkingFamilies.map((row) => row.id), 'generic'].join(', ')}`, {
        hint: 'Use one of the listed family ids, or give the delimiters themselves as { open, close }.',
      });
    }
    return family.delimiters;
  }
  if (override !== undefined) {
    if (override.open.length === 0 || override.close.length === 0) {
      throw new ConfigError('THINKING_DELIMITERS_INVALID', 'thinking delimiters need a non-empty `open` and `close`', {
        hint: 'For example { open: "<think>", close: "</think>" }.',
      });
    }
    return { family: 'custom', open: override.open, close: override.close, answerPrefix: override.answerPrefix ?? '\n\n' };
  }
  return thinkingFamilyFor(modelName)?.delimiters ?? defaultThinkingDelimiters;
}

/** A completion split into its thinking and its answer. */
export interface ThinkingSplit {
  /** Thinking text, trimmed; '' when there was none. */
  thinking: string;
  /** Answer text, trimmed, with answer markers (gpt-oss channel headers, end markers) removed. */
  answer: string;
  /** True when the end-of-thinking delimiter was found. */
  closed: boolean;
}

function stripAnswerMarkers(answer: string, delimiters: ThinkingDelimiters): string {
  let result = answer;
  if (delimiters.answerStart !== undefined) {
    const start = result.indexOf(delimiters.answerStart);
    if (start !== -1) result = result.slice(start + delimiters.answerStart.length);
  }
  for (const marker of delimiters.answerEnd ?? []) {
    const end = result.indexOf(marker);
    if (end !== -1) result = result.slice(0, end);
  }
  return result.trim();
}

/**
 * Splits raw model text into thinking and answer. The thinking runs from the first `open` (or from
 * the start, when the chat template already opened it and the text has a `close` but no `open`)
 * to the first `close` after it. Text with an `open` but no `close` is all thinking (cut off);
 * text with neither is all answer, unless `assumeOpen` says the template opened the thinking
 * block (then it is all unclosed thinking). Default `assumeOpen` false.
 */
export function splitThinking(text: string, delimiters: ThinkingDelimiters, options: { assumeOpen?: boolean } = {}): ThinkingSplit {
  const openAt = text.indexOf(delimiters.open);
  const closeSearchFrom = openAt === -1 ? 0 : openAt + delimiters.open.length;
  const closeAt = text.indexOf(delimiters.close, closeSearchFrom);
  if (closeAt !== -1) {
    return {
      thinking: text.slice(closeSearchFrom, closeAt).trim(),
      answer: stripAnswerMarkers(text.slice(closeAt + delimiters.close.length), delimiters),
      closed: true,
    };
  }
  if (openAt !== -1) {
    return { thinking: text.slice(closeSearchFrom).trim(), answer: stripAnswerMarkers(text.slice(0, openAt), delimiters), closed: false };
  }
  if (options.assumeOpen === true) return { thinking: text.trim(), answer: '', closed: false };
  return { thinking: '', answer: stripAnswerMarkers(text, delimiters), closed: false };
}
