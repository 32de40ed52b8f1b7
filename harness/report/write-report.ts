/** Writes a run's report files: metrics.csv, index.html and figures/. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFigures, type FigureOptions } from './figures.ts';
import { renderReportHtml, type HtmlOptions } from './html.ts';
import { metricsCsv } from './metrics-csv.ts';
import { computeOptimalCsv, computeOptimalPolicyCsv } from './compute-optimal-csv.ts';
import type { ReportData } from './report-data.ts';

/** Options of writeReport. */
export interface WriteReportOptions {
  /** Write figures/ (SVG, PNG, Vega-Lite specs). Default true. */
  figures?: boolean;
  /** Options for the figure files (font files, PNG scale, warnings). */
  figureOptions?: FigureOptions;
  /** Options for index.html (chart libraries, figures). */
  htmlOptions?: HtmlOptions;
}

/**
 * Writes `metrics.csv`, `compute-optimal.csv` and `compute-optimal-policy.csv` (when the data has
 * a compute-optimal analysis), `index.html` and `figures/<name>.{vl.json,svg,png}` into `runDir`
 * (created if missing; existing report files are replaced). Returns the paths written.
 */
export async function writeReport(data: ReportData, runDir: string, options: WriteReportOptions = {}): Promise<{ files: string[] }> {
  await mkdir(runDir, { recursive: true });
  const files: string[] = [];
  const csvPath = join(runDir, 'metrics.csv');
  await writeFile(csvPath, metricsCsv(data.rows));
  files.push(csvPath);
  if ((data.computeOptimal ?? []).length > 0) {
    for (const [name, text] of [
      ['compute-optimal.csv', computeOptimalCsv(data.computeOptimal ?? [])],
      ['compute-optimal-policy.csv', computeOptimalPolicyCsv(data.computeOptimal ?? [])],
    ] as const) {
      await writeFile(join(runDir, name), text);
      files.push(join(runDir, name));
    }
  }
  const htmlPath = join(runDir, 'index.html');
  await writeFile(htmlPath, renderReportHtml(data, options.htmlOptions ?? {}));
  files.push(htmlPath);
  if (options.figures ?? true) {
    files.push(...(await writeFigures(data, join(runDir, 'figures'), options.figureOptions ?? {})));
  }
  return { files };
}
