/** The tables and panels of index.html, as HTML strings. Every value from the run is escaped. */
import { formatBudget } from './cell-labels.ts';
import { escapeHtml } from './html-escape.ts';
import { equalComputeTables, type ComputeAxis, type ReportData } from './report-data.ts';
import { assignColors } from './colors.ts';
import { methodLabel } from './selection-spec.ts';
import { isDrawable } from './spec-parts.ts';

/** A fraction as a percentage with one decimal (`0.6123` → `61.2%`); `n/a` when not finite. */
export function formatPercent(value: number | null | undefined): string {
  return isDrawable(value) ? `${(value * 100).toFixed(1)}%` : 'n/a';
}

/** A plain number with up to `digits` significant digits; `n/a` when not finite. */
export function formatNumber(value: number | null | undefined, digits = 4): string {
  if (!isDrawable(value)) return 'n/a';
  return String(Number(value.toPrecision(digits)));
}

/** A compute amount in its axis' unit: tokens as an integer, FLOPs in exponent form, dollars with a `$`. */
export function formatCompute(axis: ComputeAxis, value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (axis === 'tokens') return Math.round(value).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  if (axis === 'flops') return value.toExponential(2);
  return `$${String(Number(value.toPrecision(3)))}`;
}

const SIMULATED_BADGE = ' <span class="badge">simulated</span>';

type Labels = ReadonlyMap<string, string>;

function labelHtml(labels: Labels, cellId: string): string {
  return escapeHtml(labels.get(cellId) ?? cellId);
}

