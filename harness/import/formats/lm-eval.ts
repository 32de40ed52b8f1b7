/**
 * lm-evaluation-harness `--log_samples` output (`samples_<task>_<time>.jsonl`): one line per
 * document and filter, with `doc_id`, `doc`, `target`, `resps` (the raw generations, one list per
 * request, repeats included), `filtered_resps`, `filter` and the metric fields (`exact_match`, ...).
 * Only the first filter's lines are read (every filter repeats the same generations).
 */
import { basename, dirname } from 'node:path';
import { z } from 'zod';
import { DatasetError } from '../../core/errors.ts';
import type { VerifierKind } from '../../core/types.ts';
import { gsm8kGoldAnswer } from '../../datasets/math-datasets.ts';
import { readJsonLines } from '../read-records.ts';
import { listSourceFiles } from '../source-files.ts';
import type { FormatReader, ImportedProblem, ImportedSample } from '../types.ts';

const lineSchema = z.object({
  doc_id: z.union([z.number(), z.string()]),
  doc: z.record(z.string(), z.unknown()).nullish(),
  target: z.unknown().optional(),
  resps: z.array(z.union([z.array(z.string()), z.string()])),
  filtered_resps: z.array(z.unknown()).nullish(),
  filter: z.string().nullish(),
});

/** Metric fields whose value (0/1) is a recorded verdict when a document has one generation. */
const VERDICT_METRICS = ['exact_match', 'acc', 'pass@1', 'pass_at_1', 'correct'];

/** Task name from an lm-eval samples file name: `samples_gsm8k_2024-05-01T12-00-00.jsonl` → `gsm8k`. */
export function lmEvalTaskName(file: string): string {
  const name = basename(file).replace(/\.jsonl$/, '');
  const match = /^samples_(.+?)_\d{4}-\d{2}-\d{2}T[\d-.:]+$/.exec(name);
  return match?.[1] ?? name.replace(/^samples_/, '');
}

function verifierForTask(task: string): VerifierKind {
  const lower = task.toLowerCase();
  if (lower.includes('gsm8k')) return 'gsm8k';
  if (lower.includes('math') || lower.includes('aime')) return 'math';
  if (lower.includes('humaneval') || lower.includes('mbpp')) return 'code';
  return 'exact';
}

function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value === undefined || value === null ? '' : JSON.stringify(value);
}

/** GSM8K targets hold the whole worked solution: the answer is what follows `####`. */
function goldAnswer(target: unknown): string {
  const text = Array.isArray(target) ? asText(target[0]) : asText(target);
  return gsm8kGoldAnswer(text) ?? text.trim();
}

/** Reads lm-eval `--log_samples` JSONL files. */
export const lmEvalFormat: FormatReader = {
  name: 'lm-eval',
  async *read(source, options) {
    let count = 0;
    for (const file of listSourceFiles(source, ['.jsonl'])) {
      const task = lmEvalTaskName(file);
      const verifierKind = verifierForTask(task);
      // lm-eval writes results under a folder named after the model.
      const model = options.model ?? (basename(dirname(file)) || 'unknown-model');
      let firstFilter: string | undefined;
      for await (const row of readJsonLines(file)) {
        if (options.limit !== undefined && count >= options.limit) return;
        const parsed = lineSchema.safeParse(row.value);
        if (!parsed.success) {
          throw new DatasetError('IMPORT_BAD_ROW', `${row.where} is not an lm-eval sample line: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`, {
            hint: 'lm-eval `--log_samples` lines have doc_id, doc, target, resps, filtered_resps; or pass the right --format.',
          });
        }
        const line = parsed.data;
        const filter = line.filter ?? 'none';
        firstFilter ??= filter;
        if (filter !== firstFilter) continue;
        const texts = line.resps.flatMap((response) => (Array.isArray(response) ? response : [response]));
        const metric = VERDICT_METRICS.map((name) => row.value[name]).find((value) => typeof value === 'number' || typeof value === 'boolean');
        const filtered = line.filtered_resps?.[0];
        const samples: ImportedSample[] = texts.map((text) => {
          if (texts.length === 1 && metric !== undefined) {
            return { text, recorded: { correct: Number(metric) > 0, answer: typeof filtered === 'string' ? filtered : null } };
          }
          return { text };
        });
        const doc = line.doc ?? {};
        const question = asText(doc.question ?? doc.problem ?? doc.prompt ?? doc.input ?? '');
        count += 1;
        const problem: ImportedProblem = {
          cell: { model, dataset: options.dataset ?? task, temperature: options.temperature ?? 0 },
          verifierKind,
          problem: { id: String(line.doc_id), question, answer: goldAnswer(line.target) },
          samples,
        };
        yield problem;
      }
    }
  },
};
