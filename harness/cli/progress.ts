/** Progress display: a bar on a terminal, plain periodic lines otherwise (CI, logs, pipes). */
import { SingleBar, Presets } from 'cli-progress';
import type { RunProgress } from '../run/run-experiment.ts';
import { createEtaEstimator, formatEta } from './eta-estimator.ts';

/** Shows run progress. */
export interface ProgressDisplay {
  /** Updates the display with the latest figures. */
  update(progress: RunProgress): void;
  /** Prints a message without breaking the bar. */
  log(message: string): void;
  /** Final update and tidy-up. */
  stop(progress?: RunProgress): void;
}

/** Output streams the CLI writes to. */
export interface CliStreams {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
}

/** A bar when stdout is a terminal, else a line every `intervalMs` (default 2 s). */
export function createProgressDisplay(streams: CliStreams, options: { intervalMs?: number; now?: () => number } = {}): ProgressDisplay {
  const now = options.now ?? Date.now;
  const eta = createEtaEstimator({ now });
  if (streams.stdout.isTTY) {
    const bar = new SingleBar(
      { format: 'sampling [{bar}] {percentage}% | {value}/{total} samples | {errors} errors | {retries} retries | ETA {smoothEta}', stream: streams.stdout, hideCursor: true },
      Presets.shades_classic,
    );
    let started = false;
    return {
      update(progress) {
        if (!started) {
          bar.start(progress.total, 0, { errors: 0, retries: 0, smoothEta: '?' });
          started = true;
        }
        const seconds = eta.update(progress.done, progress.total);
        bar.update(progress.done, { errors: progress.errors, retries: progress.retries, smoothEta: formatEta(seconds) });
      },
      log(message) {
        if (started) streams.stdout.write('\n');
        streams.stdout.write(`${message}\n`);
      },
      stop(progress) {
        if (progress && started) bar.update(progress.done, { errors: progress.errors, retries: progress.retries });
        if (started) bar.stop();
      },
    };
  }
  const intervalMs = options.intervalMs ?? 2000;
  let last = -Infinity;
  const line = (progress: RunProgress, withEta = true): string =>
    `sampling: ${progress.done}/${progress.total} samples (${progress.total === 0 ? 100 : Math.floor((100 * progress.done) / progress.total)}%), ${progress.errors} errors, ${progress.retries} retries${withEta ? `, ETA ${formatEta(eta.secondsLeft())}` : ''}`;
  return {
    update(progress) {
      eta.update(progress.done, progress.total);
      const time = now();
      if (progress.total > 0 && time - last >= intervalMs) {
        last = time;
        streams.stdout.write(`${line(progress)}\n`);
      }
    },
    log(message) {
      streams.stdout.write(`${message}\n`);
    },
    stop(progress) {
      if (progress && progress.total > 0) streams.stdout.write(`${line(progress, false)}\n`);
    },
  };
}
