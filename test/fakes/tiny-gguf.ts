/**
 * Writes a tiny GGUF model that the real llama.cpp engine loads: llama architecture, seeded random
 * f32 weights, a byte-level SentencePiece vocabulary (`<unk>`, `<s>`, `</s>` and the 256 byte
 * tokens, plus a few whole-word tokens such as `</think>`), and a chat template in its metadata.
 * The text it writes is gibberish, but it is deterministic for a seed, which is all the tests need.
 *
 * Format (GGUF v3): magic, version, tensor count, metadata count, metadata key/values, tensor
 * infos (name, dims innermost first, type, offset), padding to the alignment, tensor data each
 * at an aligned offset. https://github.com/ggml-org/ggml/blob/master/docs/gguf.md
 */
import { writeFile } from 'node:fs/promises';

/** Shape of the tiny model. Defaults: 2 layers, d_model 128, vocab 263: about 1 MB of f32. */
export interface TinyGgufOptions {
  /** Transformer blocks (default 2). */
  layers?: number;
  /** Hidden size d_model (default 128). */
  embeddingLength?: number;
  /** Feed-forward size (default 256). */
  feedForwardLength?: number;
  /** Attention heads (default 4); key/value heads are the same. */
  heads?: number;
  /** Trained context length written in the metadata, tokens (default 2048). */
  contextLength?: number;
  /** Seed of the random weights (default 1). */
  seed?: number;
  /** Architecture written in `general.architecture` (default `llama`; others make an unsupported model). */
  architecture?: string;
  /** Jinja chat template stored as `tokenizer.chat_template`. */
  chatTemplate?: string;
  /**
   * Storage of the attention and feed-forward matrices (default `f32`). `q8_0` is how real models
   * are often shipped (8-bit blocks of 32 with an f16 scale): a quarter of the bytes per weight
   * and llama.cpp's integer dot products, so evaluation costs behave more like a real model's.
   * Embeddings, output and norms stay f32 (the logit bias below needs exact values).
   */
  weightType?: 'f32' | 'q8_0';
}

/** The chat template written by default: one line per message, then `assistant:`. */
export const tinyChatTemplate =
  "{% for message in messages %}{{ message['role'] }}: {{ message['content'] }}\n{% endfor %}" +
  '{% if add_generation_prompt %}assistant:{% endif %}';

/** Whole-word tokens added after the byte tokens. */
const wordTokens = ['<think>', '</think>', 'Final Answer:', 'Wait'];
/** SentencePiece's escaped space: a normal token, so spaces round-trip through the tokenizer. */
const spaceToken = '\u2581';

const enum ValueType {
  Uint32 = 4,
  Int32 = 5,
  Float32 = 6,
  Bool = 7,
  String = 8,
  Array = 9,
}
const tensorTypes = { f32: 0, q8_0: 8 } as const;
/** Values per Q8_0 block; each block is an f16 scale and 32 signed bytes. */
const q8BlockSize = 32;
const alignment = 32;

type MetadataValue =
  | { type: ValueType.Uint32 | ValueType.Int32 | ValueType.Float32; value: number }
  | { type: ValueType.Bool; value: boolean }
  | { type: ValueType.String; value: string }
  | { type: ValueType.Array; itemType: ValueType.String; value: string[] }
  | { type: ValueType.Array; itemType: ValueType.Float32 | ValueType.Int32; value: number[] };

