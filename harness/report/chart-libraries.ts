/** The vega, vega-lite and vega-embed browser builds, read from node_modules to be inlined in index.html. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { HarnessError } from '../core/errors.ts';

/** The browser (UMD) builds of the chart libraries, as JavaScript source. */
export interface ChartLibraries {
  /** vega `build/vega.min.js`: defines the global `vega`. */
  vega: string;
  /** vega-lite `build/vega-lite.min.js`: defines `vegaLite`. */
  vegaLite: string;
  /** vega-embed `build/vega-embed.min.js`: defines `vegaEmbed`. */
  vegaEmbed: string;
}

/** The path of a package's minified browser build, found beside the file its package entry resolves to. */
export function chartLibraryPath(packageName: 'vega' | 'vega-lite' | 'vega-embed'): string {
  const require = createRequire(import.meta.url);
  // The packages' export maps do not expose build/*.min.js; their entry points live in build/ too.
  const entry = require.resolve(packageName);
  return join(dirname(entry), `${packageName}.min.js`);
}

/** Reads the three builds from node_modules. Throws REPORT_LIBRARY_MISSING when one cannot be read. */
export function loadChartLibraries(): ChartLibraries {
  const read = (packageName: 'vega' | 'vega-lite' | 'vega-embed'): string => {
    let path: string = packageName;
    try {
      path = chartLibraryPath(packageName);
      return readFileSync(path, 'utf8');
    } catch (error) {
      throw new HarnessError('REPORT_LIBRARY_MISSING', `Cannot read the ${packageName} browser build (${path}).`, {
        hint: 'Install the dependencies with `npm ci`; the report inlines vega, vega-lite and vega-embed from node_modules.',
        cause: error,
      });
    }
  };
  return { vega: read('vega'), vegaLite: read('vega-lite'), vegaEmbed: read('vega-embed') };
}
