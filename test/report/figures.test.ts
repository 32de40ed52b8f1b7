/** Figure files: Vega-Lite JSON, SVG text in DejaVu Sans, PNGs rasterised with explicit font files. */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../harness/core/errors.ts';
import { defaultFontFiles, renderPng, renderSvg, writeFigures } from '../../harness/report/figures.ts';
import { buildFigureSpecs } from '../../harness/report/specs.ts';
import { reportFixture } from './fixture.ts';
import { freshOutputDir } from './output-dir.ts';

const data = reportFixture();

function pngSize(bytes: Buffer): { width: number; height: number } {
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

function svgSize(svg: string): { width: number; height: number } {
  const match = /<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg);
  return { width: Number(match?.[1]), height: Number(match?.[2]) };
}

describe('writeFigures', () => {
  it('writes .vl.json, .svg and .png per figure; SVG text carries the title in DejaVu Sans; PNGs are real images', async () => {
    const dir = join(freshOutputDir('figures'), 'figures');
    const warnings: string[] = [];
    const files = await writeFigures(data, dir, { onWarning: (message) => warnings.push(message) });
    const figures = buildFigureSpecs(data);
    expect(files.map((file) => basename(file))).toEqual(figures.flatMap((figure) => [`${figure.name}.vl.json`, `${figure.name}.svg`, `${figure.name}.png`]));
    expect(warnings).toEqual([]);
    for (const figure of figures) {
      const spec = JSON.parse(readFileSync(join(dir, `${figure.name}.vl.json`), 'utf8')) as { title: { text: string }; config: { font: string } };
      expect(spec.title.text).toBe(figure.title);
      expect(spec.config.font).toBe('DejaVu Sans');

      const svg = readFileSync(join(dir, `${figure.name}.svg`), 'utf8');
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg).toMatch(new RegExp(`<text[^>]*font-family="DejaVu Sans"[^>]*>${escapeRegExp(figure.title)}</text>`));

      const png = readFileSync(join(dir, `${figure.name}.png`));
      expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
      expect(png.length).toBeGreaterThan(20_000);
      const size = svgSize(svg);
      expect(pngSize(png)).toEqual({ width: size.width * 2, height: size.height * 2 });
    }
    const coverageSvg = readFileSync(join(dir, 'coverage.svg'), 'utf8');
    for (const text of ['Samples per problem, k (log scale)', 'coverage@k (fraction of problems solved)', 'Model', 'sim-70b · think off (simulated)', 'Beta fitted at n', 'forecast']) {
      expect(coverageSvg).toContain(`>${text}</text>`);
    }
  });

  it('renders text into the PNG only through the given fonts (text changes pixels)', async () => {
    const spec = buildFigureSpecs(data)[0]?.spec;
    if (spec === undefined) throw new Error('no figure');
    const svg = await renderSvg(spec);
    const withText = renderPng(svg, defaultFontFiles(), { scale: 1 });
    const withoutText = renderPng(svg.replace(/<text\b[^>]*>[^<]*<\/text>/g, ''), defaultFontFiles(), { scale: 1 });
    expect(withText.length).toBeGreaterThan(withoutText.length + 5_000);
  });

  it.each([
    [[], 'No font files were given for PNG figures.'],
    [['/nonexistent/font.ttf'], 'Font files not found: /nonexistent/font.ttf.'],
  ])('fails with REPORT_FONT_MISSING for fonts %j', (fontFiles, message) => {
    let caught: unknown;
    try {
      renderPng('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', fontFiles);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(HarnessError);
    expect((caught as HarnessError).code).toBe('REPORT_FONT_MISSING');
    expect((caught as HarnessError).message).toBe(message);
  });

  it('finds DejaVu Sans regular and bold in the dejavu-fonts-ttf package', () => {
    expect(defaultFontFiles().map((file) => basename(file))).toEqual(['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf']);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
