/**
 * Opens the written index.html in headless Chromium (Debian's `chromium`, driven by
 * playwright-core) from disk: every chart drawn, no console errors, no request but the file
 * itself, hostile sample text shown as text and never run, and a screenshot for people to look at.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_PATH, hasChromium } from '../helpers/shared-data.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignColors } from '../../harness/report/colors.ts';
import { buildFigureSpecs } from '../../harness/report/specs.ts';
import { writeReport } from '../../harness/report/write-report.ts';
import { HOSTILE_TEXT, reportFixture } from './fixture.ts';
import { freshOutputDir, reportOutputDir } from './output-dir.ts';

const CHROMIUM = CHROMIUM_PATH;
const chromiumPresent = hasChromium();
if (!chromiumPresent) {
  process.stderr.write(`report browser test skipped: ${CHROMIUM} is missing (install it with: apt-get install -y chromium)\n`);
}

interface PageRun {
  page: Page;
  requests: string[];
  consoleErrors: string[];
  pageErrors: string[];
  dialogs: string[];
  fileUrl: string;
}

describe.skipIf(!chromiumPresent)('index.html in headless Chromium', () => {
  let browser: Browser;
  let run: PageRun;
  let runDir = '';
  const data = reportFixture();
  const figureNames = buildFigureSpecs(data).map((figure) => figure.name);

  beforeAll(async () => {
    runDir = freshOutputDir('browser');
    await writeReport(data, runDir, { figureOptions: { pngScale: 1 } });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const fileUrl = pathToFileURL(join(runDir, 'index.html')).href;
    run = { page, requests: [], consoleErrors: [], pageErrors: [], dialogs: [], fileUrl };
    page.on('request', (request) => run.requests.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error') run.consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => run.pageErrors.push(error.message));
    page.on('dialog', (dialog) => {
      run.dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(fileUrl, { waitUntil: 'load' });
    await page.waitForSelector('body[data-charts="done"]', { timeout: 30_000 });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('draws every figure as an SVG with marks', async () => {
    const charts = await run.page.$$eval('.chart', (elements) =>
      elements.map((element) => ({
        figure: element.getAttribute('data-figure'),
        rendered: element.getAttribute('data-rendered'),
        svgs: element.querySelectorAll('svg').length,
        marks: element.querySelectorAll('g.role-mark path, g.role-mark line, g.role-mark rect').length,
        text: Array.from(element.querySelectorAll('svg text'), (text) => text.textContent ?? ''),
      })),
    );
    expect(charts.map((chart) => chart.figure)).toEqual(figureNames);
    for (const chart of charts) {
      expect(chart.rendered, `${chart.figure ?? ''} rendered`).toBe('true');
      expect(chart.svgs, `${chart.figure ?? ''} svg`).toBeGreaterThanOrEqual(1);
      expect(chart.marks, `${chart.figure ?? ''} marks`).toBeGreaterThan(0);
    }
    const coverage = charts.find((chart) => chart.figure === 'coverage');
    expect(coverage?.text).toContain('Coverage (pass@k) against samples per problem');
    expect(coverage?.text).toContain('sim-70b · think off (simulated)');
  });

  it('logs no console errors and throws no page errors', () => {
    expect(run.consoleErrors).toEqual([]);
    expect(run.pageErrors).toEqual([]);
  });

  it('requests nothing but the file itself', () => {
    expect(run.requests).toEqual([run.fileUrl]);
  });

  it('shows hostile sample text as text and never runs it', async () => {
    const texts = await run.page.$$eval('#samples pre.text', (elements) => elements.map((element) => element.textContent));
    expect(texts).toContain(HOSTILE_TEXT);
    const executed = await run.page.evaluate(() => (window as unknown as { __reportXss?: boolean }).__reportXss ?? false);
    expect(executed).toBe(false);
    expect(run.dialogs).toEqual([]);
    expect(await run.page.$$eval('#samples script, #samples img, #run script', (elements) => elements.length)).toBe(0);
    const manifest = await run.page.$eval('#run pre.json', (element) => element.textContent ?? '');
    expect(manifest).toContain('"note": "</script><script>window.__reportXss = true</script>"');
  });

  it('opens on a headline whose numbers are those of metrics.csv', async () => {
    const sentences = await run.page.$$eval('#headline li', (elements) => elements.map((element) => element.textContent ?? ''));
    expect(sentences.length).toBeGreaterThan(0);
    const [header, ...lines] = readFileSync(join(runDir, 'metrics.csv'), 'utf8').trim().split('\n');
    const columns = (header ?? '').split(',');
    const rows = lines.map((line) => Object.fromEntries(line.split(',').map((value, index) => [columns[index] ?? '', value])));
    const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as {
      datasets: Array<{ sentences: string[]; cells: Array<{ cell: string; firstK: number; coverageFirst: number; lastK: number; coverageLast: number; majorityLast: number | null }> }>;
    };
    expect(summary.datasets.flatMap((dataset) => dataset.sentences)).toEqual(sentences);
    for (const fact of summary.datasets.flatMap((dataset) => dataset.cells)) {
      const at = (k: number): Record<string, string> | undefined => rows.find((row) => row.cell === fact.cell && row.k === String(k));
      expect(Number(at(fact.firstK)?.coverage)).toBeCloseTo(fact.coverageFirst, 6);
      expect(Number(at(fact.lastK)?.coverage)).toBeCloseTo(fact.coverageLast, 6);
      if (fact.majorityLast !== null) expect(Number(at(fact.lastK)?.majority)).toBeCloseTo(fact.majorityLast, 6);
      const percent = (value: number): string => `${(value * 100).toFixed(1)}%`;
      expect(sentences.some((sentence) => sentence.includes(`from ${percent(fact.coverageFirst)} at k = ${String(fact.firstK)} to ${percent(fact.coverageLast)} at k = ${String(fact.lastK)}`))).toBe(true);
    }
  });

  it('links only files that exist', async () => {
    const links = await run.page.$$eval('a[href]', (elements) => elements.map((element) => element.getAttribute('href') ?? ''));
    const files = links.filter((href) => !href.startsWith('#'));
    expect(files.length).toBeGreaterThan(10);
    for (const href of files) expect(existsSync(join(runDir, decodeURI(href))), href).toBe(true);
    for (const name of ['metrics.csv', 'problems.csv', 'equal-compute.csv', 'fits.csv', 'summary.json', 'figures/coverage.svg', 'figures/coverage.png', 'figures/coverage.vl.json']) {
      expect(files, name).toContain(name);
    }
  });

  it('gives each model one colour family in every figure file, and each label one colour', () => {
    const families = assignColors(data.cells).families;
    const colorOfLabel = new Map<string, string>();
    for (const file of readdirSync(join(runDir, 'figures')).filter((name) => name.endsWith('.vl.json'))) {
      const text = readFileSync(join(runDir, 'figures', file), 'utf8');
      for (const match of text.matchAll(/"field": "series",[^{}]*?"scale": \{\s*"domain": (\[[^\]]*\]),\s*"range": (\[[^\]]*\])/g)) {
        const domain = JSON.parse(match[1] ?? '[]') as string[];
        const range = JSON.parse(match[2] ?? '[]') as string[];
        domain.forEach((label, index) => {
          const color = range[index] ?? '';
          expect(colorOfLabel.get(label) ?? color, `${file}: ${label}`).toBe(color);
          colorOfLabel.set(label, color);
          const model = data.cells.find((cell) => label.startsWith(`${cell.model} `) || label === cell.model)?.model ?? '';
          expect(families.get(model), `${file}: ${label}`).toContain(color);
        });
      }
    }
    expect(colorOfLabel.size).toBeGreaterThanOrEqual(3);
  });

  it('draws no x axis past its data by more than the declared forecast range', () => {
    for (const figure of buildFigureSpecs(data)) {
      const spec = JSON.parse(readFileSync(join(runDir, 'figures', `${figure.name}.vl.json`), 'utf8')) as {
        usermeta?: { xRange?: { measuredMaxK: number; drawnMaxK: number; forecastFactor: number } };
        data?: { values: Array<{ k?: number; curve?: string }> };
      };
      const range = spec.usermeta?.xRange;
      if (range === undefined) continue;
      const measured = Math.max(...(spec.data?.values ?? []).filter((record) => record.curve === 'measured').map((record) => Number(record.k)));
      expect(range.measuredMaxK, figure.name).toBe(measured);
      expect(range.drawnMaxK, figure.name).toBeLessThanOrEqual(measured * range.forecastFactor);
      const text = readFileSync(join(runDir, 'figures', `${figure.name}.vl.json`), 'utf8');
      const domains = [...text.matchAll(/"type": "log",\s*"nice": false,\s*"domain": \[\s*([\d.e+]+),\s*([\d.e+]+)\s*\]/g)].map((match) => Number(match[2]));
      expect(domains.length, figure.name).toBeGreaterThan(0);
      for (const end of domains) expect(end, figure.name).toBe(range.drawnMaxK);
    }
  });

  it('typesets questions and answers with KaTeX and keeps model text plain', async () => {
    const typeset = await run.page.$$eval('#samples .question-text .katex', (elements) => elements.length);
    expect(typeset).toBeGreaterThan(0);
    const gold = await run.page.$eval('#samples .gold .katex-mathml annotation', (element) => element.textContent);
    expect(gold).toBe('\\frac{3}{4}');
  });

  it('sorts and filters the per-problem comparison', async () => {
    const shown = async (): Promise<string[]> => run.page.$$eval('#problem-compare-0 tbody tr td.problem-id', (elements) => elements.map((element) => element.textContent ?? ''));
    expect(await shown()).toEqual(['test/algebra/1.json', 'test/geometry/7.json', 'test/<b>hostile</b>.json']);
    await run.page.selectOption('#problem-compare-0 .pc-mode', 'a-not-b');
    expect(await shown()).toEqual(['test/algebra/1.json']);
    await run.page.selectOption('#problem-compare-0 .pc-mode', 'b-not-a');
    expect(await shown()).toEqual(['test/geometry/7.json']);
    await run.page.selectOption('#problem-compare-0 .pc-mode', 'all');
    await run.page.click('#problem-compare-0 th[data-column="2"]');
    expect(await shown()).toEqual(['test/geometry/7.json', 'test/algebra/1.json', 'test/<b>hostile</b>.json']);
    await run.page.fill('#problem-compare-0 .pc-search', 'geometry');
    expect(await shown()).toEqual(['test/geometry/7.json']);
    expect(await run.page.$$eval('#problems b', (elements) => elements.length)).toBe(0);
  });

  it('fits the page at 1280 px: no horizontal scrolling, charts at the width of their box', async () => {
    const widths = await run.page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      view: document.documentElement.clientWidth,
      charts: Array.from(document.querySelectorAll('.chart'), (element) => [element.clientWidth, element.querySelector('svg')?.getBoundingClientRect().width ?? 0]),
    }));
    expect(widths.page).toBe(widths.view);
    for (const [box, svg] of widths.charts) expect(svg).toBeGreaterThan((box ?? 0) * 0.85);
  });

  it('filters the samples browser by model', async () => {
    const visible = async (): Promise<number> =>
      run.page.$$eval('#sample-list > details.problem', (elements) => elements.filter((element) => !(element as HTMLElement).hidden).length);
    expect(await visible()).toBe(2);
    await run.page.selectOption('#sample-filter', data.cells[1]?.id ?? '');
    expect(await visible()).toBe(1);
    await run.page.selectOption('#sample-filter', '');
    expect(await visible()).toBe(2);
  });

  it('pages the samples browser over every problem', async () => {
    const cellId = data.cells[0]?.id ?? '';
    const problems = Array.from({ length: 45 }, (_, index) => ({
      cellId,
      problem: `paged/${String(index).padStart(2, '0')}`,
      question: `Question ${String(index)}`,
      gold: String(index),
      totalSamples: 1,
      samples: [{ index: 0, text: `answer ${String(index)}`, answer: String(index), correct: index % 2 === 0, reason: 'equal' }],
    }));
    const pagedDir = freshOutputDir('browser-paged');
    await writeReport(reportFixture({ samplesBrowser: problems }), pagedDir, { figureOptions: { pngScale: 1 } });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await page.goto(pathToFileURL(join(pagedDir, 'index.html')).href, { waitUntil: 'load' });
      await page.waitForSelector('body[data-charts="done"]', { timeout: 30_000 });
      const shown = async (): Promise<string[]> => page.$$eval('#sample-list > details.problem summary code', (elements) => elements.map((element) => element.textContent ?? ''));
      const pageOf = async (): Promise<string> => page.$eval('#sample-pager .page-of', (element) => (element.textContent ?? '').trim());
      expect(await pageOf()).toBe('page 1 of 3 (45 problems)');
      expect(await shown()).toEqual(problems.slice(0, 20).map((problem) => problem.problem));
      await page.click('#sample-pager button:last-child');
      await page.click('#sample-pager button:last-child');
      expect(await pageOf()).toBe('page 3 of 3 (45 problems)');
      expect(await shown()).toEqual(problems.slice(40).map((problem) => problem.problem));
      expect(await page.$eval('#sample-pager button:last-child', (element) => (element as HTMLButtonElement).disabled)).toBe(true);
      await page.fill('#sample-search', 'paged/4');
      expect(await pageOf()).toBe('page 1 of 1 (5 problems)');
      expect(await shown()).toEqual(['paged/40', 'paged/41', 'paged/42', 'paged/43', 'paged/44']);
    } finally {
      await page.close();
    }
  });

  it('writes a screenshot of the page', async () => {
    const path = join(reportOutputDir(), 'index.png');
    const bytes = await run.page.screenshot({ path, fullPage: true });
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(bytes.length).toBeGreaterThan(50_000);
  });
});
