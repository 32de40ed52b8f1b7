/**
 * Import benchmark: a generated monkey_business parquet file of PROBLEMS × SAMPLES (default
 * 128 × 10,000) is imported into a run directory, then one streaming pass over samples.jsonl
 * computes coverage@k and majority@k per problem (the work `report` does on it). Prints wall time of
 * each step, the ratio to a baseline (decoding the same parquet rows without writing anything) and
 * the peak RSS of the process. The full `report` stage (harness/run/report-run.ts) on the imported
 * run is timed too (`--no-report` skips it).
 *
 *   node harness/cli/run-ts.mjs test/bench/import.bench.ts [--problems 128] [--samples 10000] [--no-report]
 *   node harness/cli/run-ts.mjs test/bench/import.bench.ts --codet   # CodeT HumanEval, regraded (~6 min on 2 cores)
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importSamples } from '../../harness/import/import-samples.ts';
import { readParquetRows } from '../../harness/import/read-records.ts';
import { answerClasses } from '../../harness/metrics/answer-classes.ts';
import { majorityOfClasses } from '../../harness/metrics/majority-at-k.ts';
import { passAtK } from '../../harness/metrics/pass-at-k.ts';
import { readSampleLog } from '../../harness/store/sample-log.ts';
import { sharedDataDir } from '../helpers/shared-data.ts';
import { createParquetWriter, MONKEY_BUSINESS_COLUMNS } from '../import/parquet-writer.ts';
import { monkeyRow, seededRandom } from '../import/helpers.ts';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function peakRssMegabytes(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** One streaming pass over a samples.jsonl: per problem, coverage@k and majority@k at each k. */
async function streamingMetrics(path: string, coverageKs: number[], majorityKs: number[]): Promise<{ problems: number; coverage: number[]; majority: number[] }> {
  const coverage = coverageKs.map(() => 0);
  const majority = majorityKs.map(() => 0);
  let problems = 0;
  let current = '';
  let keys: Array<string | null> = [];
  let correct: boolean[] = [];
  const finish = (): void => {
    if (correct.length === 0) return;
    problems += 1;
    const c = correct.filter(Boolean).length;
    coverageKs.forEach((k, position) => {
      coverage[position] = (coverage[position] ?? 0) + passAtK(correct.length, c, k);
    });
    const classes = answerClasses(keys, correct);
    majorityKs.forEach((k, position) => {
      majority[position] = (majority[position] ?? 0) + majorityOfClasses(classes, k, { draws: 2000, seed: 1 });
    });
  };
  for await (const record of readSampleLog(path)) {
    const key = `${record.cell}\u0000${record.problem}`;
    if (key !== current) {
      finish();
      current = key;
      keys = [];
      correct = [];
    }
    keys.push(record.verdict?.answerKey ?? null);
    correct.push(record.verdict?.correct ?? false);
  }
  finish();
  return { problems, coverage: coverage.map((sum) => sum / problems), majority: majority.map((sum) => sum / problems) };
}

