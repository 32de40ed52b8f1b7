/** index.html as text: escaping, inlined libraries and JSON, no external resources, determinism. */
import { describe, expect, it } from 'vitest';
import { chartLibraryPath, loadChartLibraries, type ChartLibraries } from '../../harness/report/chart-libraries.ts';
import { escapeHtml, jsonForScript, scriptSafe } from '../../harness/report/html-escape.ts';
import { renderReportHtml } from '../../harness/report/html.ts';
import { equalComputeHead } from '../../harness/report/html-sections.ts';
import { loadMathLibrary, type MathLibrary } from '../../harness/report/math-library.ts';
import { buildFigureSpecs } from '../../harness/report/specs.ts';
import { HOSTILE_TEXT, reportFixture } from './fixture.ts';

const STUB_LIBRARIES: ChartLibraries = {
  vega: 'window.vega = { note: "</script><!-- not the end" };',
  vegaLite: 'window.vegaLite = {};',
  vegaEmbed: 'window.vegaEmbed = function () { return Promise.resolve(); };',
};

const STUB_MATH: MathLibrary = { script: 'window.katex = {};', css: '.katex { font: inherit; }' };

const data = reportFixture();
const html = renderReportHtml(data, { libraries: STUB_LIBRARIES, math: STUB_MATH });

interface Payload {
  figures: Array<{ name: string; title: string }>;
  report: Record<string, unknown>;
  samples: Array<{ cellId: string; label: string; question?: string; samples: Array<{ text: string; thinking?: string }> }>;
  problems: Array<{ dataset: string; cells: Array<{ id: string; label: string; color: string }>; problems: Array<[string, number[]]> }>;
}

function reportJson(page: string): Payload {
  const match = /<script type="application\/json" id="report-data">([^<]*)<\/script>/.exec(page);
  if (match?.[1] === undefined) throw new Error('no report-data script');
  return JSON.parse(match[1]) as Payload;
}

/** The page with every <script> element's content removed. */
function withoutScripts(page: string): string {
  return page.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '<script></script>');
}

