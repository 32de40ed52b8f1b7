/**
 * The scaling-bench command line (yargs). Every command is a thin layer over library functions;
 * errors print their message and hint without a stack (stack with --verbose). Exit codes:
 * 0 done, 1 run failed, 2 bad config or usage, 130 interrupted (after flushing).
 */
import { readFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { HarnessError } from '../core/errors.ts';
import { EXPORT_FORMATS } from '../export/export-formats.ts';
import type { ReportResult } from '../run/report-run.ts';
import { buildHeadlines } from '../report/headline.ts';
import { parseKList } from './k-list.ts';
import { asHarnessError, printError, withDatasetFix } from './print-error.ts';
import type { CliStreams } from './progress.ts';

// Command implementations load their libraries (charts, math, providers) only when a command runs,
// so `--help` and `--version` start at once.
const load = {
  run: () => import('./run-command.ts'),
  config: () => import('../config/load-config.ts'),
  locate: () => import('../datasets/locate.ts'),
  importer: () => import('../import/import-command.ts'),
  report: () => import('../run/report-run.ts'),
  datasets: () => import('./datasets-command.ts'),
  plan: () => import('./plan-command.ts'),
  shards: () => Promise.all([import('../import/merge-shards.ts'), import('./merge-summary.ts'), import('../run/shard.ts')]),
  exporter: () => import('../export/export-samples.ts'),
  models: () => import('../models/models-command.ts'),
};

/** The package version, from package.json two folders up from this file. */
export function packageVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version?: string }).version ?? 'unknown';
}

/** What the CLI needs from its process: streams, environment, working directory, signals. */
export interface CliDeps extends CliStreams {
  env: Record<string, string | undefined>;
  cwd: string;
  /** Registers a Ctrl-C / SIGTERM handler; returns a function that removes it. */
  onInterrupt?: (handler: () => void) => () => void;
  /** Ends the process at once (used when Ctrl-C comes after every sample is stored). */
  exit?: (code: number) => void;
}

function processDeps(): CliDeps {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    exit: (code) => process.exit(code),
    onInterrupt(handler) {
      process.on('SIGINT', handler);
      process.on('SIGTERM', handler);
      return () => {
        process.off('SIGINT', handler);
        process.off('SIGTERM', handler);
      };
    },
  };
}

class UsageError extends HarnessError {
  constructor(message: string) {
    super('USAGE', message, { hint: 'Run `scaling-bench --help` for the commands and their options.', exitCode: 2 });
  }
}

