/**
 * Opens the written index.html in headless Chromium (Debian's `chromium`, driven by
 * playwright-core) from disk: every chart drawn, no console errors, no request but the file
 * itself, hostile sample text shown as text and never run, and a screenshot for people to look at.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_PATH, hasChromium } from '../helpers/shared-data.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  const data = reportFixture();
  const figureNames = buildFigureSpecs(data).map((figure) => figure.name);

  beforeAll(async () => {
    const runDir = freshOutputDir('browser');
    await writeReport(data, runDir, { figures: false });
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

  it('filters the samples browser by model', async () => {
    const visible = async (): Promise<number> =>
      run.page.$$eval('#sample-list > details.problem', (elements) => elements.filter((element) => !(element as HTMLElement).hidden).length);
    expect(await visible()).toBe(2);
    await run.page.selectOption('#sample-filter', data.cells[1]?.id ?? '');
    expect(await visible()).toBe(1);
    await run.page.selectOption('#sample-filter', '');
    expect(await visible()).toBe(2);
  });

  it('writes a screenshot of the page', async () => {
    const path = join(reportOutputDir(), 'index.png');
    const bytes = await run.page.screenshot({ path, fullPage: true });
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(bytes.length).toBeGreaterThan(50_000);
  });
});
