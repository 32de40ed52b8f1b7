/**
 * One colour per model and one per answer-selection method, fixed across every figure of a
 * report: a figure's colour scale lists its series with their colours explicitly (`scale.domain`
 * and `scale.range`), so blue means the same model in the coverage, compute and temperature
 * figures. Models and methods draw from two palettes that share no colour.
 */
import type { CellInfo } from '../metrics/index.ts';

/** Model colours (Tableau 10 without the browns and greys the methods use), in order of first appearance. */
export const MODEL_PALETTE: readonly string[] = ['#4c78a8', '#f58518', '#54a24b', '#e45756', '#72b7b2', '#b279a2', '#eeca3b', '#ff9da6'];

/** Colours of answer-selection methods: none is a model colour. */
export const METHOD_PALETTE: readonly string[] = ['#6a3d9a', '#17becf', '#bcbd22', '#1b9e77', '#d95f02', '#e7298a', '#66a61e', '#a6761d'];

/** The coverage ceiling of the selection figure (a method-like series): near-black. */
export const CEILING_COLOR = '#222222';

/** Majority vote in the selection figure: brown, never a model or method colour. */
export const MAJORITY_COLOR = '#8c6d31';

/**
 * Colours of a report: each model one hue; a model with several cells (thinking budgets,
 * temperatures) gives its variants shades of that hue, the first variant the hue itself.
 */
export interface ColorAssignment {
  /** Base colour per model id. */
  models: Map<string, string>;
  /** Every colour a model's cells may take (its base first): the model's colour family. */
  families: Map<string, string[]>;
  /** Colour per cell id. */
  cells: Map<string, string>;
}

/** Assigns colours to models in order of first appearance in `cells`, and to their cells. */
export function assignColors(cells: readonly CellInfo[]): ColorAssignment {
  const models = new Map<string, string>();
  const variants = new Map<string, string[]>();
  for (const cell of cells) {
    if (!models.has(cell.model)) models.set(cell.model, paletteAt(MODEL_PALETTE, models.size));
    const list = variants.get(cell.model) ?? [];
    const variant = variantKey(cell);
    if (!list.includes(variant)) list.push(variant);
    variants.set(cell.model, list);
  }
  const families = new Map<string, string[]>();
  for (const [model, base] of models) {
    const count = variants.get(model)?.length ?? 1;
    families.set(model, Array.from({ length: count }, (_, index) => shade(base, index, count)));
  }
  const colored = new Map<string, string>();
  for (const cell of cells) {
    const index = variants.get(cell.model)?.indexOf(variantKey(cell)) ?? 0;
    colored.set(cell.id, families.get(cell.model)?.[index] ?? models.get(cell.model) ?? '#4c78a8');
  }
  return { models, families, cells: colored };
}

/** Colour per selection method name, in order of first appearance. */
export function assignMethodColors(methods: readonly string[]): Map<string, string> {
  const colors = new Map<string, string>();
  for (const method of methods) if (!colors.has(method)) colors.set(method, paletteAt(METHOD_PALETTE, colors.size));
  return colors;
}

function variantKey(cell: CellInfo): string {
  return `${String(cell.thinkingBudget)}|${String(cell.temperature)}`;
}

function paletteAt(palette: readonly string[], index: number): string {
  return palette[index % palette.length] ?? '#4c78a8';
}

/**
 * Variant `index` of `count` of a hue: the hue itself first, then alternately darker and lighter
 * steps (at most 45% towards black or white), so neighbours stay apart.
 */
export function shade(hex: string, index: number, count: number): string {
  if (index === 0 || count <= 1) return hex;
  const steps = Math.ceil((count - 1) / 2);
  const step = Math.ceil(index / 2);
  const amount = (0.45 * step) / steps;
  const target = index % 2 === 1 ? 0 : 255;
  const channels = [1, 3, 5].map((start) => Number.parseInt(hex.slice(start, start + 2), 16));
  return `#${channels
    .map((channel) => Math.round(channel + (target - channel) * amount).toString(16).padStart(2, '0'))
    .join('')}`;
}
