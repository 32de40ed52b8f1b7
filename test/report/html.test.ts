/** index.html as text: escaping, inlined libraries and JSON, no external resources, determinism. */
import { describe, expect, it } from 'vitest';
import { chartLibraryPath, loadChartLibraries, type ChartLibraries } from '../../harness/report/chart-libraries.ts';
import { escapeHtml, jsonForScript, scriptSafe } from '../../harness/report/html-escape.ts';
import { renderReportHtml } from '../../harness/report/html.ts';
import { buildFigureSpecs } from '../../harness/report/specs.ts';
import { HOSTILE_TEXT, reportFixture } from './fixture.ts';

const STUB_LIBRARIES: ChartLibraries = {
  vega: 'window.vega = { note: "</script><!-- not the end" };',
  vegaLite: 'window.vegaLite = {};',
  vegaEmbed: 'window.vegaEmbed = function () { return Promise.resolve(); };',
};

const data = reportFixture();
const html = renderReportHtml(data, { libraries: STUB_LIBRARIES });

function reportJson(page: string): { figures: Array<{ name: string; title: string }>; report: Record<string, unknown> } {
  const match = /<script type="application\/json" id="report-data">([^<]*)<\/script>/.exec(page);
  if (match?.[1] === undefined) throw new Error('no report-data script');
  return JSON.parse(match[1]) as { figures: Array<{ name: string; title: string }>; report: Record<string, unknown> };
}

/** The page with every <script> element's content removed. */
function withoutScripts(page: string): string {
  return page.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '<script></script>');
}

describe('renderReportHtml', () => {
  it('escapes model text: a sample with <script> is text, not markup', () => {
    expect(html.includes(HOSTILE_TEXT)).toBe(false);
    expect(html).toContain(`<pre class="text">${escapeHtml(HOSTILE_TEXT)}</pre>`);
    expect(html).toContain('&lt;script&gt;window.__reportXss = true; alert(1)&lt;/script&gt;&lt;img src=&quot;x&quot; onerror=&quot;window.__reportXss = true&quot;&gt;');
    expect(html).toContain('<pre class="text">Let me think &lt;/details&gt; about it.</pre>');
    expect(html).toContain('What is $\\frac{1}{2} + \\frac{1}{4}$? Is 1 &lt; 2 &amp; 3 &gt; 2?');
  });

  it('has exactly the page scripts: report data, three libraries and the start-up script', () => {
    const scripts = html.match(/<script\b[^>]*>/g);
    expect(scripts).toEqual(['<script type="application/json" id="report-data">', '<script>', '<script>', '<script>', '<script>']);
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
    expect(markup).not.toMatch(/@import|url\(/i);
    expect(markup).not.toMatch(/<link\b/i);
    expect(markup).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data:; font-src data:">`,
    );
  });

  it('marks simulation in a banner and in labels', () => {
    expect(html).toContain('<strong>Simulation.</strong> Simulated models in this report: sim-70b.');
    expect(html).toContain('<td>sim-70b · think off (simulated)</td>');
    const real = { ...data, cells: data.cells.filter((cell) => !cell.simulated) };
    expect(renderReportHtml(real, { libraries: STUB_LIBRARIES })).not.toContain('class="simulated-banner"');
  });

  it('has a container per figure and every section', () => {
    const figures = [...html.matchAll(/<div class="chart" id="chart-(\d+)" data-figure="([^"]+)">/g)].map((match) => match[2]);
    expect(figures).toEqual(buildFigureSpecs(data).map((figure) => figure.name));
    const sections = [...html.matchAll(/<section id="([^"]+)">/g)].map((match) => match[1]);
    expect(sections).toEqual(['figures', 'metrics', 'equal-compute', 'fits', 'thinking', 'selection', 'run', 'samples']);
  });

  it('tabulates equal compute, fits, thinking, selection, errors and duplicates', () => {
    expect(html).toContain('<td>1.00e+14</td><td><strong>70.0%</strong></td><td>62.0%</td><td>llama-8b · think off</td><td>+8.0 points</td><td>sim-70b · think off (simulated)</td>');
    expect(html).toContain('<td>1.00e+13</td><td><strong>40.0%</strong></td><td>n/a</td><td>llama-8b · think off</td><td>n/a</td><td>n/a</td>');
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
    expect(renderReportHtml(reportFixture(), { libraries: STUB_LIBRARIES })).toBe(html);
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
