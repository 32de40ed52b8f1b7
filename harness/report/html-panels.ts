/**
 * The panels of index.html added around the figures and tables: the headline, links to the
 * run's files, the per-problem comparison and the samples browser (both filled by the page
 * script from the payload), and the payload they read. Every value from the run is escaped.
 */
import { assignColors } from './colors.ts';
import { cellLabels } from './cell-labels.ts';
import { buildHeadlines } from './headline.ts';
import { escapeHtml } from './html-escape.ts';
import type { ReportData } from './report-data.ts';

/** The headline: per dataset, its computed sentences (see headline.ts). Empty without metrics. */
export function headlinePanel(data: ReportData): string {
  const headlines = buildHeadlines(data).filter((headline) => headline.sentences.length > 0);
  if (headlines.length === 0) return '';
  const several = headlines.length > 1;
  return `<div class="headline" id="headline">${headlines
    .map(
      (headline) =>
        `<div class="headline-dataset" data-dataset="${escapeHtml(headline.dataset)}">${several ? `<h3>${escapeHtml(headline.dataset)}</h3>` : ''}<ul>${headline.sentences
          .map((sentence) => `<li>${escapeHtml(sentence)}</li>`)
          .join('')}</ul></div>`,
    )
    .join('\n')}<p class="meta">Also in <a href="summary.json">summary.json</a>; every number is in <a href="metrics.csv">metrics.csv</a>.</p></div>`;
}

/** What each file of a run holds, for the files panel. */
const FILE_NOTES: Record<string, string> = {
  'run.json': 'resolved config, versions, cells',
  'samples.jsonl': 'every sample, one JSON record a line',
  'problems.jsonl': 'the problems: question, gold answer, verifier',
  'scores.jsonl': 'selection scores per sample',
  'agreement.json': 'regrading agreement with recorded verdicts',
  'metrics.csv': 'per cell × k: coverage, majority, compute, selection',
  'problems.csv': 'per cell × problem: samples, correct, distinct answers',
  'equal-compute.csv': 'each configuration at shared compute budgets',
  'fits.csv': 'power-law fits and Beta forecasts',
  'summary.json': 'the headline facts',
};

