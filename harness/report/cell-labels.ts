/** Human-readable names for cells in legends and tables. */
import type { CellInfo } from '../metrics/index.ts';

/** Suffix every label of a simulated model carries, in legends, tables and titles. */
export const SIMULATED_SUFFIX = ' (simulated)';

/**
 * A label per cell id that names only what varies between the given cells: the model always,
 * then the dataset, thinking budget and temperature when more than one value occurs; simulated
 * models get " (simulated)". Two cells that would share a label get their cell id appended.
 */
export function cellLabels(cells: readonly CellInfo[]): Map<string, string> {
  const datasets = new Set(cells.map((cell) => cell.dataset));
  const budgets = new Set(cells.map((cell) => cell.thinkingBudget));
  const temperatures = new Set(cells.map((cell) => cell.temperature));
  const labels = new Map<string, string>();
  for (const cell of cells) {
    const parts = [cell.model];
    if (datasets.size > 1) parts.push(cell.dataset);
    if (budgets.size > 1) parts.push(`think ${formatBudget(cell.thinkingBudget)}`);
    if (temperatures.size > 1) parts.push(`T=${String(cell.temperature)}`);
    labels.set(cell.id, `${parts.join(' · ')}${cell.simulated ? SIMULATED_SUFFIX : ''}`);
  }
  const counts = new Map<string, number>();
  for (const label of labels.values()) counts.set(label, (counts.get(label) ?? 0) + 1);
  for (const [id, label] of labels) {
    if ((counts.get(label) ?? 0) > 1) labels.set(id, `${label} [${id}]`);
  }
  return labels;
}

/** A thinking budget as shown to people: `off` for 0, else the token count (`1024`, `16k`). */
export function formatBudget(budget: number): string {
  if (budget === 0) return 'off';
  if (budget >= 1024 && budget % 1024 === 0) return `${String(budget / 1024)}k`;
  return String(budget);
}
