/**
 * The headline of a report: per dataset, a few computed sentences a reader takes away ("coverage
 * went from 26.0% at k = 1 to 88.0% at k = 250; majority@k plateaued at 35.0%"; who wins at equal
 * compute and by how much; what selection reached). The same facts go to summary.json, so the
 * sentences can be checked against metrics.csv.
 */
import type { MetricRow } from '../metrics/index.ts';
import { cellLabels } from './cell-labels.ts';
import { equalComputeTables, type ComputeAxis, type ReportData } from './report-data.ts';

/** majority@k counts as plateaued when it grew by less than this (in accuracy) over the last quarter of the k range (log-wise). */
export const PLATEAU_POINTS = 0.01;

/** The measured facts behind one cell's sentence (fractions in [0, 1]). */
export interface CellHeadline {
  /** Cell id. */
  cell: string;
  /** Label used in the sentence and the figures. */
  label: string;
  /** Smallest k measured. */
  firstK: number;
  /** coverage@firstK. */
  coverageFirst: number;
  /** Largest k measured. */
  lastK: number;
  /** coverage@lastK. */
  coverageLast: number;
  /** majority@lastK; null when not applicable (programs). */
  majorityLast: number | null;
  /** Whether majority@k grew by less than PLATEAU_POINTS between k = lastK/4 (or the nearest k below) and lastK. */
  majorityPlateaued: boolean;
}

/** Who wins at equal compute on a dataset. */
export interface EqualComputeHeadline {
  /** Compute axis. */
  axis: ComputeAxis;
  /** Budgets compared (rows with a runner-up). */
  budgets: number;
  /** Labels of the configurations compared. */
  compared: string[];
  /** Per configuration that is best somewhere: label, budgets won, largest margin (accuracy). */
  winners: Array<{ cell: string; label: string; budgetsWon: number; maxMargin: number }>;
}

/** The headline of one dataset. */
export interface DatasetHeadline {
  /** Dataset id. */
  dataset: string;
  /** The sentences, in order. */
  sentences: string[];
  /** Facts per cell (every cell of the dataset, in report order). */
  cells: CellHeadline[];
  /** Equal-compute facts, when a table compares two or more configurations. */
  equalCompute: EqualComputeHeadline | null;
  /** Selection facts: per cell and method, accuracy at the method's largest k. */
  selection: Array<{ cell: string; method: string; k: number; accuracy: number }>;
}

/** Cells named one by one in the sentences; more are summed up. */
const MAX_CELL_SENTENCES = 4;

