/**
 * `scaling-bench run <config>`: loads the config, runs the sweep with a progress display, and
 * writes the report only for a run that completed. A run folder this command created and left
 * without a stored sample (a config error caught late, a model-wide failure) is removed.
 */
import { existsSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig, readSecrets, secretValues } from '../config/load-config.ts';
import { locationsFromEnv } from '../datasets/locate.ts';
import { createScrubber } from '../providers/errors-shared.ts';
import { runExperiment } from '../run/run-experiment.ts';
import { shardDirectory, type Shard } from '../run/shard.ts';
import { reportRun, type ReportResult } from '../run/report-run.ts';
import type { CliDeps } from './main.ts';
import { asHarnessError, printError, withDatasetFix } from './print-error.ts';
import { createProgressDisplay } from './progress.ts';

/** Arguments of `run`. */
export interface RunArguments {
  /** Config file path (relative to deps.cwd). */
  config: string;
  /** Build the report after sampling (default true). */
  report: boolean;
  /** Print stack traces. */
  verbose: boolean;
  /** Draw only this shard of the problems (no report: `merge` reports the whole run). */
  shard?: Shard;
}

/** Runs the `run` command; resolves to the exit code (0, 1, 2 or 130). */
export async function runCommand(args: RunArguments, deps: CliDeps, sayReport: (report: ReportResult) => void): Promise<number> {
  const say = (text: string): void => void deps.stdout.write(`${text}\n`);
  const config = loadConfig(args.config, deps.cwd);
  const scrub = createScrubber(secretValues(config, deps.env));
  const parentDir = resolve(config.outputDir, config.name);
  // A shard owns only its own folder: other shards may be drawing into the parent at the same time.
  const runDir = args.shard ? shardDirectory(parentDir, args.shard) : parentDir;
  const existed = existsSync(runDir);
  const controller = new AbortController();
  let sampling = true;
  const removeHandler = deps.onInterrupt?.(() => {
    if (!sampling) {
      // Every sample is already on disk; only the report would be lost, and it can be rebuilt.
      deps.stderr.write(`\ninterrupted while writing the report; every sample is stored: run \`scaling-bench report ${parentDir}\` to rebuild it\n`);
      deps.exit?.(130);
      return;
    }
    if (!controller.signal.aborted) {
      deps.stderr.write('\ninterrupted: flushing stored samples (run the same command again to continue)\n');
      controller.abort(new Error('interrupted'));
    }
  });
  const display = createProgressDisplay(deps);
  say(`run ${config.name}${args.shard ? ` shard ${args.shard.index} of ${args.shard.count}` : ''}: ${config.models.length} model(s) × ${config.datasets.length} dataset(s), ${config.sampling.samples} samples per problem → ${runDir}`);
  for (const model of config.models) if (model.provider === 'sim') say(`note: model '${model.id}' is SIMULATED (sim profile ${model.profile}), not a real model`);
  try {
    const result = await runExperiment(config, {
      secrets: readSecrets(config, deps.env),
      env: deps.env,
      locations: locationsFromEnv(deps.env),
      signal: controller.signal,
      ...(args.shard ? { shard: args.shard } : {}),
      onProgress: (progress) => display.update(progress),
      onEvent: (message) => {
        if (args.verbose || !message.startsWith('retry')) display.log(scrub(message));
      },
    });
    sampling = false;
    display.stop();
    say(`sampled ${result.drawn} new samples (${result.resumed} were already stored), ${result.errors} errors, ${result.duplicates} duplicates`);
    if (result.outcome === 'interrupted') {
      say(`interrupted: ${result.runDir} holds every sample drawn so far; run the same command to continue.`);
      return 130;
    }
    if (result.outcome === 'failed' && result.error) {
      const stored = result.drawn + result.resumed;
      if (!existed && stored === 0) removeEmptyRunFolder(runDir);
      else if (stored > 0) say(`no report written (the run failed); \`scaling-bench report ${runDir}\` builds one from the ${stored} samples stored`);
      printError(deps, result.error, args.verbose, scrub);
      return 1;
    }
    if (args.shard) {
      if (args.report) say(`shard stored in ${result.runDir}; merge all shards with \`scaling-bench merge ${parentDir}\``);
      return 0;
    }
    if (args.report) sayReport(await reportRun(result.runDir, { bootstrapDraws: config.report.bootstrapDraws, env: deps.env }));
    return 0;
  } catch (error) {
    display.stop();
    if (!existed) removeEmptyRunFolder(runDir);
    const known = asHarnessError(error);
    if (known === undefined) throw error;
    printError(deps, withDatasetFix(known, deps.env, `scaling-bench run ${args.config}`), args.verbose, scrub);
    return known.exitCode;
  } finally {
    removeHandler?.();
  }
}

/** Removes a run folder this command created when it holds no stored sample (never one that existed before). */
function removeEmptyRunFolder(runDir: string): void {
  const samples = join(runDir, 'samples.jsonl');
  try {
    if (existsSync(samples) && statSync(samples).size > 0) return;
    rmSync(runDir, { recursive: true, force: true });
  } catch {
    // Best effort: the error that ended the run is what the user needs to see.
  }
}