/** Grows a byte buffer as values are appended, little-endian. */
class ByteWriter {
  private chunks: Buffer[] = [];
  length = 0;
  push(buffer: Buffer): void {
    this.chunks.push(buffer);
    this.length += buffer.length;
  }
  u32(value: number): void {
    const buffer = Buffer.alloc(4);
    buffer.writeUInt32LE(value);
    this.push(buffer);
  }
  i32(value: number): void {
    const buffer = Buffer.alloc(4);
    buffer.writeInt32LE(value);
    this.push(buffer);
  }
  u64(value: number): void {
    const buffer = Buffer.alloc(8);
    buffer.writeBigUInt64LE(BigInt(value));
    this.push(buffer);
  }
  f32(value: number): void {
    const buffer = Buffer.alloc(4);
    buffer.writeFloatLE(value);
    this.push(buffer);
  }
  string(value: string): void {
    const bytes = Buffer.from(value, 'utf8');
    this.u64(bytes.length);
    this.push(bytes);
  }
  padTo(multiple: number): void {
    const rest = this.length % multiple;
    if (rest !== 0) this.push(Buffer.alloc(multiple - rest));
  }
  toBuffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

function writeValue(writer: ByteWriter, entry: MetadataValue): void {
  writer.u32(entry.type);
  switch (entry.type) {
    case ValueType.Uint32:
      return writer.u32(entry.value);
    case ValueType.Int32:
      return writer.i32(entry.value);
    case ValueType.Float32:
      return writer.f32(entry.value);
    case ValueType.Bool:
      return writer.push(Buffer.from([entry.value ? 1 : 0]));
    case ValueType.String:
      return writer.string(entry.value);
    case ValueType.Array:
      writer.u32(entry.itemType);
      writer.u64(entry.value.length);
      for (const item of entry.value) {
        if (typeof item === 'string') writer.string(item);
        else if (entry.itemType === ValueType.Float32) writer.f32(item);
        else writer.i32(item);
      }
  }
}

/** The vocabulary: tokens, scores and token types (2 unknown, 3 control, 6 byte, 1 normal). */
export function tinyVocabulary(): { tokens: string[]; scores: number[]; types: number[] } {
  const tokens = ['<unk>', '<s>', '</s>'];
  const types = [2, 3, 3];
  for (let byte = 0; byte < 256; byte++) {
    tokens.push(`<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`);
    types.push(6);
  }
  tokens.push(spaceToken);
  types.push(1);
  // User-defined tokens (4) are matched whole before SentencePiece splits the rest into bytes.
  for (const word of wordTokens) {
    tokens.push(word);
    types.push(4);
  }
  const scores = tokens.map((_, index) => (types[index] === 6 ? -1000 : 0));
  return { tokens, scores, types };
}

/** A small seeded generator (mulberry32) of normal deviates for the weights. */
function normalDeviates(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform() + 1e-12)) * Math.cos(2 * Math.PI * uniform());
}

interface TensorSpec {
  name: string;
  /** Dimensions, innermost first (ggml's ne order). */
  dims: number[];
  /** Constant value (norm weights), or random with this standard deviation. */
  fill: { constant: number } | { std: number };
  /** Value of element 0 of each row (the bias channel below), when set. */
  firstOfRow?: (row: number) => number;
  /** Storage type (default f32). */
  type?: keyof typeof tensorTypes;
}

/**
 * Logit bias per token, through a bias channel: hidden dimension 0 of every token embedding is a
 * large constant, so after the final RMS norm it stays near a fixed value, and element 0 of each
 * output row then adds a per-token constant to its logit. Printable ASCII and the space are
 * favoured, end of text and the word tokens are rare, control and non-ASCII bytes never come,
 * so samples are readable ASCII gibberish that stop sequences can match.
 */
function logitBias(token: number, vocabulary: { tokens: string[] }): number {
  const piece = vocabulary.tokens[token] ?? '';
  const byte = /^<0x([0-9A-F]{2})>$/.exec(piece);
  if (byte !== null) {
    const value = Number.parseInt(byte[1] ?? '0', 16);
    return value >= 0x20 && value < 0x7f ? 0 : -40;
  }
  if (piece === spaceToken) return 1;
  if (piece === '</s>') return -3;
  if (wordTokens.includes(piece)) return -4;
  return -40;
}

interface TinyShape {
  layers: number;
  embeddingLength: number;
  feedForwardLength: number;
}

