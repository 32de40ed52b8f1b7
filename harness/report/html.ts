/**
 * index.html: one self-contained page that opens from disk with no network. The chart libraries
 * are inlined from node_modules, the figures' specs and the report data travel as escaped JSON,
 * and every piece of text from the run (model output, labels, config) is HTML-escaped.
 */
import { cellLabels } from './cell-labels.ts';
import { computeOptimalSection } from './compute-optimal-section.ts';
import { loadChartLibraries, type ChartLibraries } from './chart-libraries.ts';
import { escapeHtml, jsonForScript, scriptSafe } from './html-escape.ts';
import { filesPanel, headlinePanel, problemComparisons, problemsPanel, samplesPanel, samplesPayload } from './html-panels.ts';
import { equalComputeTable, errorsPanel, fitsTable, manifestPanel, metricsTable, selectionTable, thinkingTable } from './html-sections.ts';
import { loadMathLibrary, type MathLibrary } from './math-library.ts';
import { PAGE_SCRIPT } from './page-script.ts';
import type { ReportData } from './report-data.ts';
import { buildFigureSpecs, type FigureSpec, type SpecOptions } from './specs.ts';

/** Font stack of the charts in the page: DejaVu Sans where installed, else the browser's sans-serif. */
export const PAGE_CHART_FONT = 'DejaVu Sans, Helvetica Neue, Helvetica, Arial, sans-serif';

/** Options of renderReportHtml. */
export interface HtmlOptions {
  /** Chart library builds to inline. Default: read from node_modules (loadChartLibraries). */
  libraries?: ChartLibraries;
  /** Figures to show. Default: buildFigureSpecs(data) with the page font stack. */
  figures?: FigureSpec[];
  /** Spec options for the default figures. Default: `{ font: PAGE_CHART_FONT, responsive: true }`. */
  specs?: SpecOptions;
  /** KaTeX to inline for the samples browser. Default: read from node_modules when there are samples to show. */
  math?: MathLibrary;
  /** Files of the run to link, relative to index.html (`metrics.csv`, `figures/coverage.svg`). Default none. */
  files?: string[];
}

