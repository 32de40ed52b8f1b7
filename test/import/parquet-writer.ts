/**
 * A minimal parquet writer for tests and benchmarks (no writer package is installed): PLAIN
 * encoding, no compression, data page v1, one page per column chunk, optional columns and the
 * standard 3-level LIST layout that pyarrow (and so the Hugging Face Hub) writes. Enough to write
 * monkey_business-shaped files that hyparquet reads back.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

/** Column kinds this writer supports. */
export type ParquetColumnKind = 'string' | 'int64' | 'boolean' | 'string-list' | 'boolean-list';

/** One column of the schema. */
export interface ParquetColumn {
  /** Column name. */
  name: string;
  /** What it holds. */
  kind: ParquetColumnKind;
}

const THRIFT = { boolTrue: 1, boolFalse: 2, i32: 5, i64: 6, binary: 8, list: 9, struct: 12 } as const;
const TYPE = { boolean: 0, int64: 2, byteArray: 6 } as const;

class ThriftWriter {
  private chunks: number[] = [];
  private lastField: number[] = [0];

  bytes(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }

  private varint(value: number): void {
    let rest = value;
    while (rest >= 0x80) {
      this.chunks.push((rest % 0x80) | 0x80);
      rest = Math.floor(rest / 0x80);
    }
    this.chunks.push(rest);
  }

  private zigzag(value: number): void {
    this.varint(value >= 0 ? value * 2 : -value * 2 - 1);
  }

  private header(id: number, type: number): void {
    const last = this.lastField[this.lastField.length - 1] ?? 0;
    const delta = id - last;
    if (delta > 0 && delta <= 15) this.chunks.push((delta << 4) | type);
    else {
      this.chunks.push(type);
      this.zigzag(id);
    }
    this.lastField[this.lastField.length - 1] = id;
  }

  i32(id: number, value: number): this {
    this.header(id, THRIFT.i32);
    this.zigzag(value);
    return this;
  }

  i64(id: number, value: number): this {
    this.header(id, THRIFT.i64);
    this.zigzag(value);
    return this;
  }

  string(id: number, value: string): this {
    this.header(id, THRIFT.binary);
    const bytes = Buffer.from(value, 'utf8');
    this.varint(bytes.length);
    for (const byte of bytes) this.chunks.push(byte);
    return this;
  }

  private listHeader(size: number, type: number): void {
    if (size < 15) this.chunks.push((size << 4) | type);
    else {
      this.chunks.push(0xf0 | type);
      this.varint(size);
    }
  }

  i32List(id: number, values: number[]): this {
    this.header(id, THRIFT.list);
    this.listHeader(values.length, THRIFT.i32);
    for (const value of values) this.zigzag(value);
    return this;
  }

  stringList(id: number, values: string[]): this {
    this.header(id, THRIFT.list);
    this.listHeader(values.length, THRIFT.binary);
    for (const value of values) {
      const bytes = Buffer.from(value, 'utf8');
      this.varint(bytes.length);
      for (const byte of bytes) this.chunks.push(byte);
    }
    return this;
  }

  struct(id: number, body: (writer: this) => void): this {
    this.header(id, THRIFT.struct);
    this.lastField.push(0);
    body(this);
    this.chunks.push(0);
    this.lastField.pop();
    return this;
  }

  structList<T>(id: number, items: T[], body: (writer: this, item: T) => void): this {
    this.header(id, THRIFT.list);
    this.listHeader(items.length, THRIFT.struct);
    for (const item of items) {
      this.lastField.push(0);
      body(this, item);
      this.chunks.push(0);
      this.lastField.pop();
    }
    return this;
  }

  stop(): this {
    this.chunks.push(0);
    return this;
  }
}

/** RLE/bit-packed hybrid, RLE runs only, prefixed with its 4-byte length (data page v1 levels). */
function encodeLevels(levels: Uint8Array, maxLevel: number): Buffer {
  const width = Math.ceil(Math.log2(maxLevel + 1));
  const valueBytes = Math.ceil(width / 8);
  const out: number[] = [];
  let start = 0;
  while (start < levels.length) {
    let end = start + 1;
    while (end < levels.length && levels[end] === levels[start]) end += 1;
    let run = (end - start) * 2;
    while (run >= 0x80) {
      out.push((run % 0x80) | 0x80);
      run = Math.floor(run / 0x80);
    }
    out.push(run);
    for (let byte = 0; byte < valueBytes; byte += 1) out.push(((levels[start] ?? 0) >> (8 * byte)) & 0xff);
    start = end;
  }
  const length = Buffer.alloc(4);
  length.writeUInt32LE(out.length);
  return Buffer.concat([length, Buffer.from(out)]);
}

interface ChunkInfo {
  column: ParquetColumn;
  offset: number;
  size: number;
  levelCount: number;
}

/** Writes a parquet file row group by row group. */
export interface ParquetWriter {
  /** Writes the rows as one row group. */
  writeRowGroup(rows: ReadonlyArray<Record<string, unknown>>): void;
  /** Writes the footer and closes the file. */
  close(): void;
}

