/** Streaming readers for the files recorded samples come in: JSON Lines, JSON arrays and parquet. */
import { readFileSync } from 'node:fs';
import { DatasetError } from '../core/errors.ts';
import { readParquetRows, type SourceRow } from '../datasets/parquet-rows.ts';
import { readJsonlFile } from '../store/sample-log.ts';

export { readParquetRows, type SourceRow };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Streams the objects of a JSON Lines file, one line at a time. Blank lines are skipped. */
export function readJsonLines(path: string): AsyncGenerator<SourceRow> {
  return readJsonlFile(path, parseSourceLine);
}

function parseSourceLine(text: string, line: number, path: string): SourceRow {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new DatasetError('IMPORT_BAD_LINE', `${path}:${line} is not valid JSON`, {
      hint: 'Each line of a JSON Lines file must be one JSON object; fix or remove the damaged line.',
      cause: error,
    });
  }
  if (!isObject(value)) {
    throw new DatasetError('IMPORT_BAD_LINE', `${path}:${line} is not a JSON object`, {
      hint: 'Each line must be an object such as {"question": ..., "samples": [...]}.',
    });
  }
  return { value, where: `${path}:${line}` };
}

/**
 * Reads the objects of a `.json` file: an array of objects, or an object of equal-length column
 * arrays (the `datasets` "columns" layout). The whole file is parsed at once: use JSON Lines or
 * parquet for big sources.
 */
export async function* readJsonFile(path: string): AsyncGenerator<SourceRow> {
  const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      if (!isObject(item)) throw new DatasetError('IMPORT_BAD_ROW', `${path}[${index}] is not a JSON object`, { hint: 'A JSON source must be an array of objects.' });
      yield { value: item, where: `${path}[${index}]` };
    }
    return;
  }
  if (isObject(value)) {
    const columns = Object.entries(value).filter((entry): entry is [string, unknown[]] => Array.isArray(entry[1]));
    const rows = columns[0]?.[1].length ?? 0;
    for (let index = 0; index < rows; index += 1) {
      const row: Record<string, unknown> = {};
      for (const [name, column] of columns) row[name] = column[index];
      yield { value: row, where: `${path}[${index}]` };
    }
    return;
  }
  throw new DatasetError('IMPORT_BAD_FILE', `${path} is neither a JSON array nor an object of columns`, {
    hint: 'Give a JSON Lines file (one object per line), a JSON array of objects, or a parquet file.',
  });
}

/** Streams the rows of a `.parquet`, `.json` or `.jsonl`/`.ndjson` file, chosen by its extension. */
export function readRows(path: string, columns?: string[]): AsyncGenerator<SourceRow> {
  if (path.endsWith('.parquet')) return readParquetRows(path, columns);
  if (path.endsWith('.json')) return readJsonFile(path);
  return readJsonLines(path);
}
