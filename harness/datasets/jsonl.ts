/** Reading JSONL / JSON / parquet files of records, with errors that name the file and line. */
import { readFileSync } from 'node:fs';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { DatasetError } from '../core/errors.ts';

/** Reads a JSONL file (or a JSON array file) into records. */
export function readRecords(path: string): Array<Record<string, unknown>> {
  const text = readFileSync(path, 'utf8');
  if (path.endsWith('.json')) {
    const value: unknown = JSON.parse(text);
    if (!Array.isArray(value)) throw new DatasetError('DATASET_FORMAT', `${path} is not a JSON array of records`, { hint: 'Use a JSON array of objects, or JSONL (one object per line).' });
    return value.map((item, index) => asRecord(item, path, index + 1));
  }
  const records: Array<Record<string, unknown>> = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index]?.trim() ?? '';
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new DatasetError('DATASET_FORMAT', `${path}:${index + 1} is not valid JSON`, { hint: 'Each line of a JSONL file must be one JSON object.', cause: error });
    }
    records.push(asRecord(value, path, index + 1));
  }
  return records;
}

/**
 * Reads a dataset file: the rows of a parquet file (Hub snapshots hold parquet), else JSONL or a
 * JSON array as `readRecords` does. Parquet rows come out as JSON records would: integers as
 * numbers, list columns as plain arrays.
 */
export async function readDatasetRecords(path: string): Promise<Array<Record<string, unknown>>> {
  if (!path.endsWith('.parquet')) return readRecords(path);
  const rows: unknown[] = await parquetReadObjects({ file: await asyncBufferFromFile(path) });
  // Parquet integers arrive as bigint and list columns may arrive as typed arrays; a JSON round trip normalises both.
  return rows.map((row, index) => asRecord(JSON.parse(JSON.stringify(row, (_key, value: unknown) => (typeof value === 'bigint' ? Number(value) : value))) as unknown, path, index + 1));
}

function asRecord(value: unknown, path: string, line: number): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DatasetError('DATASET_FORMAT', `${path}:${line} is not a JSON object`, { hint: 'Each record must be an object such as {"question": ..., "answer": ...}.' });
  }
  return value as Record<string, unknown>;
}

/** A field as a string (numbers are stringified), or undefined. */
export function stringField(record: Record<string, unknown>, field: string): string | undefined {
  const value = record[field];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return undefined;
}