/**
 * Blocks every request the page could make: only inline scripts and styles run (Vega compiles
 * its expressions with `new Function`, hence 'unsafe-eval').
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data:; font-src data:";

const STYLE = `
:root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --line: #d8dee4; --soft: #f6f8fa; --accent: #4c78a8; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: var(--ink); background: #fff; }
header, main { max-width: 1232px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 28px; }
h1 { margin: 0 0 4px; font-size: 26px; }
h2 { margin: 40px 0 12px; padding-bottom: 6px; border-bottom: 1px solid var(--line); font-size: 20px; }
h3 { margin: 24px 0 8px; font-size: 16px; }
.meta { color: var(--muted); margin: 0; }
nav { margin: 14px 0 0; display: flex; flex-wrap: wrap; gap: 6px 16px; }
nav a { color: var(--accent); text-decoration: none; }
nav a:hover { text-decoration: underline; }
.simulated-banner { margin: 18px 0 0; padding: 12px 16px; border: 1px solid #e0b252; background: #fff8e6; border-radius: 6px; }
.figures { display: grid; grid-template-columns: 1fr; gap: 28px; }
figure { margin: 0; padding: 12px; border: 1px solid var(--line); border-radius: 6px; }
.chart { width: 100%; }
.headline { margin: 18px 0 0; padding: 12px 18px; border-left: 4px solid var(--accent); background: var(--soft); border-radius: 4px; }
.headline ul { margin: 4px 0; padding-left: 20px; font-size: 16px; }
.headline h3 { margin: 8px 0 2px; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; vertical-align: baseline; }
tr.group th { background: #fff; border-bottom: 2px solid var(--line); padding-top: 12px; position: static; }
td.grouped { background: #fcfcfd; border-left: 1px solid var(--line); }
.note { color: var(--muted); font-size: 13px; }
.controls { display: flex; flex-wrap: wrap; gap: 6px 10px; align-items: center; margin: 6px 0; }
.controls input[type=search] { font: inherit; padding: 2px 6px; min-width: 240px; }
table.compare td.zero { color: #b42318; }
table.compare td.full { color: #2f7d32; }
table.compare th.sortable { cursor: pointer; }
.problem-compare .table-wrap { max-height: 560px; overflow-y: auto; }
.pager button { font: inherit; margin: 0 4px; }
ul.files { columns: 2; font-size: 14px; }
.question-text, .gold { margin: 4px 0; }
.math.display { display: block; margin: 6px 0; }
figcaption { color: var(--muted); font-size: 13px; margin-top: 6px; }
.table-wrap { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; font-size: 13px; margin: 6px 0 12px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { max-width: 200px; overflow-wrap: anywhere; }
th { background: var(--soft); font-weight: 600; position: sticky; top: 0; }
table.numbers td { font-variant-numeric: tabular-nums; white-space: nowrap; }
table.numbers.wrap td { white-space: normal; }
table.equal td.grouped { white-space: normal; min-width: 10em; max-width: 18em; }
table.equal th.group, table.equal th.method { overflow-wrap: normal; text-align: center; }
table.equal th.method { font-weight: 500; min-width: 5em; }
table.equal th { position: static; }
.ci { color: var(--muted); }
.badge { display: inline-block; font-size: 11px; padding: 0 6px; border-radius: 8px; background: #fff1cc; border: 1px solid #e0b252; color: #6b4e00; }
.warning { color: #9a3412; }
.empty { color: var(--muted); font-style: italic; }
code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 13px; background: var(--soft); padding: 0 3px; border-radius: 3px; }
pre { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12.5px; background: var(--soft); padding: 8px 10px; border-radius: 4px; overflow-x: auto; }
pre.text { white-space: pre-wrap; word-break: break-word; margin: 4px 0; }
pre.json { max-height: 480px; }
details.problem { border: 1px solid var(--line); border-radius: 6px; padding: 6px 10px; margin: 6px 0; }
details.problem > summary { cursor: pointer; }
.sample { border-left: 3px solid var(--line); padding: 2px 0 2px 10px; margin: 10px 0; }
.sample.correct { border-left-color: #54a24b; }
.sample.wrong { border-left-color: #e45756; }
.sample-head { font-size: 13px; color: var(--muted); }
.ok { color: #2f7d32; font-weight: 600; }
.bad { color: #b42318; font-weight: 600; }
select { font: inherit; margin: 0 0 8px 6px; }
footer { max-width: 1232px; margin: 40px auto; padding: 0 24px; color: var(--muted); font-size: 13px; }
`;


/**
 * The report as one HTML document: figures (drawn in the browser by the inlined vega-embed),
 * tables of metrics, equal compute, fits, thinking and selection, errors and duplicates, the
 * manifest and a samples browser. Deterministic: the same data gives the same bytes.
 */