function table(headers: readonly string[], rows: readonly string[][], className = ''): string {
  const head = headers.map((header) => `<th>${header}</th>`).join('');
  const body = rows.map((cells) => `<tr>${cells.map((cell) => `<td>${cell}</td>`).join('')}</tr>`).join('\n');
  return `<div class="table-wrap"><table${className === '' ? '' : ` class="${className}"`}><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

function interval(low: number, high: number): string {
  return `<span class="ci">[${formatPercent(low)}, ${formatPercent(high)}]</span>`;
}

/** A compute amount per problem for a table: tokens with thousands separators, FLOPs as 1.2×10¹³, dollars with `$`. */
export function formatComputeShort(axis: ComputeAxis, value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'n/a';
  if (axis !== 'flops') return formatCompute(axis, value);
  const exponent = Math.floor(Math.log10(value));
  const mantissa = value / 10 ** exponent;
  return `${mantissa.toFixed(2)}×10${superscript(exponent)}`;
}

const SUPERSCRIPTS = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/** An integer in superscript digits (`13` → `¹³`, `-2` → `⁻²`). */
export function superscript(value: number): string {
  return `${value < 0 ? '⁻' : ''}${String(Math.abs(value)).replace(/\d/g, (digit) => SUPERSCRIPTS[Number(digit)] ?? digit)}`;
}

/**
 * Metrics per cell × k, grouped by cell (its label once, over its rows): coverage and majority
 * with their 95% intervals, each selection method, and compute per problem at k.
 */
export function metricsTable(data: ReportData, labels: Labels): string {
  if (data.rows.length === 0) return '<p class="empty">No metrics: the run has no checked samples yet.</p>';
  const compute = new Map(data.computePoints.map((point) => [`${point.cell.id}\u0000${String(point.k)}`, point]));
  const methods = [...new Set(data.selection.map((entry) => methodLabel(entry)))];
  const selection = new Map<string, number>();
  for (const entry of data.selection) for (const point of entry.points) selection.set(`${entry.cellId}\u0000${String(point.k)}\u0000${methodLabel(entry)}`, point.value);
  const hasFlops = data.computePoints.some((point) => point.flops !== null);
  const hasDollars = data.computePoints.some((point) => point.dollars !== null);
  const headers = [
    'k',
    'coverage@k [95% CI]',
    'majority@k [95% CI]',
    ...methods.map((method) => escapeHtml(method)),
    'Tokens / problem',
    ...(hasFlops ? ['FLOPs / problem'] : []),
    ...(hasDollars ? ['$ / problem'] : []),
  ];
  const colors = assignColors(data.cells);
  const majorityNote = data.rows.some((row) => !Number.isFinite(row.majority.value) && Number.isFinite(row.coverage.value))
    ? '<p class="note">majority@k is n/a where samples have no answer classes: programs are checked by running them, not grouped into answers, so a vote would count nothing.</p>\n'
    : '';
  const body: string[] = [];
  for (const cell of data.cells) {
    const rows = data.rows.filter((row) => row.cell.id === cell.id).sort((left, right) => left.k - right.k);
    const first = rows[0];
    if (first === undefined) continue;
    const swatch = `<span class="swatch" style="background:${colors.cells.get(cell.id) ?? '#4c78a8'}"></span>`;
    body.push(
      `<tr class="group"><th colspan="${String(headers.length)}">${swatch}${labelHtml(labels, cell.id)} <span class="meta">· n = ${String(first.n)} samples × ${String(first.problems)} problems · ${escapeHtml(cell.dataset)}</span></th></tr>`,
    );
    for (const row of rows) {
      const point = compute.get(`${cell.id}\u0000${String(row.k)}`);
      const cells = [
        String(row.k),
        `${formatPercent(row.coverage.value)} ${interval(row.coverage.low, row.coverage.high)}`,
        Number.isFinite(row.majority.value) ? `${formatPercent(row.majority.value)} ${interval(row.majority.low, row.majority.high)}` : 'n/a',
        ...methods.map((method) => formatPercent(selection.get(`${cell.id}\u0000${String(row.k)}\u0000${method}`))),
        point === undefined ? 'n/a' : formatCompute('tokens', point.tokens),
        ...(hasFlops ? [formatComputeShort('flops', point?.flops)] : []),
        ...(hasDollars ? [point?.dollars === null || point?.dollars === undefined ? 'n/a' : formatCompute('dollars', point.dollars)] : []),
      ];
      body.push(`<tr>${cells.map((text) => `<td>${text}</td>`).join('')}</tr>`);
    }
  }
  return `${majorityNote}<div class="table-wrap"><table class="numbers metrics"><thead><tr>${headers.map((header) => `<th>${header}</th>`).join('')}</tr></thead><tbody>\n${body.join('\n')}\n</tbody></table></div>`;
}

/**
 * Equal-compute tables: each configuration's accuracy at shared budgets; the best configuration
 * and runner-up are written once over each run of budgets they hold (cells span rows), not on every row.
 */
export function equalComputeTable(data: ReportData, labels: Labels): string {
  const tables = equalComputeTables(data).filter((equal) => equal.rows.length > 0);
  if (tables.length === 0) return '<p class="empty">No equal-compute comparison for this run.</p>';
  const datasetOf = new Map(data.cells.map((cell) => [cell.id, cell.dataset]));
  const colors = assignColors(data.cells);
  return tables
    .map((equal) => {
      const cellIds: string[] = [];
      for (const row of equal.rows) for (const value of row.values) if (!cellIds.includes(value.cellId)) cellIds.push(value.cellId);
      const unit = { tokens: 'tokens', flops: 'FLOPs', dollars: 'US dollars' }[equal.axis];
      // Series that are not cells (selection methods of a cell) carry no dataset of their own.
      const datasets = new Set(cellIds.map((cellId) => datasetOf.get(cellId)).filter((dataset): dataset is string => dataset !== undefined));
      const heading = equal.dataset === undefined ? '' : `<h3>${escapeHtml(equal.dataset)}</h3>\n`;
      const mixed =
        datasets.size > 1
          ? `<p class="warning">This table compares cells of different datasets (${escapeHtml([...datasets].join(', '))}); accuracies on different problems are not comparable.</p>\n`
          : '';
      const seriesLabels = new Map(Object.entries(equal.seriesLabels ?? {}));
      const swatchOf = (cellId: string): string =>
        colors.cells.has(cellId) ? `<span class="swatch" style="background:${colors.cells.get(cellId) ?? ''}"></span>` : '';
      const textOf = (cellId: string): string => seriesLabels.get(cellId) ?? labels.get(cellId) ?? cellId;
      const labelOf = (cellId: string): string => `${swatchOf(cellId)}${escapeHtml(textOf(cellId))}`;
      const spans = runLengths(equal.rows.map((row) => `${row.best}\u0000${row.runnerUp ?? ''}`));
      const body = equal.rows.map((row, index) => {
        const values = cellIds.map((cellId) => {
          const value = row.values.find((entry) => entry.cellId === cellId)?.value ?? null;
          const text = formatPercent(value);
          return `<td>${cellId === row.best ? `<strong>${text}</strong>` : text}</td>`;
        });
        const margin = `<td>${row.margin === null ? 'n/a' : `+${(row.margin * 100).toFixed(1)}`}</td>`;
        const span = spans[index] ?? 0;
        const grouped =
          span === 0
            ? ''
            : `<td class="grouped" rowspan="${String(span)}">${labelOf(row.best)}</td><td class="grouped" rowspan="${String(span)}">${row.runnerUp === null ? 'n/a' : labelOf(row.runnerUp)}</td>`;
        return `<tr><td>${escapeHtml(equal.axis === 'flops' ? formatComputeShort('flops', row.budget) : formatCompute(equal.axis, row.budget))}</td>${values.join('')}${margin}${grouped}</tr>`;
      });
      const what = equal.description ?? `${equal.metric}@k of every configuration`;
      const head = equalComputeHead(
        `Budget (${unit})`,
        cellIds.map((cellId) => ({ text: textOf(cellId), swatch: swatchOf(cellId) })),
      );
      return `${heading}${mixed}<p>${escapeHtml(what)} interpolated at the same compute budget per problem (${unit}); n/a where a budget is outside a configuration's measured range. Best and runner-up are written once over the budgets they hold. Also in <a href="equal-compute.csv">equal-compute.csv</a>.</p>\n<div class="table-wrap"><table class="numbers equal"><thead>${head}</thead><tbody>\n${body.join('\n')}\n</tbody></table></div>`;
    })
    .join('\n');
}

