/**
 * The `scaling-bench import` and `scaling-bench merge` commands as functions (the CLI wires them
 * into yargs). They print a summary and return the exit code: 0 done, 1 failed, 2 bad usage.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ConfigError, HarnessError } from '../core/errors.ts';
import { createHubClient, type DownloadProgress } from '../datasets/hub-client.ts';
import { defaultHubCacheDir, locationsFromEnv } from '../datasets/locate.ts';
import type { VerifierFactory } from './default-verifier.ts';
import { isImportFormat } from './formats/index.ts';
import { importSamples, type ImportSummary } from './import-samples.ts';
import { mergeRuns } from './merge-runs.ts';
import { createRecordedScorer, loadRecordedScores, readQwenMathScores } from '../selection/recorded-scores.ts';
import { scoreRun } from '../selection/score-run.ts';
import { IMPORT_FORMATS } from './types.ts';
import { checkRunName } from '../config/run-name.ts';

/** Where a command writes. */
export interface CommandOutput {
  /** Writes text as is (no newline added). */
  write(text: string): unknown;
  /** True on a terminal: progress is drawn as a bar that redraws in place. */
  isTTY?: boolean;
}

/** What the commands need from the outside world. */
export interface CommandDependencies {
  /** Environment variables (HF_TOKEN, HF_ENDPOINT, HF_HUB_CACHE, HF_HOME, XDG_CACHE_HOME). */
  env: Record<string, string | undefined>;
  /** Where the summary and progress go. */
  stdout: CommandOutput;
  /** Where errors go (default: stdout). */
  stderr?: CommandOutput;
  /** fetch for the Hub (default globalThis.fetch). */
  fetch?: typeof fetch;
  /** Verifier factory for --regrade (default createDefaultVerifier). */
  verifierFor?: VerifierFactory;
  /** Folder that relative default outputs go under (default: the current folder). */
  cwd?: string;
  /** Called with the run directory once the import (and scoring) is done, e.g. to build the report. */
  afterImport?: (runDir: string) => Promise<void>;
}

/** Arguments of `scaling-bench import`. */
export interface ImportArguments {
  /** Local file or folder, or a Hugging Face dataset id (`owner/name`, with --config). */
  source: string;
  /** monkey-business | lm-eval | jsonl | codet | qwen-math; detected when omitted. */
  format?: string;
  /** Run directory to write (default `reports/<name>`). */
  out?: string;
  /** Run name (default: from the source or the config). */
  name?: string;
  /** Re-grade every sample with our verifiers and report agreement (default false). */
  regrade?: boolean;
  /** Hub dataset config (e.g. `GSM8K_Llama-3-8B-Instruct`); required for a Hub source. */
  config?: string;
  /** Hub dataset split (default `test`). */
  split?: string;
  /** Import at most this many problems. */
  limit?: number;
  /** k values the run's report computes metrics at (stored in run.json). */
  ks?: number[];
  /** Recorded reward-model scores (a Qwen2.5-Math evaluation file with `pred_score`) to store as the run's selection scores. */
  scores?: string;
}

/** Arguments of `scaling-bench merge`. */
export interface MergeArguments {
  /** Run directories to merge (two or more). */
  runDirs: string[];
  /** Merged run directory to write. */
  out: string;
}

const HUB_ID = /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/;

function progressPrinter(stdout: CommandOutput): (progress: DownloadProgress) => void {
  let lastPercent = -1;
  let lastPath = '';
  return (progress) => {
    const total = progress.totalBytes;
    const percent = total ? Math.floor((progress.receivedBytes / total) * 100) : -1;
    if (progress.path === lastPath && percent === lastPercent) return;
    const megabytes = (bytes: number): string => (bytes / 1_048_576).toFixed(1);
    if (stdout.isTTY) {
      const width = 30;
      const filled = percent < 0 ? 0 : Math.round((percent / 100) * width);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
      stdout.write(`\r${progress.path} ${bar} ${percent < 0 ? '?' : percent}% ${megabytes(progress.receivedBytes)}/${total ? megabytes(total) : '?'} MB`);
      if (percent === 100) stdout.write('\n');
    } else if (progress.path !== lastPath || (percent >= 0 && Math.floor(percent / 25) !== Math.floor(lastPercent / 25))) {
      stdout.write(`downloading ${progress.path}: ${percent < 0 ? `${megabytes(progress.receivedBytes)} MB` : `${percent}%`}\n`);
    }
    lastPercent = percent;
    lastPath = progress.path;
  };
}

