import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../harness/core/errors.ts';
import { splitThinking, thinkingDelimitersFor, thinkingFamilyFor } from '../../../harness/providers/thinking/delimiters.ts';
import { chatTemplateFor, chatTemplates, renderChatPrompt } from '../../../harness/providers/thinking/templates.ts';

describe('thinkingDelimitersFor', () => {
  it.each([
    ['qwen3:8b', 'qwen3', '<think>', '</think>'],
    ['Qwen/Qwen3-30B-A3B-Thinking-2507', 'qwen3', '<think>', '</think>'],
    ['qwq:32b', 'qwq', '<think>', '</think>'],
    ['Qwen/QwQ-32B', 'qwq', '<think>', '</think>'],
    ['deepseek-r1:7b', 'deepseek-r1', '<think>', '</think>'],
    ['deepseek-ai/DeepSeek-R1-Distill-Qwen-7B', 'deepseek-r1', '<think>', '</think>'],
    ['gpt-oss:20b', 'gpt-oss', '<|channel|>analysis<|message|>', '<|end|>'],
    ['openai/gpt-oss-120b', 'gpt-oss', '<|channel|>analysis<|message|>', '<|end|>'],
    ['simplescaling/s1.1-32B', 's1', '<|im_start|>think\n', '<|im_start|>answer'],
    ['magistral:24b', 'magistral', '[THINK]', '[/THINK]'],
    ['LGAI-EXAONE/EXAONE-Deep-7.8B', 'exaone-deep', '<thought>', '</thought>'],
    ['ByteDance-Seed/Seed-OSS-36B-Instruct', 'seed-oss', '<seed:think>', '</seed:think>'],
    ['llama3.2:1b', 'generic', '<think>', '</think>'],
  ])('%s → %s', (model, family, open, close) => {
    const delimiters = thinkingDelimitersFor(model);
    expect([delimiters.family, delimiters.open, delimiters.close]).toEqual([family, open, close]);
  });

  it('finds no family for a model that does not think', () => {
    expect(thinkingFamilyFor('llama3.2:1b')).toBeUndefined();
  });

  it('takes a family id as override', () => {
    expect(thinkingDelimitersFor('my-finetune', 'gpt-oss').family).toBe('gpt-oss');
    expect(thinkingDelimitersFor('qwen3:8b', 'generic').family).toBe('generic');
  });

  it('takes explicit delimiters as override', () => {
    expect(thinkingDelimitersFor('anything', { open: '<reasoning>', close: '</reasoning>' })).toEqual({
      family: 'custom',
      open: '<reasoning>',
      close: '</reasoning>',
      answerPrefix: '\n\n',
    });
  });

  it('rejects an unknown family id, listing the valid ones', () => {
    let caught: unknown;
    try {
      thinkingDelimitersFor('qwen3:8b', 'qwen4');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).code).toBe('THINKING_FAMILY_UNKNOWN');
    expect((caught as ConfigError).message).toBe(
      'unknown thinking family "qwen4"; valid: deepseek-r1, gpt-oss, qwq, s1, qwen3, openthinker, phi-4-reasoning, magistral, exaone-deep, seed-oss, glm, generic',
    );
  });

  it('rejects empty explicit delimiters', () => {
    expect(() => thinkingDelimitersFor('x', { open: '', close: '</think>' })).toThrow(ConfigError);
  });
});

