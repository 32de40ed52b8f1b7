/**
 * Picks the import format when `--format` is omitted, from the source's files and the fields of
 * its first record:
 * - a folder holding `HumanEval_for_code_generation.jsonl` → `codet`; a run directory (run.json +
 *   samples.jsonl) → `jsonl`; otherwise the first data file decides;
 * - `.parquet` → `monkey-business`;
 * - first record with `is_corrects` or (`samples` and `gt_answer`) → `monkey-business`; `doc_id` and
 *   `resps` → `lm-eval`; `prompt` and `samples` → `codet`; `idx`, `score` and `code`/`response` →
 *   `qwen-math`; `v: 1` with `cell`, or a problem id with a text → `jsonl`.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetError } from '../core/errors.ts';
import { CODET_TASK_FILE } from './formats/codet.ts';
import { readRows } from './read-records.ts';
import { isRunDirectory, listSourceFiles } from './source-files.ts';
import type { ImportFormatName } from './types.ts';

/** Format of one record, judged by its fields, or undefined when no rule matches. */
export function formatOfRecord(record: Record<string, unknown>): ImportFormatName | undefined {
  const has = (key: string): boolean => record[key] !== undefined;
  if (has('is_corrects') || (has('samples') && has('gt_answer'))) return 'monkey-business';
  if (has('doc_id') && has('resps')) return 'lm-eval';
  if (has('prompt') && Array.isArray(record.samples)) return 'codet';
  if (has('idx') && has('score') && (has('code') || has('response'))) return 'qwen-math';
  if (record.v === 1 && typeof record.cell === 'string') return 'jsonl';
  const id = ['problem', 'task_id', 'id'].some(has);
  const text = ['completion', 'text', 'response', 'output'].some(has);
  if (id && text) return 'jsonl';
  if (Array.isArray(record.samples)) return 'monkey-business';
  return undefined;
}

/** Detects the format of a local file or folder; throws a DatasetError listing the formats when no rule matches. */
export async function detectFormat(source: string): Promise<ImportFormatName> {
  if (existsSync(source) && statSync(source).isDirectory() && existsSync(join(source, CODET_TASK_FILE))) return 'codet';
  if (isRunDirectory(source)) return 'jsonl';
  const files = listSourceFiles(source, ['.parquet', '.jsonl', '.json', '.ndjson']);
  const first = files.find((file) => !file.endsWith('run.json')) ?? files[0];
  if (first === undefined) throw new DatasetError('IMPORT_SOURCE_EMPTY', `no sample files in ${source}`, { hint: 'Give a file or folder of recorded samples.' });
  if (first.endsWith('.parquet')) return 'monkey-business';
  if (first.endsWith(CODET_TASK_FILE)) return 'codet';
  for await (const row of readRows(first)) {
    const format = formatOfRecord(row.value);
    if (format) return format;
    break;
  }
  throw new DatasetError('IMPORT_FORMAT_UNKNOWN', `cannot tell the format of ${first} from its first record`, {
    hint: 'Pass --format monkey-business|lm-eval|jsonl|codet|qwen-math.',
  });
}
