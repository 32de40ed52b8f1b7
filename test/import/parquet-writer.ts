/**
 * A minimal parquet writer for tests and benchmarks (no writer package is installed): PLAIN
 * encoding, no compression, data page v1, one page per column chunk, optional columns, the
 * standard 3-level LIST layout that pyarrow (and so the Hugging Face Hub) writes, and structs of
 * scalars and lists (CodeContests' `public_tests: {input: [...], output: [...]}`). Enough to write
 * monkey_business- and CodeContests-shaped files that hyparquet reads back.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

/** Column kinds this writer supports. */
export type ParquetColumnKind = 'string' | 'int64' | 'boolean' | 'string-list' | 'boolean-list' | 'int64-list' | 'struct';

/** One column of the schema. */
export interface ParquetColumn {
  /** Column name. */
  name: string;
  /** What it holds. */
  kind: ParquetColumnKind;
  /** The fields of a `struct` column (scalars or lists; structs do not nest further here). */
  fields?: ParquetColumn[];
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

/** Writes a parquet file row group by row group. */
export interface ParquetWriter {
  /** Writes the rows as one row group. */
  writeRowGroup(rows: ReadonlyArray<Record<string, unknown>>): void;
  /** Writes the footer and closes the file. */
  close(): void;
}

/** A leaf column: a path through the schema and how to find its values in a row. */
interface Leaf {
  path: string[];
  kind: Exclude<ParquetColumnKind, 'struct'>;
  /** Name of the enclosing struct column, when the leaf is a struct's field. */
  parent?: string;
}

interface ChunkInfo {
  leaf: Leaf;
  offset: number;
  size: number;
  levelCount: number;
}

function leavesOf(columns: ParquetColumn[]): Leaf[] {
  const leaves: Leaf[] = [];
  for (const column of columns) {
    if (column.kind !== 'struct') {
      leaves.push({ path: column.kind.endsWith('-list') ? [column.name, 'list', 'element'] : [column.name], kind: column.kind });
      continue;
    }
    for (const field of column.fields ?? []) {
      if (field.kind === 'struct') throw new Error(`nested struct ${column.name}.${field.name} is not supported`);
      const path = field.kind.endsWith('-list') ? [column.name, field.name, 'list', 'element'] : [column.name, field.name];
      leaves.push({ path, kind: field.kind, parent: column.name });
    }
  }
  return leaves;
}

/** Repetition and definition levels and the present values of one leaf over some rows. */
function levelsOf(leaf: Leaf, rows: ReadonlyArray<Record<string, unknown>>): { definitions: number[]; repetitions: number[]; values: unknown[] } {
  const isList = leaf.kind.endsWith('-list');
  const definitions: number[] = [];
  const repetitions: number[] = [];
  const values: unknown[] = [];
  for (const row of rows) {
    let base = 0;
    let value: unknown;
    if (leaf.parent !== undefined) {
      const parent = row[leaf.parent];
      if (parent === null || parent === undefined) {
        definitions.push(0);
        repetitions.push(0);
        continue;
      }
      base = 1;
      value = (parent as Record<string, unknown>)[leaf.path[1] as string];
    } else value = row[leaf.path[0] as string];
    if (!isList) {
      repetitions.push(0);
      if (value === null || value === undefined) definitions.push(base);
      else {
        definitions.push(base + 1);
        values.push(value);
      }
      continue;
    }
    if (value === null || value === undefined) {
      definitions.push(base);
      repetitions.push(0);
    } else if (!Array.isArray(value) || value.length === 0) {
      definitions.push(base + 1);
      repetitions.push(0);
    } else {
      value.forEach((item: unknown, index: number) => {
        repetitions.push(index === 0 ? 0 : 1);
        if (item === null || item === undefined) definitions.push(base + 2);
        else {
          definitions.push(base + 3);
          values.push(item);
        }
      });
    }
  }
  return { definitions, repetitions, values };
}

function maxDefinition(leaf: Leaf): number {
  return (leaf.parent === undefined ? 0 : 1) + (leaf.kind.endsWith('-list') ? 3 : 1);
}

function encodeValues(kind: Leaf['kind'], values: unknown[]): Buffer {
  if (kind === 'string' || kind === 'string-list') {
    return Buffer.concat(
      values.flatMap((value) => {
        const bytes = Buffer.from(String(value), 'utf8');
        const length = Buffer.alloc(4);
        length.writeUInt32LE(bytes.length);
        return [length, bytes];
      }),
    );
  }
  if (kind === 'int64' || kind === 'int64-list') {
    const buffer = Buffer.alloc(8 * values.length);
    values.forEach((value, index) => buffer.writeBigInt64LE(BigInt(value as number), 8 * index));
    return buffer;
  }
  const buffer = Buffer.alloc(Math.ceil(values.length / 8));
  values.forEach((value, index) => {
    if (value === true) buffer[index >> 3] = (buffer[index >> 3] ?? 0) | (1 << (index & 7));
  });
  return buffer;
}

const physical = (kind: Leaf['kind']): number => (kind.startsWith('int64') ? TYPE.int64 : kind.startsWith('boolean') ? TYPE.boolean : TYPE.byteArray);

/** Schema elements of one scalar or list column (field ids of parquet.thrift's SchemaElement). */
function schemaElements(column: ParquetColumn): Array<(writer: ThriftWriter) => void> {
  if (column.kind === 'struct') {
    const fields = column.fields ?? [];
    return [(writer) => writer.i32(3, 1).string(4, column.name).i32(5, fields.length), ...fields.flatMap(schemaElements)];
  }
  const kind = column.kind;
  const isString = kind === 'string' || kind === 'string-list';
  if (kind.endsWith('-list')) {
    return [
      (writer) => writer.i32(3, 1).string(4, column.name).i32(5, 1).i32(6, 3),
      (writer) => writer.i32(3, 2).string(4, 'list').i32(5, 1),
      (writer) => {
        writer.i32(1, physical(kind)).i32(3, 1).string(4, 'element');
        if (isString) writer.i32(6, 0);
      },
    ];
  }
  return [
    (writer) => {
      writer.i32(1, physical(kind)).i32(3, 1).string(4, column.name);
      if (isString) writer.i32(6, 0);
    },
  ];
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
  const leaves = leavesOf(columns);
  const groups: Array<{ chunks: ChunkInfo[]; rows: number; bytes: number }> = [];
  let totalRows = 0;

  function columnChunk(leaf: Leaf, rows: ReadonlyArray<Record<string, unknown>>): ChunkInfo {
    const { definitions, repetitions, values } = levelsOf(leaf, rows);
    const parts: Buffer[] = [];
    if (leaf.kind.endsWith('-list')) parts.push(encodeLevels(Uint8Array.from(repetitions), 1));
    parts.push(encodeLevels(Uint8Array.from(definitions), maxDefinition(leaf)));
    parts.push(encodeValues(leaf.kind, values));
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
    return { leaf, offset, size: header.length + page.length, levelCount: definitions.length };
  }

  return {
    writeRowGroup(rows) {
      const chunks = leaves.map((leaf) => columnChunk(leaf, rows));
      groups.push({ chunks, rows: rows.length, bytes: chunks.reduce((sum, chunk) => sum + chunk.size, 0) });
      totalRows += rows.length;
    },
    close() {
      const footer = new ThriftWriter().i32(1, 1);
      const schema: Array<(writer: ThriftWriter) => void> = [(writer) => writer.string(4, 'schema').i32(5, columns.length), ...columns.flatMap(schemaElements)];
      footer.structList(2, schema, (writer, body) => body(writer));
      footer.i64(3, totalRows);
      footer.structList(4, groups, (writer, group) => {
        writer.structList(1, group.chunks, (chunkWriter, chunk) => {
          chunkWriter.i64(2, chunk.offset).struct(3, (meta) => {
            meta
              .i32(1, physical(chunk.leaf.kind))
              .i32List(2, [0, 3])
              .stringList(3, chunk.leaf.path)
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
