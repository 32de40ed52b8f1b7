/** Streaming parquet rows, one row group at a time, for dataset loaders and importers. */
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { DatasetError } from '../core/errors.ts';

/** A parsed row with where it came from (for error messages). */
export interface SourceRow {
  /** The parsed object. */
  value: Record<string, unknown>;
  /** `file:line` (JSON Lines), `file[index]` (JSON) or `file#row` (parquet). */
  where: string;
}

/**
 * Streams the rows of a parquet file one row group at a time (hyparquet), so at most one row group
 * is decoded in memory. `columns` limits what is read (default: every column).
 */
export async function* readParquetRows(path: string, columns?: string[]): AsyncGenerator<SourceRow> {
  const file = await asyncBufferFromFile(path);
  let metadata;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (error) {
    throw new DatasetError('IMPORT_BAD_PARQUET', `${path} is not a readable parquet file`, {
      hint: 'The download may be incomplete: delete the file from the cache and import again.',
      cause: error,
    });
  }
  const available = new Set(metadata.schema.slice(1).map((element) => element.name));
  const wanted = columns?.filter((column) => available.has(column));
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    const rows = await parquetReadObjects({ file, metadata, rowStart, rowEnd, ...(wanted ? { columns: wanted } : {}) });
    for (const [offset, row] of rows.entries()) {
      yield { value: row as Record<string, unknown>, where: `${path}#${rowStart + offset}` };
    }
    rowStart = rowEnd;
  }
}