describe('renderReportHtml', () => {
  it('escapes model text: a sample with <script> is text, not markup', () => {
    expect(html.includes(HOSTILE_TEXT)).toBe(false);
    expect(html.includes('<b>hostile</b>')).toBe(false);
    // Samples travel as JSON the page script puts into text nodes (the browser test checks the page).
    const payload = reportJson(html);
    expect(payload.samples.flatMap((entry) => entry.samples.map((sample) => sample.text))).toContain(HOSTILE_TEXT);
    expect(payload.samples[1]?.samples[0]?.thinking).toBe('Let me think </details> about it.');
    expect(payload.samples[0]?.question).toBe('What is $\\frac{1}{2} + \\frac{1}{4}$? Is 1 < 2 & 3 > 2?');
    expect(payload.samples.map((entry) => entry.label)).toEqual(['llama-8b · think off', 'sim-70b · think off (simulated)']);
    expect(html).toContain('Every problem of every configuration (2), with at most its first 8 samples each.');
  });

  it('has exactly the page scripts: report data, three libraries, KaTeX and the start-up script', () => {
    const scripts = html.match(/<script\b[^>]*>/g);
    expect(scripts).toEqual(['<script type="application/json" id="report-data">', '<script>', '<script>', '<script>', '<script>', '<script>']);
    expect(html).toContain('<script>window.katex = {};</script>');
    const withoutSamples = renderReportHtml({ ...data, samplesBrowser: [] }, { libraries: STUB_LIBRARIES, math: STUB_MATH });
    expect(withoutSamples).not.toContain('window.katex');
  });

  it('carries the figures and the report data as JSON that cannot close its element', () => {
    const payload = reportJson(html);
    expect(payload.figures.map((figure) => figure.name)).toEqual(buildFigureSpecs(data).map((figure) => figure.name));
    expect(payload.report.title).toBe('fixture-run');
    expect(payload.report.samplesBrowser).toBe(undefined);
    expect((payload.report.manifest as Record<string, unknown>).note).toBe('</script><script>window.__reportXss = true</script>');
  });

  it('inlines the libraries with </script and <!-- neutralised', () => {
    expect(html).toContain('<script>window.vega = { note: "<\\/script><\\!-- not the end" };</script>');
  });

  it('loads nothing from outside the file and forbids it by policy', () => {
    const markup = withoutScripts(html);
    expect(markup).not.toMatch(/\b(src|href|action|srcset)\s*=\s*["']?\s*(https?:|\/\/|file:)/i);
    expect(markup).not.toMatch(/@import|url\((?!data:)/i);
    expect(markup).not.toMatch(/<link\b/i);
    expect(markup).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data:; font-src data:">`,
    );
  });

  it('marks simulation in a banner and in labels', () => {
    expect(html).toContain('<strong>Simulation.</strong> Simulated models in this report: sim-70b.');
    expect(html).toContain('<span class="swatch" style="background:#f58518"></span>sim-70b · think off (simulated) <span class="meta">· n = 250 samples × 128 problems · math500</span>');
    const real = { ...data, cells: data.cells.filter((cell) => !cell.simulated) };
    expect(renderReportHtml(real, { libraries: STUB_LIBRARIES })).not.toContain('class="simulated-banner"');
  });

  it('has a container per figure and every section', () => {
    const figures = [...html.matchAll(/<div class="chart" id="chart-(\d+)" data-figure="([^"]+)">/g)].map((match) => match[2]);
    expect(figures).toEqual(buildFigureSpecs(data).map((figure) => figure.name));
    const sections = [...html.matchAll(/<section id="([^"]+)">/g)].map((match) => match[1]);
    expect(sections).toEqual(['figures', 'metrics', 'equal-compute', 'problems', 'fits', 'thinking', 'selection', 'run', 'samples']);
  });

  it('tabulates equal compute, fits, thinking, selection, errors and duplicates', () => {
    const llama = '<span class="swatch" style="background:#4c78a8"></span>llama-8b · think off';
    const sim = '<span class="swatch" style="background:#f58518"></span>sim-70b · think off (simulated)';
    // Best and runner-up are written once over the budgets they hold.
    expect(html).toContain(`<tr><td>1.00×10¹⁴</td><td><strong>70.0%</strong></td><td>62.0%</td><td>+8.0</td><td class="grouped" rowspan="2">${llama}</td><td class="grouped" rowspan="2">${sim}</td></tr>\n<tr><td>1.00×10¹⁵</td><td><strong>85.0%</strong></td><td>80.0%</td><td>+5.0</td></tr>`);
    expect(html).toContain(`<tr><td>1.00×10¹³</td><td><strong>40.0%</strong></td><td>n/a</td><td>n/a</td><td class="grouped" rowspan="1">${llama}</td><td class="grouped" rowspan="1">n/a</td></tr>`);
    expect(html).not.toMatch(/\de\+\d/);
    expect(html).toContain('<td>llama-8b · think off</td><td>-1.33</td><td>-0.43</td><td>0.0031</td>');
    expect(html).toContain('<td>sim-70b · think 1k (simulated)</td><td>1024</td><td>budget-forcing</td><td>900.5</td><td>25.0%</td><td>20.0%</td><td>1.0%</td><td>0.0%</td>');
    expect(html).toContain('<td><code>PROVIDER_TIMEOUT</code></td><td>2</td>');
    expect(html).toContain('<td>llama-8b · think off</td><td>test/algebra/1.json</td><td>3, 7, 9</td>');
    expect(html).toContain('<td>250</td><td>57.0%</td><td>94.3%</td><td>37.3 points</td><td>60.5%</td>');
  });

  it('shows one equal-compute table per dataset, and warns when a table mixes datasets', () => {
    const single = data.equalCompute;
    if (single === null || Array.isArray(single)) throw new Error('fixture has one table');
    const perDataset = renderReportHtml({ ...data, equalCompute: [{ ...single, dataset: 'math500' }, { ...single, dataset: 'gsm8k', rows: [] }] }, { libraries: STUB_LIBRARIES });
    expect([...perDataset.matchAll(/<h3>([^<]+)<\/h3>\n<p>coverage@k/g)].map((match) => match[1])).toEqual(['math500']);
    const cells = data.cells.map((cell, index) => (index === 1 ? { ...cell, dataset: 'gsm8k' } : cell));
    const mixed = renderReportHtml({ ...data, cells }, { libraries: STUB_LIBRARIES });
    expect(mixed).toContain('<p class="warning">This table compares cells of different datasets (math500, gsm8k); accuracies on different problems are not comparable.</p>');
    expect(html).not.toContain('This table compares cells of different datasets');
  });

  it('gives the same bytes for the same data', () => {
    expect(renderReportHtml(reportFixture(), { libraries: STUB_LIBRARIES, math: STUB_MATH })).toBe(html);
  });

  it('opens on the computed headline', () => {
    const headline = html.slice(html.indexOf('<div class="headline"'), html.indexOf('</header>'));
    expect([...headline.matchAll(/<li>([^<]*)<\/li>/g)].map((match) => match[1])).toEqual([
      'sim-70b · think 1k (simulated): coverage went from 63.8% at k = 1 to 97.2% at k = 250; majority@k plateaued at 62.1%.',
      'sim-70b · think off (simulated): coverage went from 47.2% at k = 1 to 94.3% at k = 250; majority@k plateaued at 54.7%.',
      'llama-8b · think off: coverage went from 26.4% at k = 1 to 88.4% at k = 250; majority@k plateaued at 40.5%.',
      'llama-8b · think off beats sim-70b · think off (simulated) at every FLOPs budget compared (2), by up to 8.0 points of coverage.',
      'sim-70b · think off (simulated), answer selection at k = 250: best-of-k (verifier) 57.0% (coverage@250 94.3%, majority@250 54.7%).',
    ]);
  });

  it('carries the per-problem comparison: per problem, correct and samples of each configuration', () => {
    const [comparison] = reportJson(html).problems;
    expect(comparison?.cells.map((cell) => [cell.label, cell.color])).toEqual([
      ['llama-8b · think off', '#4c78a8'],
      ['sim-70b · think off (simulated)', '#f58518'],
      ['sim-70b · think 1k (simulated)', '#87490d'],
    ]);
    expect(comparison?.problems[0]).toEqual(['test/algebra/1.json', [250, 250, 0, 250, 12, 250]]);
  });

  it('links only the files it is given', () => {
    const linked = renderReportHtml(data, { libraries: STUB_LIBRARIES, math: STUB_MATH, files: ['metrics.csv', 'figures/coverage.svg'] });
    expect(linked).toContain('<ul class="files"><li><a href="metrics.csv">metrics.csv</a> — per cell × k: coverage, majority, compute, selection</li></ul>');
    expect(linked).toContain('<li>coverage: <a href="figures/coverage.svg">figures/coverage.svg</a></li>');
    expect(linked).toContain('— files: <a href="figures/coverage.svg">.svg</a></figcaption>');
  });

  it('says so when there is nothing to show', () => {
    const empty = renderReportHtml(
      { ...data, cells: [], rows: [], computePoints: [], equalCompute: null, fits: [], forecasts: [], solveRates: [], selection: [], thinking: [], samplesBrowser: [] },
      { libraries: STUB_LIBRARIES },
    );
    expect(empty).toContain('<p class="empty">No figures: the run has no metrics yet.</p>');
    expect(empty).toContain('<p class="empty">No samples to show.</p>');
  });
});

describe('math library', () => {
  it('inlines KaTeX with every font as a data: URL', () => {
    const math = loadMathLibrary();
    expect(math.script).toContain('katex');
    expect(math.css).toContain('src:url(data:font/woff2;base64,');
    expect(math.css).not.toMatch(/url\((?!data:)/);
  });
});

describe('chart libraries', () => {
  it.each(['vega', 'vega-lite', 'vega-embed'] as const)('finds the %s browser build in node_modules', (name) => {
    expect(chartLibraryPath(name).endsWith(`/node_modules/${name}/build/${name}.min.js`)).toBe(true);
  });

  it('reads the UMD builds that define the globals the page uses', () => {
    const libraries = loadChartLibraries();
    expect(libraries.vega).toContain('.vega={}');
    expect(libraries.vegaLite).toContain('.vegaLite={}');
    expect(libraries.vegaEmbed).toContain('.vegaEmbed=');
  });
});

describe('escaping helpers', () => {
  it.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    [`"quoted" & 'single'`, '&quot;quoted&quot; &amp; &#39;single&#39;'],
    ['plain', 'plain'],
  ])('escapeHtml(%s)', (input, expected) => {
    expect(escapeHtml(input)).toBe(expected);
  });

  it('writes JSON without <, > or & and parses back to the same value', () => {
    const value = { text: '</script><!-- & \u2028 -->' };
    const json = jsonForScript(value);
    expect(json).toBe('{"text":"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028 --\\u003e"}');
    expect(JSON.parse(json)).toEqual(value);
  });

  it('neutralises </script in any case and <!-- in inlined code', () => {
    expect(scriptSafe('a="</SCRIPT>";b="<!--"')).toBe('a="<\\/SCRIPT>";b="<\\!--"');
  });
});

describe('equalComputeHead', () => {
  it('names each configuration once over its selection methods', () => {
    const head = equalComputeHead('Budget (tokens)', [
      { text: 'm8 (simulated) · majority@k', swatch: '<i></i>' },
      { text: 'm8 (simulated) · best-of-k', swatch: '<i></i>' },
      { text: 'm70 · majority@k', swatch: '' },
    ]);
    expect(head).toBe(
      '<tr><th rowspan="2">Budget (tokens)</th><th colspan="2" class="group"><i></i>m8 (simulated)</th><th colspan="1" class="group">m70</th>' +
        '<th rowspan="2">Margin (points)</th><th rowspan="2">Best</th><th rowspan="2">Runner-up</th></tr>' +
        '<tr><th class="method">majority@k</th><th class="method">best-of-k</th><th class="method">majority@k</th></tr>',
    );
  });

  it('keeps one row when a series has no method part, and escapes labels', () => {
    expect(equalComputeHead('Budget (FLOPs)', [{ text: 'a<b>', swatch: '' }, { text: 'c · d', swatch: '' }])).toBe(
      '<tr><th>Budget (FLOPs)</th><th>a&lt;b&gt;</th><th>c · d</th><th>Margin (points)</th><th>Best</th><th>Runner-up</th></tr>',
    );
  });
});
