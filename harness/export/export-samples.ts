/**
 * `scaling-bench export <run-dir> --format parquet|csv`: one row per stored sample (cell, problem,
 * index, status, answer class, correct, tokens, scores) for notebooks (pandas, polars, DuckDB).
 * Streams samples.jsonl in batches: memory is one batch of rows, plus the scores of a scored run.
 */
import { createWriteStream, existsSync, renameSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { ParquetWriter, fileWriter, schemaFromColumnData, type ColumnSource } from 'hyparquet-writer';
import { HarnessError } from '../core/errors.ts';
import type { SampleRecord } from '../core/types.ts';
import { readScoreLog, SCORES_FILE } from '../selection/score-log.ts';
import { readSampleLog, SAMPLES_FILE } from '../store/sample-log.ts';

import type { ExportFormat } from './export-formats.ts';

export { EXPORT_FORMATS, type ExportFormat } from './export-formats.ts';

/** Options of exportSamples. */
export interface ExportOptions {
  format: ExportFormat;
  /** File to write (default `<run-dir>/samples.<format>`). */
  out?: string;
  /** Rows per Parquet row group / CSV write (default 65,536). */
  batchRows?: number;
}

/** What an export wrote. */
export interface ExportSummary {
  /** The file written. */
  path: string;
  /** Rows written. */
  rows: number;
  /** Scorers with a column (`score:<scorer>`). */
  scorers: string[];
}

/** One exported row. */
interface Row {
  cell: string;
  problem: string;
  index: number;
  status: string;
  answer_class: string | null;
  correct: boolean | null;
  prompt_tokens: number;
  completion_tokens: number;
  thinking_tokens: number;
  scores: Array<number | null>;
}

/** Column names in file order (scores follow as `score:<scorer>`). */
const COLUMNS = ['cell', 'problem', 'index', 'status', 'answer_class', 'correct', 'prompt_tokens', 'completion_tokens', 'thinking_tokens'] as const;

/** Writes one row per sample of a run directory; the file appears complete or not at all. */
export async function exportSamples(runDir: string, options: ExportOptions): Promise<ExportSummary> {
  const samplesPath = join(runDir, SAMPLES_FILE);
  if (!existsSync(samplesPath)) {
    throw new HarnessError('RUN_NO_SAMPLES', `${runDir} has no ${SAMPLES_FILE}`, { hint: 'Pass a run directory written by `scaling-bench run`, `import` or `merge`.', exitCode: 2 });
  }
  const path = options.out ?? join(runDir, `samples.${options.format}`);
  const scores = await loadScores(runDir);
  const scorers = [...scores.scorers].sort();
  const temporary = `${path}.tmp-${process.pid}`;
  const sink = options.format === 'parquet' ? parquetSink(temporary, scorers) : await csvSink(temporary, scorers);
  let rows = 0;
  try {
    let batch: Row[] = [];
    for await (const record of readSampleLog(samplesPath)) {
      batch.push(rowOf(record, scorers, scores.byKey));
      if (batch.length >= (options.batchRows ?? 65_536)) {
        await sink.write(batch);
        rows += batch.length;
        batch = [];
      }
    }
    if (batch.length > 0 || rows === 0) await sink.write(batch);
    rows += batch.length;
    await sink.finish();
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  return { path, rows, scorers };
}

function rowOf(record: SampleRecord, scorers: string[], scores: Map<string, number>): Row {
  const ok = record.status === 'ok';
  return {
    cell: record.cell,
    problem: record.problem,
    index: record.index,
    status: record.status,
    answer_class: ok ? (record.verdict?.answerKey ?? null) : null,
    correct: ok && record.verdict ? record.verdict.correct : null,
    prompt_tokens: record.usage?.promptTokens ?? 0,
    completion_tokens: record.usage?.completionTokens ?? 0,
    thinking_tokens: record.usage?.thinkingTokens ?? 0,
    scores: scorers.map((scorer) => scores.get(slotKey(record.cell, record.problem, record.index, scorer)) ?? null),
  };
}

function slotKey(cell: string, problem: string, index: number, scorer: string): string {
  return `${cell}\u0000${problem}\u0000${index}\u0000${scorer}`;
}

/** The scores of a scored run (the last ok score of each sample and scorer). */
async function loadScores(runDir: string): Promise<{ scorers: Set<string>; byKey: Map<string, number> }> {
  const scorers = new Set<string>();
  const byKey = new Map<string, number>();
  const path = join(runDir, SCORES_FILE);
  if (!existsSync(path)) return { scorers, byKey };
  for await (const record of readScoreLog(path)) {
    if (record.status !== 'ok' || record.score === undefined) continue;
    scorers.add(record.scorer);
    byKey.set(slotKey(record.cell, record.problem, record.index, record.scorer), record.score);
  }
  return { scorers, byKey };
}

interface RowSink {
  write(rows: Row[]): Promise<void>;
  finish(): Promise<void>;
}

/** Parquet: one row group per batch, Snappy-compressed, with column statistics. */
function parquetSink(path: string, scorers: string[]): RowSink {
  const columnsOf = (rows: Row[]): ColumnSource[] => [
    { name: 'cell', data: rows.map((row) => row.cell), type: 'STRING', nullable: false },
    { name: 'problem', data: rows.map((row) => row.problem), type: 'STRING', nullable: false },
    { name: 'index', data: rows.map((row) => BigInt(Math.trunc(row.index))), type: 'INT64', nullable: false },
    { name: 'status', data: rows.map((row) => row.status), type: 'STRING', nullable: false },
    { name: 'answer_class', data: rows.map((row) => row.answer_class), type: 'STRING' },
    { name: 'correct', data: rows.map((row) => row.correct), type: 'BOOLEAN' },
    { name: 'prompt_tokens', data: rows.map((row) => row.prompt_tokens), type: 'INT32', nullable: false },
    { name: 'completion_tokens', data: rows.map((row) => row.completion_tokens), type: 'INT32', nullable: false },
    { name: 'thinking_tokens', data: rows.map((row) => row.thinking_tokens), type: 'INT32', nullable: false },
    ...scorers.map((scorer, position): ColumnSource => ({ name: `score:${scorer}`, data: rows.map((row) => row.scores[position] ?? null), type: 'DOUBLE' })),
  ];
  let writer: ParquetWriter | undefined;
  return {
    async write(rows) {
      const columnData = columnsOf(rows);
      writer ??= new ParquetWriter({ writer: fileWriter(path), schema: schemaFromColumnData({ columnData }) });
      writer.write({ columnData, rowGroupSize: Math.max(1, rows.length) });
    },
    async finish() {
      await (writer as ParquetWriter).finish();
    },
  };
}

/** CSV with a header row; missing values are empty fields. */
async function csvSink(path: string, scorers: string[]): Promise<RowSink> {
  const stream = createWriteStream(path);
  await once(stream, 'open');
  const write = async (text: string): Promise<void> => {
    if (!stream.write(text)) await once(stream, 'drain');
  };
  await write(stringify([[...COLUMNS, ...scorers.map((scorer) => `score:${scorer}`)]]));
  return {
    async write(rows) {
      const records = rows.map((row) => [row.cell, row.problem, row.index, row.status, row.answer_class ?? '', row.correct === null ? '' : String(row.correct), row.prompt_tokens, row.completion_tokens, row.thinking_tokens, ...row.scores.map((score) => (score === null ? '' : score))]);
      await write(stringify(records));
    },
    async finish() {
      stream.end();
      await once(stream, 'finish');
    },
  };
}
