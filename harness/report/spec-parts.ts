/** Pieces shared by the Vega-Lite specs: look, colours, series labels, simulation notes. */
import type { Config, TopLevelSpec } from 'vega-lite';
import type { CellInfo } from '../metrics/index.ts';
import { cellLabels } from './cell-labels.ts';
import { assignColors, MODEL_PALETTE } from './colors.ts';

/** Options every spec builder takes. */
export interface SpecOptions {
  /** Font family of all chart text. Default `DejaVu Sans` (the font the PNGs are rendered with). */
  font?: string;
  /** Plot width in pixels. Default 560. */
  width?: number;
  /** Plot height in pixels. Default 340. */
  height?: number;
  /**
   * Fit the page: single-view figures take the width of their container (`width: "container"`,
   * `autosize: fit-x`). For the page only; files get the fixed width. Default false.
   */
  responsive?: boolean;
}

/** Default font family: the DejaVu Sans the PNG renderer is given, so SVG and PNG text match. */
export const DEFAULT_FONT = 'DejaVu Sans';

/** Model palette (see colors.ts), assigned to models in config order. */
export const PALETTE: readonly string[] = MODEL_PALETTE;

/** Chart configuration (fonts, sizes, grid) shared by every figure. */
export function chartConfig(options: SpecOptions): Config {
  return {
    font: options.font ?? DEFAULT_FONT,
    title: { anchor: 'start', fontSize: 15, subtitleFontSize: 11, subtitleColor: '#555555', offset: 12 },
    axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', gridColor: '#e8e8e8' },
    // Legends sit under the plot, so the plot keeps the figure's width and long labels are not cut.
    legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 400, symbolStrokeWidth: 2, orient: 'bottom', direction: 'vertical', columns: 1, rowPadding: 2 },
    header: { labelFontSize: 12, titleFontSize: 12 },
    view: { stroke: '#cccccc' },
  };
}

/** The series (cells) of one dataset: their labels and a colour per label that is the same in every figure. */
export interface SeriesSet {
  /** Cells of the dataset, in config order. */
  cells: CellInfo[];
  /** Label per cell id. */
  labels: Map<string, string>;
  /** Colour per label. */
  colors: Map<string, string>;
}

/** Labels and colours for the cells of one dataset; colours come from the report-wide assignment (assignColors). */
export function seriesSet(allCells: readonly CellInfo[], dataset: string): SeriesSet {
  const cells = allCells.filter((cell) => cell.dataset === dataset);
  const labels = cellLabels(cells);
  const assigned = assignColors(allCells);
  const colors = new Map<string, string>();
  for (const cell of cells) {
    const label = labels.get(cell.id);
    if (label !== undefined) colors.set(label, assigned.cells.get(cell.id) ?? PALETTE[0] ?? '#4c78a8');
  }
  return { cells, labels, colors };
}

/** A colour scale over exactly the labels present in a figure, keeping each label's fixed colour. */
export function colorScale(series: SeriesSet, present: ReadonlySet<string>): { domain: string[]; range: string[] } {
  const domain = [...series.colors.keys()].filter((label) => present.has(label));
  return { domain, range: domain.map((label) => series.colors.get(label) ?? '#4c78a8') };
}

/** Subtitle lines of a figure: its own note, then a warning when any plotted series is simulated. */
export function subtitle(note: string | string[], anySimulated: boolean): string[] {
  const lines = Array.isArray(note) ? note : [note];
  return anySimulated ? [...lines, 'Includes simulated models, marked "(simulated)": their samples do not come from a language model.'] : lines;
}

/** Whether a number can be drawn (finite). */
export function isDrawable(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** A file-name-safe form of a dataset id. */
export function slug(text: string): string {
  const cleaned = text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return cleaned === '' ? 'dataset' : cleaned;
}

/** One data record of a figure. */
export type Datum = Record<string, string | number>;

/** One layer of a layered spec, as Vega-Lite types it. */
export type Layer = Extract<TopLevelSpec, { layer: unknown }>['layer'][number];

/** Title of every k axis. */
export const K_AXIS_TITLE = 'Samples per problem, k (log scale)';

/** Legend of a line chart's colours: short solid strokes, not the faded symbols of areas and points. */
export const LINE_LEGEND = { symbolType: 'stroke', symbolStrokeWidth: 3, symbolOpacity: 1, symbolDash: [1, 0] };

/** A spec title: the text, then the subtitle lines (see subtitle). */
export function titleOf(text: string, note: string | string[], anySimulated: boolean): { text: string; subtitle: string[] } {
  return { text, subtitle: subtitle(note, anySimulated) };
}

/** The Vega-Lite schema every spec names. */
export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/**
 * What every single-view figure starts with: schema, title, size (the options', else 640 wide, or the
 * container's width when responsive, and
 * `defaultHeight` high), white background, the shared look, and its records inlined.
 */
export function specFrame(
  title: { text: string; subtitle: string[] },
  records: Datum[],
  options: SpecOptions,
  defaultHeight = 340,
): {
  $schema: string;
  title: { text: string; subtitle: string[] };
  width: number | 'container';
  height: number;
  autosize?: { type: 'fit-x'; contains: 'padding' };
  background: string;
  config: Config;
  data: { values: Datum[] };
} {
  return {
    $schema: VEGA_LITE_SCHEMA,
    title,
    width: options.responsive === true ? 'container' : (options.width ?? 640),
    height: options.height ?? defaultHeight,
    ...(options.responsive === true ? { autosize: { type: 'fit-x', contains: 'padding' } as const } : {}),
    background: 'white',
    config: chartConfig(options),
    data: { values: records },
  };
}

/** The series labels that occur in a figure's records. */
export function presentLabels(records: readonly Datum[]): Set<string> {
  return new Set(records.map((record) => String(record.series)));
}

/** Whether any plotted series is a simulated model. */
export function anySimulatedIn(series: SeriesSet, present: ReadonlySet<string>): boolean {
  return series.cells.some((cell) => cell.simulated && present.has(series.labels.get(cell.id) ?? ''));
}

/** [0, 1] as a fresh mutable array (Vega-Lite's types take mutable arrays). */
export function unitDomain(): number[] {
  return [0, 1];
}
