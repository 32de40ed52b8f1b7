/** Writes a run's report files: the CSV tables, summary.json, index.html and figures/. */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { writeFileAtomic } from '../store/atomic-file.ts';
import type { StoreFs } from '../store/store-fs.ts';
import { join } from 'node:path';
import { cellLabels } from './cell-labels.ts';
import { writeFigureFiles, type FigureOptions } from './figures.ts';
import { summaryJson } from './headline.ts';
import { renderReportHtml, type HtmlOptions } from './html.ts';
import { metricsCsv } from './metrics-csv.ts';
import { computeOptimalCsv, computeOptimalPolicyCsv } from './compute-optimal-csv.ts';
import type { ReportData } from './report-data.ts';
import { equalComputeCsv, fitsCsv, problemsCsv } from './run-csv.ts';
import { buildFigureSpecs } from './specs.ts';

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

/** Files a run directory may hold beside the report, linked from index.html when present. */
export const RUN_FILES = ['run.json', 'samples.jsonl', 'samples.jsonl.gz', 'problems.jsonl', 'scores.jsonl', 'agreement.json'] as const;

/** The tables and summary the report writes beside index.html, by file name. */
export function reportTables(data: ReportData): Array<[string, string]> {
  return [
    ['metrics.csv', metricsCsv(data.rows, { computePoints: data.computePoints, selection: data.selection })],
    ['problems.csv', problemsCsv(data)],
    ['equal-compute.csv', equalComputeCsv(data, cellLabels(data.cells))],
    ['fits.csv', fitsCsv(data)],
    ['summary.json', summaryJson(data)],
    ...((data.computeOptimal ?? []).length > 0
      ? ([
          ['compute-optimal.csv', computeOptimalCsv(data.computeOptimal ?? [])],
          ['compute-optimal-policy.csv', computeOptimalPolicyCsv(data.computeOptimal ?? [])],
        ] as Array<[string, string]>)
      : []),
  ];
}

/**
 * Writes `metrics.csv`, `problems.csv`, `equal-compute.csv`, `fits.csv`, `summary.json`,
 * `compute-optimal.csv` and `compute-optimal-policy.csv` (when the data has a compute-optimal
 * analysis), `index.html` and `figures/<name>.{vl.json,svg,png}` into `runDir` (created if
 * missing). index.html links every file of the run. Each file is replaced atomically (temporary
 * file, fsync, rename): a kill or a full disk part way leaves every file at its previous or its
 * complete new version. Returns the paths written. @throws StoreWriteError `REPORT_WRITE_FAILED`
 */
export async function writeReport(data: ReportData, runDir: string, options: WriteReportOptions = {}): Promise<{ files: string[] }> {
  await mkdir(runDir, { recursive: true });
  const files: string[] = [];
  const atomic = { errorCode: 'REPORT_WRITE_FAILED', ...(options.fs ? { fs: options.fs } : {}) };
  const tables = reportTables(data);
  for (const [name, content] of tables) {
    const path = join(runDir, name);
    writeFileAtomic(path, content, atomic);
    files.push(path);
  }
  const withFigures = options.figures ?? true;
  const figureSpecs = withFigures ? buildFigureSpecs(data, options.figureOptions?.specs ?? {}) : [];
  const figureFiles = figureSpecs.flatMap((figure) => ['vl.json', 'svg', 'png'].map((extension) => `figures/${figure.name}.${extension}`));
  const linked = [...RUN_FILES.filter((name) => existsSync(join(runDir, name))), ...tables.map(([name]) => name), ...figureFiles];
  const htmlPath = join(runDir, 'index.html');
  writeFileAtomic(htmlPath, renderReportHtml(data, { files: linked, ...options.htmlOptions }), atomic);
  files.push(htmlPath);
  if (withFigures) files.push(...(await writeFigureFiles(figureSpecs, join(runDir, 'figures'), { ...(options.figureOptions ?? {}), ...(options.fs ? { fs: options.fs } : {}) })));
  return { files };
}