/** Links to every file of the run (paths relative to index.html), grouped: data, tables, figures. */
export function filesPanel(files: readonly string[]): string {
  if (files.length === 0) return '';
  const figures = files.filter((file) => file.startsWith('figures/'));
  const others = files.filter((file) => !file.startsWith('figures/'));
  const link = (file: string): string => `<a href="${escapeHtml(encodeURI(file))}">${escapeHtml(file)}</a>`;
  const list = others.map((file) => `<li>${link(file)}${FILE_NOTES[file] === undefined ? '' : ` — ${escapeHtml(FILE_NOTES[file] ?? '')}`}</li>`).join('');
  const stems = [...new Set(figures.map((file) => file.replace(/^figures\//, '').replace(/\.(vl\.json|svg|png)$/, '')))];
  const figureRows = stems
    .map((stem) => `<li>${escapeHtml(stem)}: ${figures.filter((file) => file.startsWith(`figures/${stem}.`)).map(link).join(' · ')}</li>`)
    .join('');
  return `<ul class="files">${list}</ul>${figureRows === '' ? '' : `<h3>Figures</h3><ul class="files">${figureRows}</ul>`}`;
}

/** One dataset's per-problem comparison in the payload: cells, then per problem [id, [correct, samples] per cell]. */
export interface ProblemComparison {
  /** Dataset id. */
  dataset: string;
  /** Columns: cell id, label, colour. */
  cells: Array<{ id: string; label: string; color: string }>;
  /** Per problem: its id and, per cell in column order, correct and samples (0, 0 when the cell has none). */
  problems: Array<[string, number[]]>;
}

/** The per-problem comparison data, one entry per dataset with problem statistics. */
export function problemComparisons(data: ReportData): ProblemComparison[] {
  const stats = data.problemStats ?? [];
  if (stats.length === 0) return [];
  const colors = assignColors(data.cells);
  const datasets = [...new Set(data.cells.map((cell) => cell.dataset))];
  return datasets.flatMap((dataset) => {
    const cells = data.cells.filter((cell) => cell.dataset === dataset && stats.some((stat) => stat.cellId === cell.id));
    if (cells.length === 0) return [];
    const labels = cellLabels(cells);
    const column = new Map(cells.map((cell, index) => [cell.id, index]));
    const problems = new Map<string, number[]>();
    for (const stat of stats) {
      const index = column.get(stat.cellId);
      if (index === undefined) continue;
      const counts = problems.get(stat.problem) ?? new Array<number>(cells.length * 2).fill(0);
      counts[index * 2] = stat.correct;
      counts[index * 2 + 1] = stat.samples;
      problems.set(stat.problem, counts);
    }
    return [
      {
        dataset,
        cells: cells.map((cell) => ({ id: cell.id, label: labels.get(cell.id) ?? cell.id, color: colors.cells.get(cell.id) ?? '#4c78a8' })),
        problems: [...problems.entries()],
      },
    ];
  });
}

/** Containers of the per-problem comparison (filled by the page script). */
export function problemsPanel(comparisons: readonly ProblemComparison[]): string {
  if (comparisons.length === 0) return '';
  return `<p>Solve rate (correct samples / samples) of every problem in every configuration. Click a column to sort; choose A and B to list the problems one solves and the other does not. Also in <a href="problems.csv">problems.csv</a>.</p>\n${comparisons
    .map(
      (comparison, index) =>
        `${comparisons.length > 1 ? `<h3>${escapeHtml(comparison.dataset)}</h3>` : ''}<div class="problem-compare" id="problem-compare-${String(index)}" data-dataset="${escapeHtml(comparison.dataset)}"></div>`,
    )
    .join('\n')}`;
}

/** Problems per page of the samples browser. */
export const SAMPLES_PAGE_SIZE = 20;

/** The samples browser's controls and list (filled by the page script from the payload). */
export function samplesPanel(data: ReportData, linkSamples = false): string {
  if (data.samplesBrowser.length === 0) return '<p class="empty">No samples to show.</p>';
  const labels = cellLabels(data.cells);
  const present = data.cells.filter((cell) => data.samplesBrowser.some((entry) => entry.cellId === cell.id));
  const options = present.map((cell) => `<option value="${escapeHtml(cell.id)}">${escapeHtml(labels.get(cell.id) ?? cell.id)}</option>`).join('');
  const problems = new Set(data.samplesBrowser.map((entry) => `${entry.cellId}\u0000${entry.problem}`)).size;
  const bound = data.browserSamplesPerProblem;
  const note =
    bound === undefined
      ? `${String(problems)} problems × configurations.`
      : `Every problem of every configuration (${String(problems)}), with at most its first ${String(bound)} samples each${linkSamples ? '; all samples are in <a href="samples.jsonl">samples.jsonl</a>' : ''}.`;
  return `<p>${note} Questions and answers are typeset with KaTeX; model text is shown as written.</p>
<div class="controls"><label>Model <select id="sample-filter"><option value="">all</option>${options}</select></label> <input type="search" id="sample-search" placeholder="problem id or question contains…"></div>
<div id="sample-pager" class="pager"></div>
<div id="sample-list" data-page-size="${String(SAMPLES_PAGE_SIZE)}"></div>`;
}

/** The samples browser's entries in the payload, with each cell's label. */
export function samplesPayload(data: ReportData): Array<ReportData['samplesBrowser'][number] & { label: string; totalSamples: number }> {
  const labels = cellLabels(data.cells);
  return data.samplesBrowser.map((entry) => ({ ...entry, label: labels.get(entry.cellId) ?? entry.cellId, totalSamples: entry.totalSamples ?? entry.samples.length }));
}