function tensorSpecs(shape: TinyShape, vocabulary: { tokens: string[] }, type: keyof typeof tensorTypes): TensorSpec[] {
  const { layers, embeddingLength: embd, feedForwardLength: ff } = shape;
  const vocabSize = vocabulary.tokens.length;
  // The bias channel holds about half the embedding's energy, so its normed value is about sqrt(embd / 2).
  const channel = Math.sqrt(embd);
  const channelNormed = Math.sqrt(embd / 2);
  const specs: TensorSpec[] = [
    { name: 'token_embd.weight', dims: [embd, vocabSize], fill: { std: 1 }, firstOfRow: () => channel },
    { name: 'output_norm.weight', dims: [embd], fill: { constant: 1 } },
    {
      name: 'output.weight',
      dims: [embd, vocabSize],
      fill: { std: 0.3 },
      firstOfRow: (row) => logitBias(row, vocabulary) / channelNormed,
    },
  ];
  for (let layer = 0; layer < layers; layer++) {
    const prefix = `blk.${layer}.`;
    specs.push(
      { name: `${prefix}attn_norm.weight`, dims: [embd], fill: { constant: 1 } },
      { name: `${prefix}attn_q.weight`, dims: [embd, embd], fill: { std: 0.1 }, type },
      { name: `${prefix}attn_k.weight`, dims: [embd, embd], fill: { std: 0.1 }, type },
      { name: `${prefix}attn_v.weight`, dims: [embd, embd], fill: { std: 0.1 }, type },
      { name: `${prefix}attn_output.weight`, dims: [embd, embd], fill: { std: 0.1 }, type },
      { name: `${prefix}ffn_norm.weight`, dims: [embd], fill: { constant: 1 } },
      { name: `${prefix}ffn_gate.weight`, dims: [embd, ff], fill: { std: 0.1 }, type },
      { name: `${prefix}ffn_up.weight`, dims: [embd, ff], fill: { std: 0.1 }, type },
      { name: `${prefix}ffn_down.weight`, dims: [ff, embd], fill: { std: 0.1 }, type },
    );
  }
  return specs;
}

function tensorData(spec: TensorSpec, next: () => number): Buffer {
  const count = spec.dims.reduce((product, dim) => product * dim, 1);
  const values = new Float32Array(count);
  for (let index = 0; index < count; index++) {
    values[index] = 'constant' in spec.fill ? spec.fill.constant : next() * spec.fill.std;
  }
  const rowLength = spec.dims[0] ?? 1;
  if (spec.firstOfRow !== undefined) {
    for (let row = 0; row * rowLength < count; row++) values[row * rowLength] = spec.firstOfRow(row);
  }
  return spec.type === 'q8_0' ? quantizeQ8(values) : Buffer.from(values.buffer);
}

/** An f32 as IEEE half bits (round to nearest; the scales here are normal, finite halves). */
function halfBits(value: number): number {
  const f32 = new Float32Array([value]);
  const bits = new Uint32Array(f32.buffer)[0] ?? 0;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
  if (exponent <= 0) return sign;
  const mantissa = Math.round((bits & 0x7fffff) / 0x2000);
  return sign | ((exponent << 10) + mantissa);
}

/** Values (a multiple of 32) as Q8_0 blocks: scale max|x|/127 as f16, then round(x/scale) as int8. */
function quantizeQ8(values: Float32Array): Buffer {
  const blocks = values.length / q8BlockSize;
  const buffer = Buffer.alloc(blocks * (2 + q8BlockSize));
  for (let block = 0; block < blocks; block++) {
    const start = block * q8BlockSize;
    let largest = 0;
    for (let index = 0; index < q8BlockSize; index++) largest = Math.max(largest, Math.abs(values[start + index] ?? 0));
    const scale = largest / 127;
    const at = block * (2 + q8BlockSize);
    buffer.writeUInt16LE(halfBits(scale), at);
    for (let index = 0; index < q8BlockSize; index++) {
      buffer.writeInt8(scale === 0 ? 0 : Math.round((values[start + index] ?? 0) / scale), at + 2 + index);
    }
  }
  return buffer;
}