describe('splitThinking', () => {
  const think = thinkingDelimitersFor('qwen3:8b');
  const harmony = thinkingDelimitersFor('gpt-oss:20b');

  it.each([
    ['both tags', '<think>\nlet me see\n</think>\n\nThe answer is 4.', { thinking: 'let me see', answer: 'The answer is 4.', closed: true }],
    ['template opened the block (no opening tag)', 'let me see\n</think>\n\n\\boxed{4}', { thinking: 'let me see', answer: '\\boxed{4}', closed: true }],
    ['cut off while thinking', '<think>\nlet me see, 2+2 is', { thinking: 'let me see, 2+2 is', answer: '', closed: false }],
    ['no thinking at all', 'The answer is 4.', { thinking: '', answer: 'The answer is 4.', closed: false }],
    ['empty thinking block', '<think>\n\n</think>\n\n4', { thinking: '', answer: '4', closed: true }],
    ['a second close tag stays in the answer', '<think>a</think>b</think>', { thinking: 'a', answer: 'b</think>', closed: true }],
  ])('%s', (_name, text, expected) => {
    expect(splitThinking(text, think)).toEqual(expected);
  });

  it('treats untagged text as unclosed thinking when the template opened the block', () => {
    expect(splitThinking('still thinking about it', think, { assumeOpen: true })).toEqual({ thinking: 'still thinking about it', answer: '', closed: false });
  });

  it('splits gpt-oss harmony channels and drops the final-channel header and end marker', () => {
    const text = '<|channel|>analysis<|message|>We need 2+2.<|end|><|start|>assistant<|channel|>final<|message|>It is \\boxed{4}.<|return|>';
    expect(splitThinking(text, harmony)).toEqual({ thinking: 'We need 2+2.', answer: 'It is \\boxed{4}.', closed: true });
  });
});

describe('raw chat templates', () => {
  const messages = [
    { role: 'system' as const, content: 'Be brief.' },
    { role: 'user' as const, content: 'What is 2+2?' },
  ];

  it.each([
    ['qwen3:8b', '<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n<think>\n'],
    ['deepseek-r1:7b', 'Be brief.<｜User｜>What is 2+2?<｜Assistant｜><think>\n'],
    [
      'gpt-oss:20b',
      '<|start|>system<|message|>Reasoning: high\n\n# Valid channels: analysis, commentary, final. Channel must be included for every message.<|end|>' +
        '<|start|>developer<|message|># Instructions\n\nBe brief.<|end|><|start|>user<|message|>What is 2+2?<|end|><|start|>assistant<|channel|>analysis<|message|>',
    ],
  ])('%s', (model, expected) => {
    expect(renderChatPrompt(messages, chatTemplateFor(model))).toBe(expected);
  });

  it('renders few-shot turns and the default system text of s1', () => {
    const prompt = renderChatPrompt(
      [
        { role: 'user', content: '1+1?' },
        { role: 'assistant', content: '2' },
        { role: 'user', content: '2+2?' },
      ],
      chatTemplateFor('simplescaling/s1.1-32B'),
    );
    expect(prompt).toBe(
      '<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n' +
        '<|im_start|>user\n1+1?<|im_end|>\n<|im_start|>assistant\n2<|im_end|>\n<|im_start|>user\n2+2?<|im_end|>\n<|im_start|>assistant\n<|im_start|>think\n',
    );
  });

  it('renders Llama-3 by id', () => {
    expect(renderChatPrompt([{ role: 'user', content: 'Hi' }], chatTemplateFor('whatever', 'llama-3'))).toBe(
      '<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n<think>\n',
    );
  });

  it('fills a custom template string once ({prompt} inside the system text is not expanded again)', () => {
    const template = chatTemplateFor('x', '[SYS]{system}[/SYS][USER]{prompt}[/USER]<think>\n');
    expect(renderChatPrompt([{ role: 'system', content: 'say {prompt}' }, { role: 'user', content: 'Q' }], template)).toBe('[SYS]say {prompt}[/SYS][USER]Q[/USER]<think>\n');
  });

  it('rejects an override that is neither a built-in id nor has {prompt}', () => {
    expect(() => chatTemplateFor('x', 'chatml2')).toThrow(ConfigError);
  });

  it('has the documented built-in ids', () => {
    expect(Object.keys(chatTemplates)).toEqual(['chatml', 'deepseek-r1', 'llama-3', 'harmony', 's1']);
  });
});