export function renderReportHtml(data: ReportData, options: HtmlOptions = {}): string {
  const libraries = options.libraries ?? loadChartLibraries();
  const figures = options.figures ?? buildFigureSpecs(data, options.specs ?? { font: PAGE_CHART_FONT, responsive: true });
  const labels = cellLabels(data.cells);
  const linked = new Set(options.files ?? []);
  const simulated = data.cells.filter((cell) => cell.simulated);
  const datasets = [...new Set(data.cells.map((cell) => cell.dataset))];
  const models = [...new Set(data.cells.map((cell) => cell.model))];
  const { samplesBrowser: _browser, problemStats: _stats, ...reportWithoutSamples } = data;
  const comparisons = problemComparisons(data);
  const payload = {
    figures: figures.map((figure) => ({ name: figure.name, title: figure.title, spec: figure.spec })),
    report: reportWithoutSamples,
    problems: comparisons,
    samples: samplesPayload(data),
  };
  const math = data.samplesBrowser.length === 0 ? undefined : (options.math ?? loadMathLibrary());

  const simulatedModels = [...new Set(simulated.map((cell) => cell.model))];
  const banner =
    simulatedModels.length === 0
      ? ''
      : `<div class="simulated-banner" role="note"><strong>Simulation.</strong> Simulated models in this report: ${escapeHtml(
          simulatedModels.join(', '),
        )}. Their samples are generated by a seeded statistical model (the built-in <code>sim</code> provider), not by a language model; every figure and table marks them “(simulated)”.</div>`;

  const figureHtml =
    figures.length === 0
      ? '<p class="empty">No figures: the run has no metrics yet.</p>'
      : `<div class="figures">\n${figures
          .map((figure, index) => {
            const written = ['svg', 'png', 'vl.json'].filter((extension) => linked.has(`figures/${figure.name}.${extension}`));
            const links = written.map((extension) => `<a href="${escapeHtml(encodeURI(`figures/${figure.name}.${extension}`))}">.${extension}</a>`).join(' ');
            return `<figure><div class="chart" id="chart-${String(index)}" data-figure="${escapeHtml(figure.name)}"></div><figcaption>${escapeHtml(figure.title)}${links === '' ? '' : ` — files: ${links}`}</figcaption></figure>`;
          })
          .join('\n')}\n</div>`;

  // Thinking and selection tables are empty for runs without them; their sections are left out.
  const sections = (
    [
      ['figures', 'Figures', figureHtml],
      ['metrics', 'Metrics per cell and k', metricsTable(data, labels)],
      ['equal-compute', 'Equal compute', equalComputeTable(data, labels)],
      ['problems', 'Per-problem comparison', problemsPanel(comparisons)],
      ['fits', 'Scaling-law fits', fitsTable(data, labels)],
      ['thinking', 'Thinking budgets', thinkingTable(data, labels)],
      ['selection', 'Answer selection', selectionTable(data, labels)],
      ['compute-optimal', 'Compute-optimal scaling', computeOptimalSection(data)],
      ['run', 'Run: errors, duplicates, manifest', `${errorsPanel(data, labels)}\n<h3>Manifest</h3>\n${manifestPanel(data)}`],
      ['samples', 'Samples', samplesPanel(data, linked.has('samples.jsonl'))],
      ['files', 'Files of this run', filesPanel(options.files ?? [])],
    ] as const
  ).filter(([, , body]) => body !== '');

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="generator" content="scaling-bench">
<title>${escapeHtml(data.title)} — scaling-bench report</title>
<style>${STYLE}</style>${math === undefined ? '' : `\n<style>${math.css.replace(/<\//g, '<\\/')}</style>`}
</head>
<body>
<header>
<h1>${escapeHtml(data.title)}</h1>
<p class="meta">scaling-bench report · generated ${escapeHtml(data.generatedAt)} · ${String(models.length)} model${models.length === 1 ? '' : 's'} · ${String(datasets.length)} dataset${datasets.length === 1 ? '' : 's'} (${escapeHtml(datasets.join(', '))}) · ${String(data.cells.length)} cell${data.cells.length === 1 ? '' : 's'}</p>
<nav>${sections.map(([id, title]) => `<a href="#${id}">${escapeHtml(title)}</a>`).join('')}</nav>
${banner}
${headlinePanel(data)}
</header>
<main>
${sections.map(([id, title, body]) => `<section id="${id}">\n<h2>${escapeHtml(title)}</h2>\n${body}\n</section>`).join('\n')}
</main>
<footer>Coverage@k is the unbiased pass@k estimator averaged over problems; majority@k the expected accuracy of a vote over k random samples; intervals are 95% bootstrap intervals over problems. Every number on this page is also in the files beside it (see <a href="#files">Files of this run</a>).</footer>
<script type="application/json" id="report-data">${jsonForScript(payload)}</script>
<script>${scriptSafe(libraries.vega)}</script>
<script>${scriptSafe(libraries.vegaLite)}</script>
<script>${scriptSafe(libraries.vegaEmbed)}</script>${math === undefined ? '' : `\n<script>${scriptSafe(math.script)}</script>`}
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