/** The bytes of a tiny GGUF model. */
export function tinyGguf(options: TinyGgufOptions = {}): Buffer {
  const shape = {
    layers: options.layers ?? 2,
    embeddingLength: options.embeddingLength ?? 128,
    feedForwardLength: options.feedForwardLength ?? 256,
    heads: options.heads ?? 4,
  };
  const architecture = options.architecture ?? 'llama';
  const vocabulary = tinyVocabulary();
  const u32 = (value: number): MetadataValue => ({ type: ValueType.Uint32, value });
  const metadata: Array<[string, MetadataValue]> = [
    ['general.architecture', { type: ValueType.String, value: architecture }],
    ['general.name', { type: ValueType.String, value: 'scaling-bench tiny test model' }],
    ['general.alignment', u32(alignment)],
    [`${architecture}.context_length`, u32(options.contextLength ?? 2048)],
    [`${architecture}.embedding_length`, u32(shape.embeddingLength)],
    [`${architecture}.block_count`, u32(shape.layers)],
    [`${architecture}.feed_forward_length`, u32(shape.feedForwardLength)],
    [`${architecture}.attention.head_count`, u32(shape.heads)],
    [`${architecture}.attention.head_count_kv`, u32(shape.heads)],
    [`${architecture}.attention.layer_norm_rms_epsilon`, { type: ValueType.Float32, value: 1e-5 }],
    [`${architecture}.rope.dimension_count`, u32(shape.embeddingLength / shape.heads)],
    [`${architecture}.vocab_size`, u32(vocabulary.tokens.length)],
    ['tokenizer.ggml.model', { type: ValueType.String, value: 'llama' }],
    ['tokenizer.ggml.tokens', { type: ValueType.Array, itemType: ValueType.String, value: vocabulary.tokens }],
    ['tokenizer.ggml.scores', { type: ValueType.Array, itemType: ValueType.Float32, value: vocabulary.scores }],
    ['tokenizer.ggml.token_type', { type: ValueType.Array, itemType: ValueType.Int32, value: vocabulary.types }],
    ['tokenizer.ggml.unknown_token_id', u32(0)],
    ['tokenizer.ggml.bos_token_id', u32(1)],
    ['tokenizer.ggml.eos_token_id', u32(2)],
    ['tokenizer.ggml.add_bos_token', { type: ValueType.Bool, value: true }],
    ['tokenizer.ggml.add_space_prefix', { type: ValueType.Bool, value: false }],
    ['tokenizer.chat_template', { type: ValueType.String, value: options.chatTemplate ?? tinyChatTemplate }],
  ];
  const weightType = options.weightType ?? 'f32';
  if (weightType === 'q8_0' && (shape.embeddingLength % q8BlockSize !== 0 || shape.feedForwardLength % q8BlockSize !== 0)) {
    throw new RangeError(`q8_0 weights need embeddingLength and feedForwardLength divisible by ${q8BlockSize}`);
  }
  const specs = tensorSpecs(shape, vocabulary, weightType);
  const next = normalDeviates(options.seed ?? 1);
  const datas = specs.map((spec) => tensorData(spec, next));

  const header = new ByteWriter();
  header.push(Buffer.from('GGUF', 'ascii'));
  header.u32(3);
  header.u64(specs.length);
  header.u64(metadata.length);
  for (const [key, value] of metadata) {
    header.string(key);
    writeValue(header, value);
  }
  let offset = 0;
  specs.forEach((spec, index) => {
    header.string(spec.name);
    header.u32(spec.dims.length);
    for (const dim of spec.dims) header.u64(dim);
    header.u32(tensorTypes[spec.type ?? 'f32']);
    header.u64(offset);
    offset += Math.ceil((datas[index]?.length ?? 0) / alignment) * alignment;
  });
  header.padTo(alignment);
  for (const data of datas) {
    header.push(data);
    header.padTo(alignment);
  }
  return header.toBuffer();
}

/** Writes a tiny GGUF model to `path`; returns its size in bytes. */
export async function writeTinyGguf(path: string, options: TinyGgufOptions = {}): Promise<number> {
  const bytes = tinyGguf(options);
  await writeFile(path, bytes);
  return bytes.length;
}