/** Runs the CLI on `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[], deps: CliDeps = processDeps()): Promise<number> {
  let exitCode = 0;
  const verbose = argv.includes('--verbose');
  const say = (text: string): void => {
    deps.stdout.write(`${text}\n`);
  };
  const sayReport = (report: ReportResult): void => {
    for (const note of report.notes) say(`note: ${note}`);
    say(describeWritten(report.outDir, report.files));
    for (const headline of buildHeadlines(report.data)) {
      say(`${headline.dataset}:`);
      for (const sentence of headline.sentences) say(`  ${sentence}`);
    }
  };

  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
    say(packageVersion());
    return 0;
  }
  // Loaded here rather than at the top, so that `--version` skips it (about half of start-up).
  const { default: yargs } = await import('yargs');
  const parser = yargs(argv)
    .scriptName('scaling-bench')
    .usage('$0 <command> [options]\n\nMeasure how accuracy scales with inference compute: repeated sampling and thinking budgets.')
    .option('verbose', { type: 'boolean', default: false, describe: 'print stack traces of errors' })
    .command(
      'run <config>',
      'run (or continue) the sweep of a config; writes reports/<name>/',
      (command) =>
        command
          .positional('config', { type: 'string', demandOption: true, describe: 'YAML config file' })
          .option('report', { type: 'boolean', default: true, describe: 'build the report after sampling (--no-report to skip)' })
          .option('shard', { type: 'string', describe: 'draw shard I of N (I/N, 0-based) into <run>/shards/<I>-of-<N>/; also SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX' })
          .option('shards', { type: 'number', describe: 'number of shards when the index comes from JOB_COMPLETION_INDEX (or SLURM)' }),
      async (args) => {
        const [{ runCommand }, [, , { resolveShard }]] = await Promise.all([load.run(), load.shards()]);
        const shard = resolveShard({ ...(args.shard === undefined ? {} : { shard: args.shard }), ...(args.shards === undefined ? {} : { shards: args.shards }) }, deps.env);
        exitCode = await runCommand({ config: args.config, report: args.report, verbose, ...(shard ? { shard } : {}) }, deps, sayReport);
      },
    )
    .command(
      'report <runDir>',
      'rebuild metrics and the report from stored samples (no model calls)',
      (command) =>
        command
          .positional('runDir', { type: 'string', demandOption: true, describe: 'run directory, e.g. reports/quickstart' })
          .option('regrade', { type: 'boolean', default: false, describe: 'check every stored sample again with the current verifiers' })
          .option('k', { type: 'string', describe: 'k values to report, e.g. 1,10,100 (default: the run config, else powers of two and ten up to n, and n)' }),
      async (args) => {
        const [{ reportRun }, [{ hasShards, mergeLostSomething, mergeShards }, { printMergeSummary }]] = await Promise.all([load.report(), load.shards()]);
        const runDir = resolve(deps.cwd, args.runDir);
        // A sharded run's folder: merge its shards first (a merge that lost samples stops here).
        if (hasShards(runDir)) {
          const merged = await mergeShards(runDir);
          printMergeSummary(deps, merged);
          if (mergeLostSomething(merged)) {
            exitCode = 1;
            return;
          }
        }
        let shown = -1;
        const report = await reportRun(runDir, {
          regrade: args.regrade,
          env: deps.env,
          ...(args.k === undefined ? {} : { ks: parseKList(args.k) }),
          onRegradeProgress: (checked, total) => {
            // About one line per 5% of the samples.
            const step = Math.floor((20 * checked) / Math.max(1, total));
            if (step === shown) return;
            shown = step;
            deps.stderr.write(`regrade: ${checked} of ${total} samples checked\n`);
          },
        });
        if (report.regrade) {
          const { checked, wrongToRight, rightToWrong, unchecked } = report.regrade;
          say(`regraded ${checked} samples: ${wrongToRight + rightToWrong + unchecked} verdicts changed (${wrongToRight} wrong→right, ${rightToWrong} right→wrong, ${unchecked} unchecked→checked)`);
        }
        sayReport(report);
      },
    )
    .command(
      'plan <config>',
      'what a run would do: cells, requests, samples, tokens, FLOPs, dollars',
      (command) => command.positional('config', { type: 'string', demandOption: true }),
      async (args) => {
        const [{ loadConfig }, { locationsFromEnv }, { formatPlan, planExperiment }] = await Promise.all([load.config(), load.locate(), load.plan()]);
        const config = loadConfig(args.config, deps.cwd);
        try {
          say(formatPlan(await planExperiment(config, locationsFromEnv(deps.env))));
        } catch (error) {
          throw error instanceof HarnessError ? withDatasetFix(error, deps.env, `scaling-bench plan ${args.config}`) : error;
        }
      },
    )
    .command(
      'import <source>',
      'turn recorded samples (monkey_business, lm-eval --log_samples, CodeT, JSONL) into a run directory',
      (command) =>
        command
          .positional('source', { type: 'string', demandOption: true, describe: 'file, folder, or Hugging Face dataset id' })
          .option('format', { type: 'string', choices: ['monkey-business', 'lm-eval', 'jsonl', 'codet', 'qwen-math'], describe: 'source format (detected when omitted)' })
          .option('out', { type: 'string', describe: 'run directory to write (default reports/<name>)' })
          .option('name', { type: 'string', describe: 'run name' })
          .option('regrade', { type: 'boolean', default: false, describe: 're-grade every sample with our verifiers and report agreement' })
          .option('config', { type: 'string', describe: 'Hub dataset config (subset), e.g. MATH_Llama-3-8B-Instruct' })
          .option('split', { type: 'string', describe: 'Hub dataset split' })
          .option('limit', { type: 'number', describe: 'import the first N problems only' })
          .option('k', { type: 'string', describe: 'k values the report uses, e.g. 1,10,100 (stored in run.json)' })
          .option('scores', { type: 'string', describe: 'recorded reward-model scores (Qwen2.5-Math pred_score file) for best-of-k and weighted vote' })
          .option('report', { type: 'boolean', default: false, describe: 'build the report after importing' }),
      async (args) => {
        const { importCommand } = await load.importer();
        const ks = args.k === undefined ? undefined : parseKList(args.k);
        exitCode = await importCommand(
          {
            source: args.source,
            ...(args.format === undefined ? {} : { format: args.format }),
            ...(args.out === undefined ? {} : { out: resolve(deps.cwd, args.out) }),
            ...(args.name === undefined ? {} : { name: args.name }),
            regrade: args.regrade,
            ...(args.config === undefined ? {} : { config: args.config }),
            ...(args.split === undefined ? {} : { split: args.split }),
            ...(args.limit === undefined ? {} : { limit: args.limit }),
            ...(ks === undefined ? {} : { ks }),
            ...(args.scores === undefined ? {} : { scores: args.scores }),
          },
          {
            env: deps.env,
            stdout: deps.stdout,
            stderr: deps.stderr,
            cwd: deps.cwd,
            ...(args.report
              ? {
                  afterImport: async (runDir: string) => {
                    const { reportRun } = await load.report();
                    sayReport(await reportRun(runDir, { env: deps.env }));
                  },
                }
              : {}),
          },
        );
      },
    )
    .command(
      'merge <runDirs..>',
      'merge the shards of a run folder (<run>/shards/*) into it, or run directories of one config into --out',
      (command) =>
        command
          .positional('runDirs', { type: 'string', array: true, demandOption: true })
          .option('out', { type: 'string', describe: 'merged run directory (when merging separate run directories)' }),
      async (args) => {
        const only = args.runDirs.length === 1 ? resolve(deps.cwd, args.runDirs[0] as string) : undefined;
        if (only !== undefined && args.out === undefined) {
          const [{ mergeLostSomething, mergeShards }, { printMergeSummary }] = await load.shards();
          const merged = await mergeShards(only);
          printMergeSummary(deps, merged);
          exitCode = mergeLostSomething(merged) ? 1 : 0;
          return;
        }
        if (args.out === undefined) throw new UsageError('merge of several run directories needs --out <dir>');
        const { mergeCommand } = await load.importer();
        exitCode = await mergeCommand(
          { runDirs: args.runDirs.map((dir) => resolve(deps.cwd, dir)), out: resolve(deps.cwd, args.out) },
          { env: deps.env, stdout: deps.stdout, stderr: deps.stderr, cwd: deps.cwd },
        );
      },
    )
    .command(
      'export <runDir>',
      'one row per sample (cell, problem, index, answer class, correct, tokens, scores) as Parquet or CSV',
      (command) =>
        command
          .positional('runDir', { type: 'string', demandOption: true })
          .option('format', { type: 'string', choices: EXPORT_FORMATS, default: 'parquet', describe: 'file format' })
          .option('out', { type: 'string', describe: 'file to write (default <run-dir>/samples.<format>)' }),
      async (args) => {
        const { exportSamples } = await load.exporter();
        const format = args.format === 'csv' ? 'csv' : 'parquet';
        const summary = await exportSamples(resolve(deps.cwd, args.runDir), { format, ...(args.out === undefined ? {} : { out: resolve(deps.cwd, args.out) }) });
        say(`wrote ${summary.rows} rows to ${summary.path}${summary.scorers.length > 0 ? ` (scores of ${summary.scorers.join(', ')})` : ''}`);
      },
    )
    .command(
      'compare <runDirs..>',
      'put several runs in one report',
      (command) =>
        command
          .positional('runDirs', { type: 'string', array: true, demandOption: true })
          .option('out', { type: 'string', default: 'reports/compare', describe: 'folder for the combined report' }),
      async (args) => {
        const { compareRuns } = await load.report();
        sayReport(await compareRuns(args.runDirs.map((dir) => resolve(deps.cwd, dir)), resolve(deps.cwd, args.out), { env: deps.env }));
      },
    )
    .command('datasets', 'built-in datasets: list, prepare', (command) =>
      command
        .command('list', 'list built-in datasets and where each is found', {}, async () => {
          const [{ datasetsList }, { locationsFromEnv }] = await Promise.all([load.datasets(), load.locate()]);
          say(await datasetsList(locationsFromEnv(deps.env), deps.env));
        })
        .command(
          'prepare <ids..>',
          'download datasets from the Hugging Face Hub into the cache',
          (sub) => sub.positional('ids', { type: 'string', array: true, demandOption: true }),
          async (args) => {
            const { datasetsPrepare } = await load.datasets();
            await datasetsPrepare(args.ids, deps);
          },
        )
        .demandCommand(1, 'name a datasets subcommand: list or prepare'),
    )
    .command('models', 'GGUF models for the embedded engine (llama-cpp): pull, list', (command) =>
      command
        .command('pull <ref>', 'download hf:<owner>/<repo>/<file>.gguf into the Hugging Face cache (resumes)', (sub) => sub.positional('ref', { type: 'string', demandOption: true }), async (args) => {
          const { modelsPull } = await load.models();
          await modelsPull(args.ref, deps);
        })
        .command('list', 'cached GGUF models and their sizes', {}, async () => {
          const { modelsList } = await load.models();
          modelsList(deps);
        })
        .demandCommand(1, 'name a models subcommand: pull or list'),
    )
    .demandCommand(1, 'name a command: run, report, plan, import, merge, export, compare, datasets or models')
    .strict()
    .recommendCommands()
    .help()
    .version(false)
    .option('version', { type: 'boolean', describe: 'print the version of scaling-bench' })
    .exitProcess(false)
    .fail((message, error) => {
      if (error) throw error;
      const suggestion = /^Did you mean (\S+)\?/.exec(message ?? '');
      throw new UsageError(suggestion ? `unknown command '${argv[0] ?? ''}' (did you mean '${suggestion[1] ?? ''}'?)` : message);
    });

  try {
    await parser.parseAsync();
  } catch (error) {
    const known = asHarnessError(error);
    if (known !== undefined) {
      printError(deps, known, verbose);
      return known.exitCode;
    }
    deps.stderr.write(`unexpected error: ${error instanceof Error ? (verbose ? error.stack : error.message) : String(error)}\n`);
    if (!verbose) deps.stderr.write('hint: run again with --verbose for the stack trace, and report it if it persists.\n');
    return 1;
  }
  return exitCode;
}

/** One line per top-level file, and a count of the figures. */
function describeWritten(dir: string, files: string[]): string {
  const figures = files.filter((file) => file.includes(`${sep}figures${sep}`));
  const top = files.filter((file) => !figures.includes(file));
  const lines = top.map((file) => `wrote ${file}`);
  if (figures.length > 0) lines.push(`wrote ${figures.length} figure files (.vl.json, .svg, .png) in ${join(dir, 'figures')}`);
  return lines.join('\n');
}
