/**
 * Download progress as text lines for logs: one line per tenth of the file (or per 100 MB when the
 * size is unknown), so a run's event log shows a pull advancing without flooding it.
 */
import type { DownloadProgress } from '../datasets/hub-client.ts';

/** Formats bytes as MB with one decimal. */
export function formatMegabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** A progress callback that calls `say` at each tenth of the download. */
export function describeDownload(say: (line: string) => void): (progress: DownloadProgress) => void {
  let lastStep = -1;
  return (progress) => {
    const step = progress.totalBytes ? Math.floor((10 * progress.receivedBytes) / progress.totalBytes) : Math.floor(progress.receivedBytes / 1e8);
    if (step === lastStep) return;
    lastStep = step;
    const total = progress.totalBytes ? ` of ${formatMegabytes(progress.totalBytes)} (${step * 10}%)` : '';
    say(`downloading ${progress.path}: ${formatMegabytes(progress.receivedBytes)}${total}`);
  };
}