/**
 * Prints a HarnessError the way every command does (`error [CODE]: message`, `hint: ...`) and
 * returns its exit code; anything else is rethrown, so the CLI maps operating-system errors to
 * coded ones with their path, and reports a genuine bug as one.
 */
function printError(error: unknown, deps: CommandDependencies): number {
  if (!(error instanceof HarnessError)) throw error;
  const output = deps.stderr ?? deps.stdout;
  output.write(`error [${error.code}]: ${error.message}\n${error.hint ? `hint: ${error.hint}\n` : ''}`);
  return error.exitCode;
}

function percent(value: number): string {
  return `${(value * 100).toFixed(2)}%`;
}

/** Downloads a Hub dataset's parquet files for a config and split; returns the local folder holding them. */
async function downloadHubSource(argv: ImportArguments, deps: CommandDependencies): Promise<string> {
  if (!argv.config) {
    throw new ConfigError('IMPORT_CONFIG_MISSING', `'${argv.source}' is not a local path, and no --config was given for it as a Hugging Face dataset`, {
      hint: `Name the dataset config, e.g. scaling-bench import ${argv.source} --config GSM8K_Llama-3-8B-Instruct --split test (or give an existing local path).`,
    });
  }
  const split = argv.split ?? 'test';
  const client = createHubClient({
    cacheDir: defaultHubCacheDir(deps.env),
    ...(deps.env.HF_ENDPOINT ? { endpoint: deps.env.HF_ENDPOINT } : {}),
    ...(deps.env.HF_TOKEN ? { token: deps.env.HF_TOKEN } : {}),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    onProgress: progressPrinter(deps.stdout),
  });
  const files = await client.listParquetFiles(argv.source, argv.config, split);
  if (files.length === 0) {
    throw new ConfigError('IMPORT_HUB_EMPTY', `${argv.source} lists no parquet files for config '${argv.config}' split '${split}'`, { hint: 'Check the config and split names on the dataset page.' });
  }
  let folder = '';
  for (const file of files) {
    const local = await client.downloadFile(argv.source, file.path, file.revision);
    folder = dirname(local);
  }
  return folder;
}

function printImportSummary(summary: ImportSummary, stdout: CommandOutput): void {
  stdout.write(`imported ${summary.samples} samples of ${summary.problems} problems (${summary.format}) into ${summary.outDir}\n`);
  stdout.write(`cells: ${summary.cells.join(', ')}\n`);
  if (summary.duplicates > 0) stdout.write(`skipped ${summary.duplicates} duplicate samples (same cell, problem and index)\n`);
  if (summary.unverified > 0) stdout.write(`${summary.unverified} samples have no recorded verdict: run again with --regrade to check them\n`);
  const regrade = summary.regrade;
  if (regrade) {
    stdout.write(`regraded ${regrade.samples} samples: ${regrade.correct} correct`);
    if (regrade.compared > 0) {
      stdout.write(`; agreement with the recorded verdicts ${regrade.agreeing}/${regrade.compared} = ${percent(regrade.agreement)} (details in agreement.json)\n`);
      for (const item of regrade.disagreements.slice(0, 20)) {
        stdout.write(`  ${item.problem}#${item.index}: recorded ${item.recorded ? 'correct' : 'wrong'}, regraded ${item.regraded ? 'correct' : 'wrong'} (${item.reason}; answer ${JSON.stringify(item.answer)}, gold ${JSON.stringify(item.gold)})\n`);
      }
      if (regrade.disagreements.length > 20) stdout.write(`  ... ${regrade.disagreements.length - 20} more in agreement.json\n`);
    } else {
      stdout.write('\n');
    }
  }
  stdout.write(`next: scaling-bench report ${summary.outDir}\n`);
}

