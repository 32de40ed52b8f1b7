/**
 * The scaling-bench command line (yargs). Every command is a thin layer over library functions;
 * errors print their message and hint without a stack (stack with --verbose). Exit codes:
 * 0 done, 1 run failed, 2 bad config or usage, 130 interrupted (after flushing).
 */
import { join, resolve, sep } from 'node:path';
import yargs from 'yargs';
import { HarnessError } from '../core/errors.ts';
import { loadConfig, readSecrets } from '../config/load-config.ts';
import { locationsFromEnv } from '../datasets/locate.ts';
import { importCommand, mergeCommand } from '../import/import-command.ts';
import { runExperiment } from '../run/run-experiment.ts';
import { compareRuns, reportRun, type ReportResult } from '../run/report-run.ts';
import { datasetsList, datasetsPrepare } from './datasets-command.ts';
import { formatPlan, planExperiment } from './plan-command.ts';
import { buildHeadlines } from '../report/headline.ts';
import { parseKList } from './k-list.ts';
import { createProgressDisplay, type CliStreams } from './progress.ts';

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
          .option('report', { type: 'boolean', default: true, describe: 'build the report after sampling (--no-report to skip)' }),
      async (args) => {
        const config = loadConfig(args.config, deps.cwd);
        const controller = new AbortController();
        let sampling = true;
        const removeHandler = deps.onInterrupt?.(() => {
          if (!sampling) {
            // Every sample is already on disk; only the report would be lost, and it can be rebuilt.
            deps.stderr.write(`\ninterrupted while writing the report; every sample is stored: run \`scaling-bench report ${resolve(config.outputDir, config.name)}\` to rebuild it\n`);
            deps.exit?.(130);
            return;
          }
          if (!controller.signal.aborted) {
            deps.stderr.write('\ninterrupted: flushing stored samples (run the same command again to continue)\n');
            controller.abort(new Error('interrupted'));
          }
        });
        const display = createProgressDisplay(deps);
        say(`run ${config.name}: ${config.models.length} model(s) × ${config.datasets.length} dataset(s), ${config.sampling.samples} samples per problem → ${resolve(config.outputDir, config.name)}`);
        for (const model of config.models) if (model.provider === 'sim') say(`note: model '${model.id}' is SIMULATED (sim profile ${model.profile}), not a real model`);
        try {
          const result = await runExperiment(config, {
            secrets: readSecrets(config, deps.env),
            env: deps.env,
            locations: locationsFromEnv(deps.env),
            signal: controller.signal,
            onProgress: (progress) => display.update(progress),
            onEvent: (message) => {
              if (verbose || !message.startsWith('retry')) display.log(message);
            },
          });
          sampling = false;
          display.stop();
          say(`sampled ${result.drawn} new samples (${result.resumed} were already stored), ${result.errors} errors, ${result.duplicates} duplicates`);
          if (result.outcome === 'interrupted') {
            exitCode = 130;
            say(`interrupted: ${result.runDir} holds every sample drawn so far; run the same command to continue.`);
            return;
          }
          if (args.report) {
            sayReport(await reportRun(result.runDir, { bootstrapDraws: config.report.bootstrapDraws, env: deps.env }));
          }
          if (result.outcome === 'failed' && result.error) {
            printError(deps, result.error, verbose);
            exitCode = 1;
          }
        } finally {
          removeHandler?.();
        }
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
        sayReport(await reportRun(resolve(deps.cwd, args.runDir), { regrade: args.regrade, env: deps.env, ...(args.k === undefined ? {} : { ks: parseKList(args.k) }) }));
      },
    )
    .command(
      'plan <config>',
      'what a run would do: cells, requests, samples, tokens, FLOPs, dollars',
      (command) => command.positional('config', { type: 'string', demandOption: true }),
      async (args) => {
        const config = loadConfig(args.config, deps.cwd);
        const plan = await planExperiment(config, locationsFromEnv(deps.env));
        say(formatPlan(plan));
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
            cwd: deps.cwd,
            ...(args.report ? { afterImport: async (runDir: string) => sayReport(await reportRun(runDir, { env: deps.env })) } : {}),
          },
        );
      },
    )
    .command(
      'merge <runDirs..>',
      'merge run directories of the same config (shards) into one, detecting duplicate samples',
      (command) =>
        command
          .positional('runDirs', { type: 'string', array: true, demandOption: true })
          .option('out', { type: 'string', demandOption: true, describe: 'merged run directory' }),
      async (args) => {
        exitCode = await mergeCommand(
          { runDirs: args.runDirs.map((dir) => resolve(deps.cwd, dir)), out: resolve(deps.cwd, args.out) },
          { env: deps.env, stdout: deps.stdout, cwd: deps.cwd },
        );
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
        sayReport(await compareRuns(args.runDirs.map((dir) => resolve(deps.cwd, dir)), resolve(deps.cwd, args.out), { env: deps.env }));
      },
    )
    .command('datasets', 'built-in datasets: list, prepare', (command) =>
      command
        .command('list', 'list built-in datasets and where each is found', {}, async () => {
          say(await datasetsList(locationsFromEnv(deps.env)));
        })
        .command(
          'prepare <ids..>',
          'download datasets from the Hugging Face Hub into the cache',
          (sub) => sub.positional('ids', { type: 'string', array: true, demandOption: true }),
          async (args) => {
            await datasetsPrepare(args.ids, deps);
          },
        )
        .demandCommand(1, 'name a datasets subcommand: list or prepare'),
    )
    .demandCommand(1, 'name a command: run, report, plan, import, merge, compare or datasets')
    .strict()
    .recommendCommands()
    .help()
    .version(false)
    .exitProcess(false)
    .fail((message, error) => {
      if (error) throw error;
      const suggestion = /^Did you mean (\S+)\?/.exec(message ?? '');
      throw new UsageError(suggestion ? `unknown command '${argv[0] ?? ''}' (did you mean '${suggestion[1] ?? ''}'?)` : message);
    });

  try {
    await parser.parseAsync();
  } catch (error) {
    if (error instanceof HarnessError) {
      printError(deps, error, verbose);
      return error.exitCode;
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

function printError(deps: CliStreams, error: HarnessError, verbose: boolean): void {
  deps.stderr.write(`error [${error.code}]: ${error.message}\n`);
  if (error.hint) deps.stderr.write(`hint: ${error.hint}\n`);
  if (verbose && error.stack) deps.stderr.write(`${error.stack}\n`);
}
