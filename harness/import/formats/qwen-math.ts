/**
 * The Qwen2.5-Math / math-evaluation-harness output layout (e.g. `math_cot_100.jsonl`): one line per
 * problem with `idx`, `question`, `gt`, `answer`, `level`, and per sample lists `code` (or
 * `response`), `pred` (extracted answer) and `score` (recorded correctness).
 */
import { basename } from 'node:path';
import { z } from 'zod';
import { DatasetError } from '../../core/errors.ts';
import { readRows } from '../read-records.ts';
import { listSourceFiles } from '../source-files.ts';
import type { FormatReader, ImportedSample } from '../types.ts';

const rowSchema = z.object({
  idx: z.union([z.number(), z.string()]),
  question: z.string().nullish(),
  gt: z.union([z.string(), z.number()]).nullish(),
  answer: z.union([z.string(), z.number()]).nullish(),
  level: z.union([z.string(), z.number()]).nullish(),
  type: z.string().nullish(),
  code: z.array(z.string()).nullish(),
  response: z.array(z.string()).nullish(),
  pred: z.array(z.union([z.string(), z.number(), z.null()])).nullish(),
  score: z.array(z.boolean()).nullish(),
});

/** Temperature the Qwen2.5-Math README gives for its maj@8 / RM@8 samples. */
const QWEN_MATH_TEMPERATURE = 0.7;

/** Reads Qwen2.5-Math evaluation outputs. */
export const qwenMathFormat: FormatReader = {
  name: 'qwen-math',
  async *read(source, options) {
    let count = 0;
    for (const file of listSourceFiles(source, ['.jsonl', '.json'])) {
      for await (const row of readRows(file)) {
        if (options.limit !== undefined && count >= options.limit) return;
        const parsed = rowSchema.safeParse(row.value);
        const value = parsed.success ? parsed.data : undefined;
        const texts = value?.code ?? value?.response;
        if (!value || !texts) {
          throw new DatasetError('IMPORT_BAD_ROW', `${row.where} is not a Qwen2.5-Math evaluation row`, {
            hint: 'Rows need idx, question, gt and per-sample lists code (or response), pred and score; or pass the right --format.',
          });
        }
        const samples: ImportedSample[] = texts.map((text, index) => {
          const correct = value.score?.[index];
          const answer = value.pred?.[index];
          if (correct === undefined) return { text };
          return { text, recorded: { correct, answer: answer === undefined || answer === null ? null : String(answer) } };
        });
        const gold = value.answer ?? value.gt ?? '';
        count += 1;
        yield {
          cell: { model: options.model ?? 'qwen2.5-math-instruct', dataset: options.dataset ?? (basename(file).split('_')[0] || 'math'), temperature: options.temperature ?? QWEN_MATH_TEMPERATURE },
          verifierKind: 'math',
          problem: {
            id: String(value.idx),
            question: value.question ?? '',
            answer: String(gold),
            ...(value.level === null || value.level === undefined ? {} : { tags: { level: value.level, ...(value.type ? { subject: value.type } : {}) } }),
          },
          samples,
        };
      }
    }
  },
};