/** Stores recorded reward-model scores as the run's selection scores (scores.jsonl), so `report` draws best-of-k and weighted vote. */
async function scoreWithRecorded(path: string, runDir: string, stdout: CommandOutput): Promise<void> {
  const scorer = createRecordedScorer({ scores: await loadRecordedScores(readQwenMathScores(path)) });
  const scored = await scoreRun(runDir, { scorer, concurrency: 8, signal: new AbortController().signal });
  stdout.write(`scored ${scored.scored} samples with the recorded reward-model scores of ${path}${scored.errors > 0 ? ` (${scored.errors} without a recorded score)` : ''}\n`);
}

/** `scaling-bench import <source>`: recorded samples (local, or a Hub dataset downloaded first) → a run directory. Returns the exit code. */
export async function importCommand(argv: ImportArguments, deps: CommandDependencies): Promise<number> {
  try {
    if (argv.format !== undefined && !isImportFormat(argv.format)) {
      throw new ConfigError('IMPORT_FORMAT_INVALID', `unknown import format '${argv.format}' (valid: ${IMPORT_FORMATS.join(', ')})`, { hint: 'Omit --format to detect it from the source.' });
    }
    const cwd = deps.cwd ?? process.cwd();
    // --name follows the run-name rule of configs: it names a folder under reports/ (and run.json).
    if (argv.name !== undefined) checkRunName(argv.name, join(cwd, 'reports'), '--name');
    const local = resolve(cwd, argv.source);
    const isHub = !existsSync(local) && HUB_ID.test(argv.source);
    const source = isHub ? await downloadHubSource(argv, deps) : local;
    const name = argv.name ?? (isHub ? (argv.config ?? basename(argv.source)) : basename(local).replace(/\.[^.]+$/, ''));
    const format = argv.format ?? (isHub ? 'monkey-business' : undefined);
    const outDir = argv.out ? resolve(cwd, argv.out) : join(cwd, 'reports', name);
    const summary = await importSamples({
      source,
      outDir,
      name,
      ...(format === undefined ? {} : { format }),
      ...(argv.regrade ? { regrade: true } : {}),
      ...(argv.limit === undefined ? {} : { limit: argv.limit }),
      locations: locationsFromEnv(deps.env),
      ...(argv.ks === undefined ? {} : { ks: argv.ks }),
      ...(deps.verifierFor ? { verifierFor: deps.verifierFor } : {}),
      ...(deps.stdout.isTTY ? { onProgress: (progress: { problems: number; samples: number }) => void deps.stdout.write(`\rimported ${progress.problems} problems, ${progress.samples} samples`) } : {}),
      ...(isHub ? { sourceLabel: `hf://datasets/${argv.source}/${argv.config}/${argv.split ?? 'test'}` } : {}),
    });
    if (deps.stdout.isTTY) deps.stdout.write('\n');
    printImportSummary(summary, deps.stdout);
    if (argv.scores !== undefined) await scoreWithRecorded(resolve(cwd, argv.scores), summary.outDir, deps.stdout);
    await deps.afterImport?.(summary.outDir);
    return 0;
  } catch (error) {
    return printError(error, deps);
  }
}

/** `scaling-bench merge <run-dir>... --out <dir>`: shards of one config → one run directory. Returns the exit code. */
export async function mergeCommand(argv: MergeArguments, deps: CommandDependencies): Promise<number> {
  try {
    const cwd = deps.cwd ?? process.cwd();
    const summary = await mergeRuns(argv.runDirs.map((run) => resolve(cwd, run)), resolve(cwd, argv.out));
    deps.stdout.write(`merged ${summary.runs.length} runs into ${summary.outDir}: ${summary.written} samples written of ${summary.read} read\n`);
    const byKind = new Map<string, number>();
    for (const duplicate of summary.duplicates) byKind.set(duplicate.kind, (byKind.get(duplicate.kind) ?? 0) + 1);
    if (summary.duplicates.length > 0) {
      deps.stdout.write(`duplicates skipped: ${[...byKind.entries()].map(([kind, count]) => `${count} ${kind}`).join(', ')} (details in merge.json)\n`);
    }
    return 0;
  } catch (error) {
    return printError(error, deps);
  }
}