/**
 * The equal-compute table's header. Series named "<configuration> · <method>" (answer selection)
 * get two rows: the configuration once over its methods, then each method, so long labels are
 * not repeated and the columns stay narrow; other series get one row.
 */
export function equalComputeHead(budgetHeader: string, columns: ReadonlyArray<{ text: string; swatch: string }>): string {
  const split = columns.map((column) => {
    const at = column.text.lastIndexOf(' · ');
    return at < 0 ? null : { group: column.text.slice(0, at), method: column.text.slice(at + 3), swatch: column.swatch };
  });
  const trailing = (rows: number): string =>
    ['Margin (points)', 'Best', 'Runner-up'].map((name) => `<th${rows > 1 ? ` rowspan="${String(rows)}"` : ''}>${name}</th>`).join('');
  if (split.some((part) => part === null) || split.length === 0) {
    const cells = columns.map((column) => `<th>${column.swatch}${escapeHtml(column.text)}</th>`).join('');
    return `<tr><th>${escapeHtml(budgetHeader)}</th>${cells}${trailing(1)}</tr>`;
  }
  const parts = split.filter((part): part is { group: string; method: string; swatch: string } => part !== null);
  const groupSpans = runLengths(parts.map((part) => part.group));
  const groups = parts
    .map((part, index) => {
      const span = groupSpans[index] ?? 0;
      return span === 0 ? '' : `<th colspan="${String(span)}" class="group">${part.swatch}${escapeHtml(part.group)}</th>`;
    })
    .join('');
  const methods = parts.map((part) => `<th class="method">${escapeHtml(part.method)}</th>`).join('');
  return `<tr><th rowspan="2">${escapeHtml(budgetHeader)}</th>${groups}${trailing(2)}</tr><tr>${methods}</tr>`;
}

/** For each position, the length of the run of equal keys starting there (0 inside a run). */
export function runLengths(keys: readonly string[]): number[] {
  const spans = new Array<number>(keys.length).fill(0);
  let start = 0;
  for (let index = 1; index <= keys.length; index += 1) {
    if (index === keys.length || keys[index] !== keys[start]) {
      spans[start] = index - start;
      start = index;
    }
  }
  return spans;
}

/** Scaling-law fits and Beta forecasts per cell. */
export function fitsTable(data: ReportData, labels: Labels): string {
  const parts: string[] = [];
  if (data.fits.length > 0) {
    parts.push(
      '<p>Fitted <code>log coverage(k) ≈ a·k^b</code> on log-spaced k; RMSE in coverage units.</p>',
      table(
        ['Model', 'a', 'b', 'RMSE'],
        data.fits.map((fit) => [labelHtml(labels, fit.cellId), formatNumber(fit.a), formatNumber(fit.b), formatNumber(fit.rmse, 3)]),
        'numbers',
      ),
    );
  }
  if (data.forecasts.length > 0) {
    parts.push(
      '<p>Forecast from a Beta distribution fitted to per-problem solve rates measured with n samples, extrapolated to larger k.</p>',
      table(
        ['Model', 'Fitted at n', 'α', 'β', 'Forecast'],
        data.forecasts.map((forecast) => {
          const last = forecast.curve[forecast.curve.length - 1];
          return [
            labelHtml(labels, forecast.cellId),
            String(forecast.fittedAtN),
            formatNumber(forecast.alpha),
            formatNumber(forecast.beta),
            last === undefined ? 'n/a' : `${formatPercent(last.coverage)} at k=${String(last.k)}`,
          ];
        }),
        'numbers',
      ),
    );
  }
  return parts.length === 0 ? '<p class="empty">No scaling-law fits for this run.</p>' : parts.join('\n');
}

