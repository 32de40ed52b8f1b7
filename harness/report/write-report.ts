/** Writes a run's report files: metrics.csv, index.html and figures/. */
import { mkdir } from 'node:fs/promises';
import { writeFileAtomic } from '../store/atomic-file.ts';
import type { StoreFs } from '../store/store-fs.ts';
import { join } from 'node:path';
import { writeFigures, type FigureOptions } from './figures.ts';
import { renderReportHtml, type HtmlOptions } from './html.ts';
import { metricsCsv } from './metrics-csv.ts';
import type { ReportData } from './report-data.ts';

/** Options of writeReport. */
export interface WriteReportOptions {
  /** Write figures/ (SVG, PNG, Vega-Lite specs). Default true. */
  figures?: boolean;
  /** Options for the figure files (font files, PNG scale, warnings). */
  figureOptions?: FigureOptions;
  /** Options for index.html (chart libraries, figures). */
  htmlOptions?: HtmlOptions;
  /** File-system calls (tests inject failures); default node:fs. */
  fs?: StoreFs;
}

/**
 * Writes `metrics.csv`, `index.html` and `figures/<name>.{vl.json,svg,png}` into `runDir`
 * (created if missing). Each file is replaced atomically (temporary file, fsync, rename): a kill
 * or a full disk part way leaves every file at its previous or its complete new version.
 * Returns the paths written. @throws StoreWriteError `REPORT_WRITE_FAILED`
 */
export async function writeReport(data: ReportData, runDir: string, options: WriteReportOptions = {}): Promise<{ files: string[] }> {
  await mkdir(runDir, { recursive: true });
  const files: string[] = [];
  const csvPath = join(runDir, 'metrics.csv');
  const atomic = { errorCode: 'REPORT_WRITE_FAILED', ...(options.fs ? { fs: options.fs } : {}) };
  writeFileAtomic(csvPath, metricsCsv(data.rows), atomic);
  files.push(csvPath);
  const htmlPath = join(runDir, 'index.html');
  writeFileAtomic(htmlPath, renderReportHtml(data, options.htmlOptions ?? {}), atomic);
  files.push(htmlPath);
  if (options.figures ?? true) {
    files.push(...(await writeFigures(data, join(runDir, 'figures'), { ...(options.figureOptions ?? {}), ...(options.fs ? { fs: options.fs } : {}) })));
  }
  return { files };
}