async function monkeyBusinessBenchmark(): Promise<void> {
  const problems = option('problems', 128);
  const samples = option('samples', 10_000);
  const folder = mkdtempSync(join(tmpdir(), 'import-bench-'));
  const source = join(folder, 'MATH_Bench-Model', 'test');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(source, { recursive: true });
  const parquet = join(source, '0000.parquet');
  let start = process.hrtime.bigint();
  const random = seededRandom(42);
  const writer = createParquetWriter(parquet, MONKEY_BUSINESS_COLUMNS);
  for (let group = 0; group < problems; group += 4) {
    const rows = [];
    for (let problem = group; problem < Math.min(problems, group + 4); problem += 1) {
      rows.push(monkeyRow(problem, samples, Math.floor(samples * random() ** 3), problem + 1) as unknown as Record<string, unknown>);
    }
    writer.writeRowGroup(rows);
  }
  writer.close();
  const generateSeconds = seconds(start);
  const parquetMegabytes = statSync(parquet).size / 1_048_576;

  start = process.hrtime.bigint();
  let decoded = 0;
  for await (const row of readParquetRows(parquet, ['samples', 'is_corrects'])) decoded += (row.value.samples as unknown[]).length;
  const baselineSeconds = seconds(start);

  start = process.hrtime.bigint();
  const outDir = join(folder, 'run');
  const summary = await importSamples({ source: join(folder, 'MATH_Bench-Model'), outDir });
  const importSeconds = seconds(start);
  const samplesMegabytes = statSync(join(outDir, 'samples.jsonl')).size / 1_048_576;

  start = process.hrtime.bigint();
  const coverageKs = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, samples].filter((k) => k <= samples);
  const majorityKs = [1, 10, 100, 1000, samples].filter((k) => k <= samples);
  const metrics = await streamingMetrics(join(outDir, 'samples.jsonl'), coverageKs, majorityKs);
  const metricsSeconds = seconds(start);

  // The full `report` (metrics.csv, figures, index.html) on the imported run.
  let reportLine = '  scaling-bench report on the run          skipped (--no-report)\n';
  if (!process.argv.includes('--no-report')) {
    const loaded: unknown = await import(new URL('../../harness/run/report-run.ts', import.meta.url).href).catch(() => undefined);
    const reportRun = (loaded as { reportRun?: (runDir: string, options?: { env?: Record<string, string | undefined> }) => Promise<{ files: string[] }> } | undefined)?.reportRun;
    if (reportRun) {
      start = process.hrtime.bigint();
      const report = await reportRun(outDir, { env: process.env });
      const reportSeconds = seconds(start);
      reportLine = `  scaling-bench report on the run          ${reportSeconds.toFixed(2)} s  (${report.files.length} files; import + report ${(importSeconds + reportSeconds).toFixed(2)} s, target < 60 s)\n`;
    } else {
      reportLine = '  scaling-bench report: harness/run/report-run.ts not present\n';
    }
  }

  process.stdout.write(`import benchmark: ${problems} problems × ${samples} samples (monkey_business parquet, ${parquetMegabytes.toFixed(0)} MB; generated in ${generateSeconds.toFixed(1)} s)\n`);
  process.stdout.write(`  baseline: decode parquet rows only      ${baselineSeconds.toFixed(2)} s  (${decoded} samples)\n`);
  process.stdout.write(`  import → run dir (samples.jsonl ${samplesMegabytes.toFixed(0)} MB)  ${importSeconds.toFixed(2)} s  (${(importSeconds / baselineSeconds).toFixed(1)}× baseline; ${summary.samples} samples)\n`);
  process.stdout.write(`  streaming coverage@k + majority@k pass   ${metricsSeconds.toFixed(2)} s  (${(metricsSeconds / baselineSeconds).toFixed(1)}× baseline; ${metrics.problems} problems)\n`);
  process.stdout.write(`  import + metrics                         ${(importSeconds + metricsSeconds).toFixed(2)} s  (target < 60 s)\n`);
  process.stdout.write(reportLine);
  process.stdout.write(`  peak RSS of the whole process            ${peakRssMegabytes().toFixed(0)} MB  (target < 1536 MB)\n`);
  process.stdout.write(`  coverage@k: ${coverageKs.map((k, position) => `${k}=${((metrics.coverage[position] ?? 0) * 100).toFixed(2)}%`).join(' ')}\n`);
  process.stdout.write(`  majority@k: ${majorityKs.map((k, position) => `${k}=${((metrics.majority[position] ?? 0) * 100).toFixed(2)}%`).join(' ')}\n`);
  if (process.argv.includes("--keep")) process.stdout.write(`  run directory kept: ${outDir}\n`);
  else rmSync(folder, { recursive: true, force: true });
}

async function codetBenchmark(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'import-bench-codet-'));
  const start = process.hrtime.bigint();
  const summary = await importSamples({ source: join(sharedDataDir(), 'samples-humaneval-codegen16b-codet'), outDir: join(folder, 'run'), regrade: true });
  const importSeconds = seconds(start);
  const metrics = await streamingMetrics(join(folder, 'run', 'samples.jsonl'), [1, 2, 5, 10, 20, 50, 100], []);
  process.stdout.write(`CodeT HumanEval import with regrade: ${summary.samples} programs executed in ${importSeconds.toFixed(1)} s; ${summary.regrade?.correct} pass\n`);
  process.stdout.write(`  pass@k: ${[1, 2, 5, 10, 20, 50, 100].map((k, position) => `${k}=${((metrics.coverage[position] ?? 0) * 100).toFixed(2)}%`).join(' ')}\n`);
  process.stdout.write('  expected (dataset README): 1=21.95% 2=30.65% 5=41.90% 10=50.24% 20=58.76% 50=68.64% 100=73.78%\n');
  process.stdout.write(`  peak RSS ${peakRssMegabytes().toFixed(0)} MB\n`);
  rmSync(folder, { recursive: true, force: true });
}

if (process.argv.includes('--codet')) await codetBenchmark();
else await monkeyBusinessBenchmark();