/** A fraction as a percentage with one decimal. */
export function percent(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

const AXIS_WORDS: Record<ComputeAxis, string> = { tokens: 'token', flops: 'FLOPs', dollars: 'dollar' };

/** The headline of every dataset of the report, in dataset order. */
export function buildHeadlines(data: Pick<ReportData, 'cells' | 'rows' | 'equalCompute' | 'selection'>): DatasetHeadline[] {
  const datasets = [...new Set(data.cells.map((cell) => cell.dataset))];
  return datasets.map((dataset) => {
    const cells = data.cells.filter((cell) => cell.dataset === dataset);
    const labels = cellLabels(cells);
    const facts = cells.flatMap((cell) => {
      const fact = cellHeadline(cell.id, labels.get(cell.id) ?? cell.id, data.rows.filter((row) => row.cell.id === cell.id));
      return fact === null ? [] : [fact];
    });
    const equal = equalComputeHeadline(data, dataset, labels);
    const selection = data.selection
      .filter((entry) => cells.some((cell) => cell.id === entry.cellId))
      .flatMap((entry) => {
        const last = [...entry.points].sort((left, right) => left.k - right.k).at(-1);
        return last === undefined ? [] : [{ cell: entry.cellId, method: entry.method, k: last.k, accuracy: last.value }];
      });
    const sentences = [
      ...cellSentences(facts),
      ...(equal === null ? [] : [equalComputeSentence(equal)]),
      ...selectionSentences(selection, labels, data.rows),
    ];
    return { dataset, sentences, cells: facts, equalCompute: equal, selection };
  });
}

/** The facts of one cell, or null without finite coverage. */
export function cellHeadline(cell: string, label: string, rows: readonly MetricRow[]): CellHeadline | null {
  const measured = rows.filter((row) => Number.isFinite(row.coverage.value)).sort((left, right) => left.k - right.k);
  const first = measured[0];
  const last = measured.at(-1);
  if (first === undefined || last === undefined) return null;
  const majorityLast = Number.isFinite(last.majority.value) ? last.majority.value : null;
  const quarter = [...measured].reverse().find((row) => row.k <= last.k / 4) ?? first;
  const plateaued = majorityLast !== null && last.k > first.k && majorityLast - quarter.majority.value < PLATEAU_POINTS;
  return { cell, label, firstK: first.k, coverageFirst: first.coverage.value, lastK: last.k, coverageLast: last.coverage.value, majorityLast, majorityPlateaued: plateaued };
}

function cellSentences(facts: readonly CellHeadline[]): string[] {
  const ranked = [...facts].sort((left, right) => right.coverageLast - left.coverageLast);
  const shown = ranked.slice(0, MAX_CELL_SENTENCES);
  const sentences = shown.map((fact) => {
    const coverage =
      fact.lastK === fact.firstK
        ? `coverage@${String(fact.lastK)} is ${percent(fact.coverageLast)}`
        : `coverage went from ${percent(fact.coverageFirst)} at k = ${String(fact.firstK)} to ${percent(fact.coverageLast)} at k = ${String(fact.lastK)}`;
    const majority =
      fact.majorityLast === null
        ? 'majority@k n/a (no answer classes)'
        : `majority@k ${fact.majorityPlateaued ? 'plateaued at' : 'reached'} ${percent(fact.majorityLast)}`;
    return `${fact.label}: ${coverage}; ${majority}.`;
  });
  if (ranked.length > shown.length) sentences.push(`${String(ranked.length - shown.length)} more configurations in the metrics table.`);
  return sentences;
}

function equalComputeHeadline(data: Pick<ReportData, 'equalCompute'>, dataset: string, labels: ReadonlyMap<string, string>): EqualComputeHeadline | null {
  const table = equalComputeTables(data).find((entry) => entry.dataset === dataset && entry.seriesLabels === undefined) ??
    (equalComputeTables(data).length === 1 && equalComputeTables(data)[0]?.dataset === undefined ? equalComputeTables(data)[0] : undefined);
  const rows = (table?.rows ?? []).filter((row) => row.margin !== null);
  if (table === undefined || rows.length === 0) return null;
  const winners = new Map<string, { cell: string; label: string; budgetsWon: number; maxMargin: number }>();
  for (const row of rows) {
    const entry = winners.get(row.best) ?? { cell: row.best, label: labels.get(row.best) ?? row.best, budgetsWon: 0, maxMargin: 0 };
    entry.budgetsWon += 1;
    entry.maxMargin = Math.max(entry.maxMargin, row.margin ?? 0);
    winners.set(row.best, entry);
  }
  const sorted = [...winners.values()].sort((left, right) => right.budgetsWon - left.budgetsWon);
  const compared = [...new Set(rows.flatMap((row) => row.values.map((value) => value.cellId)))].map((id) => labels.get(id) ?? id);
  return { axis: table.axis, budgets: rows.length, compared, winners: sorted };
}

function equalComputeSentence(equal: EqualComputeHeadline): string {
  const word = AXIS_WORDS[equal.axis];
  const points = (margin: number): string => `${(margin * 100).toFixed(1)} points`;
  const [top] = equal.winners;
  if (top !== undefined && equal.winners.length === 1) {
    const other = equal.compared.filter((label) => label !== top.label);
    if (other.length === 1) {
      return `${top.label} beats ${other[0] ?? ''} at every ${word} budget compared (${String(equal.budgets)}), by up to ${points(top.maxMargin)} of coverage.`;
    }
    return `At equal compute, ${top.label} is best at every ${word} budget compared (${String(equal.budgets)}), by up to ${points(top.maxMargin)} of coverage.`;
  }
  const parts = equal.winners.map((winner) => `${winner.label} at ${String(winner.budgetsWon)} (by up to ${points(winner.maxMargin)})`);
  return `At equal compute, the best configuration changes with the ${word} budget: of ${String(equal.budgets)} budgets, ${parts.join(', ')}.`;
}

/** One sentence per cell and k: each method's accuracy there, against coverage and majority. */
function selectionSentences(
  selection: ReadonlyArray<{ cell: string; method: string; k: number; accuracy: number }>,
  labels: ReadonlyMap<string, string>,
  rows: readonly MetricRow[],
): string[] {
  const groups = new Map<string, Array<{ cell: string; method: string; k: number; accuracy: number }>>();
  for (const entry of selection) {
    const key = `${entry.cell}\u0000${String(entry.k)}`;
    groups.set(key, [...(groups.get(key) ?? []), entry]);
  }
  return [...groups.values()].map((entries) => {
    const first = entries[0] as { cell: string; k: number };
    const methods = entries.map((entry) => `${entry.method} ${percent(entry.accuracy)}`).join(', ');
    return `${labels.get(first.cell) ?? first.cell}, answer selection at k = ${String(first.k)}: ${methods}${coverageNote(rows, first.cell, first.k)}.`;
  });
}

function coverageNote(rows: readonly MetricRow[], cell: string, k: number): string {
  const row = rows.find((entry) => entry.cell.id === cell && entry.k === k);
  if (row === undefined || !Number.isFinite(row.coverage.value)) return '';
  const majority = Number.isFinite(row.majority.value) ? `, majority@${String(k)} ${percent(row.majority.value)}` : '';
  return ` (coverage@${String(k)} ${percent(row.coverage.value)}${majority})`;
}

/** summary.json: the headlines as a JSON document (fractions, not percentages). */
export function summaryJson(data: Pick<ReportData, 'title' | 'cells' | 'rows' | 'equalCompute' | 'selection'>): string {
  return `${JSON.stringify({ title: data.title, datasets: buildHeadlines(data) }, null, 2)}\n`;
}
