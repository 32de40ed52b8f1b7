/**
 * Figures as files for papers: each figure's Vega-Lite spec (`.vl.json`), an SVG rendered by
 * Vega headless, and a PNG rasterised by resvg with font files passed explicitly, so text renders
 * the same on every machine (no system fonts are consulted).
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { HarnessError } from '../core/errors.ts';
import { writeFileAtomic } from '../store/atomic-file.ts';
import type { StoreFs } from '../store/store-fs.ts';
import type { ReportData } from './report-data.ts';
import { DEFAULT_FONT } from './spec-parts.ts';
import { buildFigureSpecs, type FigureSpec, type SpecOptions } from './specs.ts';

/** Options of writeFigures. */
export interface FigureOptions {
  /** TrueType files the PNG renderer may use. Default: DejaVu Sans (regular and bold) from the `dejavu-fonts-ttf` package. */
  fontFiles?: string[];
  /** PNG pixels per SVG pixel. Default 2. */
  pngScale?: number;
  /** Spec options (font family, sizes). The font family must be one of the font files' families. Default font `DejaVu Sans`. */
  specs?: SpecOptions;
  /** Receives Vega and Vega-Lite warnings (none are printed). Default: warnings are dropped. */
  onWarning?: (message: string) => void;
  /** File-system calls of the atomic writes (tests inject failures); default node:fs. */
  fs?: StoreFs;
}

/** The DejaVu Sans regular and bold TrueType files shipped in the `dejavu-fonts-ttf` package. */
export function defaultFontFiles(): string[] {
  const require = createRequire(import.meta.url);
  return ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((file) => require.resolve(`dejavu-fonts-ttf/ttf/${file}`));
}

/** Renders a Vega-Lite spec to an SVG document with Vega headless (no browser, no canvas). */
export async function renderSvg(spec: TopLevelSpec, onWarning?: (message: string) => void): Promise<string> {
  const logger = vega.logger(vega.Warn, undefined, (_method, _level, input) => {
    onWarning?.(input.map((part) => (part instanceof Error ? part.message : String(part))).join(' '));
  });
  const compiled = compile(spec, { logger }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logger });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Rasterises an SVG document to PNG bytes with only the given font files (system fonts are not loaded). */
export function renderPng(svg: string, fontFiles: readonly string[], options: { scale?: number; defaultFontFamily?: string } = {}): Buffer {
  const missing = fontFiles.filter((file) => !existsSync(file));
  if (fontFiles.length === 0 || missing.length > 0) {
    throw new HarnessError(
      'REPORT_FONT_MISSING',
      fontFiles.length === 0 ? 'No font files were given for PNG figures.' : `Font files not found: ${missing.join(', ')}.`,
      { hint: 'Pass existing .ttf files in fontFiles, or omit fontFiles to use DejaVu Sans from the dejavu-fonts-ttf package.' },
    );
  }
  const renderer = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: options.scale ?? 2 },
    font: { fontFiles: [...fontFiles], loadSystemFonts: false, defaultFontFamily: options.defaultFontFamily ?? DEFAULT_FONT },
  });
  return renderer.render().asPng();
}

/**
 * Writes every figure of the report into `dir` (created if missing) as `<name>.vl.json`,
 * `<name>.svg` and `<name>.png`. Returns the paths written, in figure order.
 */
export async function writeFigures(data: ReportData, dir: string, options: FigureOptions = {}): Promise<string[]> {
  const figures = buildFigureSpecs(data, options.specs ?? {});
  return writeFigureFiles(figures, dir, options);
}

/** Writes already-built figure specs (see writeFigures). */
export async function writeFigureFiles(figures: readonly FigureSpec[], dir: string, options: FigureOptions = {}): Promise<string[]> {
  const fontFiles = options.fontFiles ?? defaultFontFiles();
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const figure of figures) {
    const svg = await renderSvg(figure.spec, options.onWarning);
    const png = renderPng(svg, fontFiles, {
      ...(options.pngScale === undefined ? {} : { scale: options.pngScale }),
      defaultFontFamily: options.specs?.font ?? DEFAULT_FONT,
    });
    const files: Array<[string, string | Buffer]> = [
      [`${figure.name}.vl.json`, `${JSON.stringify(figure.spec, null, 2)}\n`],
      [`${figure.name}.svg`, svg],
      [`${figure.name}.png`, png],
    ];
    for (const [name, content] of files) {
      const path = join(dir, name);
      writeFileAtomic(path, content, { errorCode: 'REPORT_WRITE_FAILED', ...(options.fs ? { fs: options.fs } : {}) });
      written.push(path);
    }
  }
  return written;
}