/** Realised thinking per cell: requested budget, strategy, tokens, budget hits, forced and empty answers. */
export function thinkingTable(data: ReportData, labels: Labels): string {
  if (data.thinking.length === 0) return '';
  const rows = data.thinking.map((entry) => {
    const warnings: string[] = [];
    if ((entry.overBudgetRate ?? 0) > 0) warnings.push('the server ignored the budget for some samples');
    if ((entry.emptyAnswerRate ?? 0) > 0) warnings.push('budget exhaustion left empty answers');
    return [
      labelHtml(labels, entry.cellId),
      escapeHtml(String(entry.requestedBudget)),
      escapeHtml(entry.strategy ?? 'unknown'),
      formatNumber(entry.meanThinkingTokens),
      formatPercent(entry.budgetHitRate),
      formatPercent(entry.forcedAnswerRate),
      formatPercent(entry.emptyAnswerRate),
      formatPercent(entry.overBudgetRate),
      warnings.length === 0 ? '' : `<span class="warning">${escapeHtml(warnings.join('; '))}</span>`,
    ];
  });
  return table(
    ['Model', 'Budget', 'Strategy', 'Mean thinking tokens', 'Budget hit', 'Forced answer', 'Empty answer', 'Over budget', 'Notes'],
    rows,
    'numbers',
  );
}

/** Selection methods at their largest k against coverage there: the gap and the share of coverage recovered. */
export function selectionTable(data: ReportData, labels: Labels): string {
  if (data.selection.length === 0) return '';
  const rows = data.selection.map((entry) => {
    const last = [...entry.points].sort((left, right) => left.k - right.k)[entry.points.length - 1];
    const coverage = last === undefined ? undefined : data.rows.find((row) => row.cell.id === entry.cellId && row.k === last.k)?.coverage.value;
    const gap = last !== undefined && coverage !== undefined ? coverage - last.value : undefined;
    return [
      labelHtml(labels, entry.cellId),
      `${escapeHtml(entry.method)}${entry.simulated ? SIMULATED_BADGE : ''}`,
      last === undefined ? 'n/a' : String(last.k),
      formatPercent(last?.value),
      formatPercent(coverage),
      gap === undefined ? 'n/a' : `${(gap * 100).toFixed(1)} points`,
      last !== undefined && coverage !== undefined && coverage > 0 ? formatPercent(last.value / coverage) : 'n/a',
    ];
  });
  return table(['Model', 'Method', 'k', 'Accuracy', 'coverage@k', 'Gap to coverage', 'Share of coverage'], rows, 'numbers');
}

/** Failed samples by error code, and duplicate samples. */
export function errorsPanel(data: ReportData, labels: Labels): string {
  const codes = Object.entries(data.errors.byCode).sort((left, right) => right[1] - left[1] || left[0].localeCompare(right[0]));
  const errors =
    data.errors.total === 0
      ? '<p>No failed samples.</p>'
      : `<p>${String(data.errors.total)} failed samples (excluded from the metrics).</p>${table(
          ['Error code', 'Samples'],
          codes.map(([code, count]) => [`<code>${escapeHtml(code)}</code>`, String(count)]),
        )}`;
  const duplicates =
    data.duplicates.count === 0
      ? '<p>No duplicate samples.</p>'
      : `<p class="warning">${String(data.duplicates.count)} samples repeat an earlier sample of the same problem word for word (a server that ignores seeds, or a cache).</p>${table(
          ['Model', 'Problem', 'Sample indices'],
          data.duplicates.groups.map((group) => [
            labelHtml(labels, group.cellId),
            escapeHtml(group.problem),
            escapeHtml(group.indices.join(', ')),
          ]),
        )}`;
  return `<h3>Errors</h3>\n${errors}\n<h3>Duplicate samples</h3>\n${duplicates}`;
}

/** The run's manifest (run.json) as indented JSON. */
export function manifestPanel(data: ReportData): string {
  return `<details open><summary>run.json</summary><pre class="json">${escapeHtml(JSON.stringify(data.manifest, null, 2) ?? '{}')}</pre></details>`;
}
