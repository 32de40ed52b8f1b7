/**
 * KaTeX, the maintained math renderer the samples browser typesets questions and answers with,
 * read from node_modules to be inlined in index.html: its browser build, and its stylesheet with
 * every font as a data: URL (woff2 only), so the page typesets math offline, opened from disk.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { HarnessError } from '../core/errors.ts';

/** KaTeX for the page. */
export interface MathLibrary {
  /** `katex.min.js`: defines the global `katex`. */
  script: string;
  /** `katex.min.css` with its fonts inlined as data: URLs. */
  css: string;
}

/** The stylesheet with each `@font-face` source replaced by the woff2 font as a data: URL. */
export function inlineKatexFonts(css: string, readFont: (file: string) => Buffer): string {
  return css.replace(/src:url\((fonts\/[^)]+\.woff2)\) format\("woff2"\)(?:,url\([^)]+\) format\("[a-z]+"\))*/g, (_match, file: string) => {
    return `src:url(data:font/woff2;base64,${readFont(file).toString('base64')}) format("woff2")`;
  });
}

/** Reads KaTeX from node_modules. Throws REPORT_LIBRARY_MISSING when it cannot be read. */
export function loadMathLibrary(): MathLibrary {
  const require = createRequire(import.meta.url);
  let path = 'katex';
  try {
    path = require.resolve('katex/dist/katex.min.js');
    const folder = dirname(path);
    const css = readFileSync(join(folder, 'katex.min.css'), 'utf8');
    return { script: readFileSync(path, 'utf8'), css: inlineKatexFonts(css, (file) => readFileSync(join(folder, file))) };
  } catch (error) {
    throw new HarnessError('REPORT_LIBRARY_MISSING', `Cannot read KaTeX (${path}).`, {
      hint: 'Install the dependencies with `npm ci`; the report inlines KaTeX from node_modules to typeset math.',
      cause: error,
    });
  }
}
