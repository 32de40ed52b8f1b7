/** Helpers for the import tests: fixture writers and independent metric computations. */
import { writeFileSync } from 'node:fs';
import { readSampleLog } from '../../harness/store/sample-log.ts';
import type { ImportedSampleRecord } from '../../harness/import/types.ts';
import { createParquetWriter, MONKEY_BUSINESS_COLUMNS } from './parquet-writer.ts';

/** A monkey_business-shaped row. */
export interface MonkeyRow {
  orig_dataset_idx: number;
  question: string;
  prompt: string;
  gt_answer: string;
  samples: string[];
  is_corrects: boolean[];
}

/** Deterministic 32-bit generator (mulberry32). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A problem with `samples` samples of which exactly `correct` are correct, at seeded positions.
 * Correct samples answer the gold answer; wrong ones answer one of a few wrong values.
 */
export function monkeyRow(problem: number, samples: number, correct: number, seed: number): MonkeyRow {
  const random = seededRandom(seed);
  const positions = Array.from({ length: samples }, (_, index) => index);
  for (let index = samples - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [positions[index], positions[other]] = [positions[other] as number, positions[index] as number];
  }
  const isCorrect = new Array<boolean>(samples).fill(false);
  for (const position of positions.slice(0, correct)) isCorrect[position] = true;
  const gold = String(problem * 11 + 7);
  return {
    orig_dataset_idx: 1000 + problem,
    question: `Problem ${problem}: what is ${problem} * 11 + 7?`,
    prompt: `Question: Problem ${problem}\nAnswer:`,
    gt_answer: gold,
    samples: isCorrect.map((ok, index) => `Sample ${index}. We compute step by step.\nThe final answer is ${ok ? gold : String(index % 5)}. I hope it is correct.`),
    is_corrects: isCorrect,
  };
}

/** Writes rows as a monkey_business parquet file, `rowsPerGroup` rows per row group. */
export function writeMonkeyParquet(path: string, rows: MonkeyRow[], rowsPerGroup: number): void {
  const writer = createParquetWriter(path, MONKEY_BUSINESS_COLUMNS);
  for (let start = 0; start < rows.length; start += rowsPerGroup) {
    writer.writeRowGroup(rows.slice(start, start + rowsPerGroup) as unknown as Array<Record<string, unknown>>);
  }
  writer.close();
}

/** Writes rows as JSON Lines. */
export function writeMonkeyJsonl(path: string, rows: MonkeyRow[]): void {
  writeFileSync(path, rows.map((row) => `${JSON.stringify(row)}\n`).join(''));
}

/** Reads a samples.jsonl into per-problem lists of records (tests only: small files). */
export async function readRecords(path: string): Promise<ImportedSampleRecord[]> {
  const records: ImportedSampleRecord[] = [];
  for await (const record of readSampleLog(path)) records.push(record as ImportedSampleRecord);
  return records;
}

/** Per cell/problem: n and c, streamed from a samples.jsonl. */
export async function countCorrect(path: string): Promise<Map<string, { n: number; c: number }>> {
  const counts = new Map<string, { n: number; c: number }>();
  for await (const record of readSampleLog(path)) {
    const key = `${record.cell} ${record.problem}`;
    const entry = counts.get(key) ?? { n: 0, c: 0 };
    entry.n += 1;
    if (record.verdict?.correct) entry.c += 1;
    counts.set(key, entry);
  }
  return counts;
}

/** pass@k in the stable product form 1 − Π_{i=n−c+1}^{n} (1 − k/i) (Chen et al. 2021). */
export function passAtKProduct(n: number, c: number, k: number): number {
  if (n - c < k) return 1;
  let product = 1;
  for (let i = n - c + 1; i <= n; i += 1) product *= 1 - k / i;
  return 1 - product;
}

function binomial(n: bigint, k: bigint): bigint {
  if (k < 0n || k > n) return 0n;
  const small = k < n - k ? k : n - k;
  let result = 1n;
  for (let i = 1n; i <= small; i += 1n) result = (result * (n - small + i)) / i;
  return result;
}

/** pass@k exactly with BigInt binomials, 1 − C(n−c, k)/C(n, k), rounded to 1e-15. */
export function passAtKExact(n: number, c: number, k: number): number {
  const scale = 10n ** 15n;
  const missing = (binomial(BigInt(n - c), BigInt(k)) * scale) / binomial(BigInt(n), BigInt(k));
  return 1 - Number(missing) / 1e15;
}

/**
 * Expected majority-vote accuracy over all samples of a problem: ties broken uniformly at random,
 * a winning class counting as the fraction of its samples that are correct.
 */
export function majorityOfAll(records: ReadonlyArray<{ key: string | null; correct: boolean }>): number {
  const classes = new Map<string, { votes: number; correct: number }>();
  for (const record of records) {
    if (record.key === null) continue;
    const entry = classes.get(record.key) ?? { votes: 0, correct: 0 };
    entry.votes += 1;
    if (record.correct) entry.correct += 1;
    classes.set(record.key, entry);
  }
  const top = Math.max(0, ...[...classes.values()].map((entry) => entry.votes));
  const tied = [...classes.values()].filter((entry) => entry.votes === top);
  if (tied.length === 0) return 0;
  return tied.reduce((sum, entry) => sum + entry.correct / entry.votes, 0) / tied.length;
}

/** Groups records by cell and problem, in file order. */
export function byProblem<T extends { cell: string; problem: string }>(records: readonly T[]): T[][] {
  const groups = new Map<string, T[]>();
  for (const record of records) {
    const key = `${record.cell} ${record.problem}`;
    const group = groups.get(key) ?? [];
    group.push(record);
    groups.set(key, group);
  }
  return [...groups.values()];
}
