/**
 * The compressed sample log (issue 14): how much smaller `samples.jsonl.gz` is than
 * `samples.jsonl`, and how fast each is written and read, on real model text: the recorded
 * Qwen2.5-Math samples (100 MATH problems × 8, with verdicts) and the CodeGen-Mono-16B HumanEval
 * samples of CodeT (164 × 100), imported into sample records first, so the bytes measured are the
 * log's own records (text, verdict, usage keys), not the source files.
 *
 * Measured per source: bytes of the plain log and of the gzip log at levels 1 and 6 (one gzip
 * member per flush of 64 records, as `run` writes), the ratio plain/gzip, write throughput
 * (records appended and flushed, in MB of plain JSONL per second) and read throughput (one
 * streaming pass of readSampleLog, parsing every record). Timing passes write each record set
 * several times over so a pass lasts long enough to time; the ratio is from one copy.
 *
 *   SCALING_BENCH_DATA=/work/shared/datasets node harness/cli/run-ts.mjs test/bench/sample-log.bench.ts
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SampleRecord } from '../../harness/core/types.ts';
import { importSamples } from '../../harness/import/import-samples.ts';
import { COMPRESSED_SAMPLES_FILE, openSampleLog, readSampleLog, SAMPLES_FILE } from '../../harness/store/sample-log.ts';
import { sharedDataDir } from '../helpers/shared-data.ts';

const work = mkdtempSync(join(tmpdir(), 'sb-bench-log-'));

async function recordsOf(source: string, name: string): Promise<SampleRecord[]> {
  const outDir = join(work, `import-${name}`);
  await importSamples({ source, outDir, name });
  const records: SampleRecord[] = [];
  for await (const record of readSampleLog(join(outDir, SAMPLES_FILE))) records.push(record);
  return records;
}

interface Pass {
  bytes: number;
  writeSeconds: number;
  readSeconds: number;
}

async function measure(records: SampleRecord[], copies: number, compress: boolean, level: number): Promise<Pass> {
  const dir = mkdtempSync(join(work, 'log-'));
  const started = process.hrtime.bigint();
  const log = openSampleLog(join(dir, SAMPLES_FILE), { compress, level });
  for (let copy = 0; copy < copies; copy += 1) for (const record of records) log.append(record);
  log.close();
  const written = process.hrtime.bigint();
  let count = 0;
  for await (const record of readSampleLog(join(dir, SAMPLES_FILE))) if (record.v === 1) count += 1;
  const read = process.hrtime.bigint();
  if (count !== records.length * copies) throw new Error(`read ${count} records, wrote ${records.length * copies}`);
  const bytes = statSync(join(dir, compress ? COMPRESSED_SAMPLES_FILE : SAMPLES_FILE)).size;
  rmSync(dir, { recursive: true, force: true });
  return { bytes, writeSeconds: Number(written - started) / 1e9, readSeconds: Number(read - written) / 1e9 };
}

async function bench(label: string, records: SampleRecord[]): Promise<number> {
  const plainOnce = await measure(records, 1, false, 6);
  const copies = Math.max(1, Math.ceil(40e6 / plainOnce.bytes));
  const plainMb = (plainOnce.bytes * copies) / 1e6;
  process.stdout.write(`\n${label}: ${records.length} records, plain ${(plainOnce.bytes / 1e6).toFixed(2)} MB; timing passes write ${copies} copies (${plainMb.toFixed(0)} MB of JSONL)\n`);
  const plain = await measure(records, copies, false, 6);
  process.stdout.write(`  plain  samples.jsonl                 ${'1.00×'.padStart(7)}  write ${(plainMb / plain.writeSeconds).toFixed(0).padStart(4)} MB/s  read ${(plainMb / plain.readSeconds).toFixed(0).padStart(4)} MB/s\n`);
  let ratioAtDefault = 0;
  for (const level of [1, 6]) {
    const once = await measure(records, 1, true, level);
    const timed = await measure(records, copies, true, level);
    const ratio = plainOnce.bytes / once.bytes;
    if (level === 6) ratioAtDefault = ratio;
    process.stdout.write(
      `  gzip-${level} samples.jsonl.gz ${(once.bytes / 1e6).toFixed(2).padStart(6)} MB ${`${ratio.toFixed(2)}×`.padStart(7)}  write ${(plainMb / timed.writeSeconds).toFixed(0).padStart(4)} MB/s  read ${(plainMb / timed.readSeconds).toFixed(0).padStart(4)} MB/s  (MB/s of plain JSONL)\n`,
    );
  }
  return ratioAtDefault;
}

try {
  const qwen = await recordsOf(join(sharedDataDir(), 'samples-math-qwen25-math-8'), 'qwen');
  const codet = await recordsOf(join(sharedDataDir(), 'samples-humaneval-codegen16b-codet'), 'codet');
  const ratios = [await bench('Qwen2.5-Math-7B-Instruct, MATH (recorded, with verdicts)', qwen), await bench('CodeGen-Mono-16B, HumanEval (CodeT)', codet)];
  process.stdout.write(`\ncompression ratio at the default level 6: ${ratios.map((ratio) => `${ratio.toFixed(2)}×`).join(' (Qwen MATH), ')} (CodeGen HumanEval); target ≥ 4×: ${ratios.every((ratio) => ratio >= 4) ? 'met' : 'NOT met'}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