/** Opens `path` for writing a parquet file with the given columns (all optional; list elements optional). */
export function createParquetWriter(path: string, columns: ParquetColumn[]): ParquetWriter {
  const fd = openSync(path, 'w');
  let position = 0;
  const write = (bytes: Uint8Array): void => {
    writeSync(fd, bytes);
    position += bytes.length;
  };
  write(Buffer.from('PAR1'));
  const groups: Array<{ chunks: ChunkInfo[]; rows: number; bytes: number }> = [];
  let totalRows = 0;

  function columnChunk(column: ParquetColumn, rows: ReadonlyArray<Record<string, unknown>>): ChunkInfo {
    const isList = column.kind.endsWith('-list');
    const maxDefinition = isList ? 3 : 1;
    const definitions: number[] = [];
    const repetitions: number[] = [];
    const values: unknown[] = [];
    for (const row of rows) {
      const value = row[column.name];
      if (!isList) {
        if (value === null || value === undefined) definitions.push(0);
        else {
          definitions.push(1);
          values.push(value);
        }
        continue;
      }
      if (value === null || value === undefined) {
        definitions.push(0);
        repetitions.push(0);
      } else if (!Array.isArray(value) || value.length === 0) {
        definitions.push(1);
        repetitions.push(0);
      } else {
        value.forEach((item: unknown, index: number) => {
          repetitions.push(index === 0 ? 0 : 1);
          if (item === null || item === undefined) definitions.push(2);
          else {
            definitions.push(3);
            values.push(item);
          }
        });
      }
    }
    const parts: Buffer[] = [];
    if (isList) parts.push(encodeLevels(Uint8Array.from(repetitions), 1));
    parts.push(encodeLevels(Uint8Array.from(definitions), maxDefinition));
    if (column.kind === 'string' || column.kind === 'string-list') {
      for (const value of values) {
        const bytes = Buffer.from(String(value), 'utf8');
        const length = Buffer.alloc(4);
        length.writeUInt32LE(bytes.length);
        parts.push(length, bytes);
      }
    } else if (column.kind === 'int64') {
      const buffer = Buffer.alloc(8 * values.length);
      values.forEach((value, index) => buffer.writeBigInt64LE(BigInt(value as number), 8 * index));
      parts.push(buffer);
    } else {
      const buffer = Buffer.alloc(Math.ceil(values.length / 8));
      values.forEach((value, index) => {
        if (value === true) buffer[index >> 3] = (buffer[index >> 3] ?? 0) | (1 << (index & 7));
      });
      parts.push(buffer);
    }
    const page = Buffer.concat(parts);
    const header = new ThriftWriter()
      .i32(1, 0)
      .i32(2, page.length)
      .i32(3, page.length)
      .struct(5, (writer) => writer.i32(1, definitions.length).i32(2, 0).i32(3, 3).i32(4, 3))
      .stop()
      .bytes();
    const offset = position;
    write(header);
    write(page);
    return { column, offset, size: header.length + page.length, levelCount: definitions.length };
  }

  return {
    writeRowGroup(rows) {
      const chunks = columns.map((column) => columnChunk(column, rows));
      groups.push({ chunks, rows: rows.length, bytes: chunks.reduce((sum, chunk) => sum + chunk.size, 0) });
      totalRows += rows.length;
    },
    close() {
      const physical = (kind: ParquetColumnKind): number => (kind === 'int64' ? TYPE.int64 : kind.startsWith('boolean') ? TYPE.boolean : TYPE.byteArray);
      const footer = new ThriftWriter().i32(1, 1);
      const schema: Array<(writer: ThriftWriter) => void> = [(writer) => writer.string(4, 'schema').i32(5, columns.length)];
      for (const column of columns) {
        const isString = column.kind === 'string' || column.kind === 'string-list';
        if (column.kind.endsWith('-list')) {
          schema.push((writer) => writer.i32(3, 1).string(4, column.name).i32(5, 1).i32(6, 3));
          schema.push((writer) => writer.i32(3, 2).string(4, 'list').i32(5, 1));
          schema.push((writer) => {
            writer.i32(1, physical(column.kind)).i32(3, 1).string(4, 'element');
            if (isString) writer.i32(6, 0);
          });
        } else {
          schema.push((writer) => {
            writer.i32(1, physical(column.kind)).i32(3, 1).string(4, column.name);
            if (isString) writer.i32(6, 0);
          });
        }
      }
      footer.structList(2, schema, (writer, body) => body(writer));
      footer.i64(3, totalRows);
      footer.structList(4, groups, (writer, group) => {
        writer.structList(1, group.chunks, (chunkWriter, chunk) => {
          chunkWriter.i64(2, chunk.offset).struct(3, (meta) => {
            meta
              .i32(1, physical(chunk.column.kind))
              .i32List(2, [0, 3])
              .stringList(3, chunk.column.kind.endsWith('-list') ? [chunk.column.name, 'list', 'element'] : [chunk.column.name])
              .i32(4, 0)
              .i64(5, chunk.levelCount)
              .i64(6, chunk.size)
              .i64(7, chunk.size)
              .i64(9, chunk.offset);
          });
        });
        writer.i64(2, group.bytes).i64(3, group.rows);
      });
      footer.string(6, 'scaling-bench test writer');
      footer.stop();
      const bytes = footer.bytes();
      write(bytes);
      const length = Buffer.alloc(4);
      length.writeUInt32LE(bytes.length);
      write(length);
      write(Buffer.from('PAR1'));
      closeSync(fd);
    },
  };
}

/** The monkey_business columns. */
export const MONKEY_BUSINESS_COLUMNS: ParquetColumn[] = [
  { name: 'orig_dataset_idx', kind: 'int64' },
  { name: 'question', kind: 'string' },
  { name: 'prompt', kind: 'string' },
  { name: 'gt_answer', kind: 'string' },
  { name: 'samples', kind: 'string-list' },
  { name: 'is_corrects', kind: 'boolean-list' },
];
