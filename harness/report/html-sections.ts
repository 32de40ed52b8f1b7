/** The tables and panels of index.html, as HTML strings. Every value from the run is escaped. */
import { formatBudget } from './cell-labels.ts';
import { escapeHtml } from './html-escape.ts';
import { equalComputeTables, type ComputeAxis, type ReportData } from './report-data.ts';
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

/** Metrics per cell × k: coverage and majority with their 95% intervals, n, problems, tokens. */
export function metricsTable(data: ReportData, labels: Labels): string {
  if (data.rows.length === 0) return '<p class="empty">No metrics: the run has no checked samples yet.</p>';
  const rows = data.rows.map((row) => [
    labelHtml(labels, row.cell.id),
    escapeHtml(row.cell.dataset),
    escapeHtml(formatBudget(row.cell.thinkingBudget)),
    escapeHtml(String(row.cell.temperature)),
    String(row.k),
    `${formatPercent(row.coverage.value)} ${interval(row.coverage.low, row.coverage.high)}`,
    `${formatPercent(row.majority.value)} ${interval(row.majority.low, row.majority.high)}`,
    String(row.n),
    String(row.problems),
    formatNumber(row.meanCompletionTokens),
    formatNumber(row.meanThinkingTokens),
    formatNumber(row.meanPromptTokens),
  ]);
  return table(
    ['Model', 'Dataset', 'Thinking', 'T', 'k', 'coverage@k [95% CI]', 'majority@k [95% CI]', 'n', 'Problems', 'Completion tokens', 'Thinking tokens', 'Prompt tokens'],
    rows,
    'numbers',
  );
}

/** Equal-compute tables: each cell's accuracy at shared budgets, the best configuration and its margin. */
export function equalComputeTable(data: ReportData, labels: Labels): string {
  const tables = equalComputeTables(data).filter((equal) => equal.rows.length > 0);
  if (tables.length === 0) return '<p class="empty">No equal-compute comparison for this run.</p>';
  const datasetOf = new Map(data.cells.map((cell) => [cell.id, cell.dataset]));
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
      const labelOf = (cellId: string): string => (seriesLabels.has(cellId) ? escapeHtml(seriesLabels.get(cellId) ?? cellId) : labelHtml(labels, cellId));
      const rows = equal.rows.map((row) => [
        formatCompute(equal.axis, row.budget),
        ...cellIds.map((cellId) => {
          const value = row.values.find((entry) => entry.cellId === cellId)?.value ?? null;
          const text = formatPercent(value);
          return cellId === row.best ? `<strong>${text}</strong>` : text;
        }),
        labelOf(row.best),
        row.margin === null ? 'n/a' : `+${(row.margin * 100).toFixed(1)} points`,
        row.runnerUp === null ? 'n/a' : labelOf(row.runnerUp),
      ]);
      const what = equal.description ?? `${equal.metric}@k of every configuration`;
      return `${heading}${mixed}<p>${escapeHtml(what)} interpolated at the same compute budget per problem (${unit}); n/a where a budget is outside a configuration's measured range.</p>\n${table(
        [`Budget (${unit})`, ...cellIds.map((cellId) => labelOf(cellId)), 'Best', 'Margin', 'Runner-up'],
        rows,
        'numbers',
      )}`;
    })
    .join('\n');
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

/** The samples browser: per cell and problem, the question, gold answer and samples, all text escaped. */
export function samplesBrowser(data: ReportData, labels: Labels): string {
  if (data.samplesBrowser.length === 0) return '<p class="empty">No samples to show.</p>';
  const present = data.cells.filter((cell) => data.samplesBrowser.some((entry) => entry.cellId === cell.id));
  const options = present
    .map((cell) => `<option value="${escapeHtml(cell.id)}">${labelHtml(labels, cell.id)}</option>`)
    .join('');
  const problems = data.samplesBrowser.map((entry) => {
    const correct = entry.samples.filter((sample) => sample.correct).length;
    const total = entry.totalSamples ?? entry.samples.length;
    const samples = entry.samples
      .map((sample) => {
        const verdict = sample.correct ? '<span class="ok">✓ correct</span>' : '<span class="bad">✗ wrong</span>';
        const answer = sample.answer === null ? '<em>no answer</em>' : `<code>${escapeHtml(sample.answer)}</code>`;
        const thinking =
          sample.thinking === undefined || sample.thinking === ''
            ? ''
            : `<details class="thinking"><summary>thinking</summary><pre class="text">${escapeHtml(sample.thinking)}</pre></details>`;
        return `<div class="sample ${sample.correct ? 'correct' : 'wrong'}"><div class="sample-head">#${String(sample.index)} · ${verdict} · answer ${answer} · <span class="reason">${escapeHtml(sample.reason)}</span></div>${thinking}<pre class="text">${escapeHtml(sample.text)}</pre></div>`;
      })
      .join('\n');
    const question = entry.question === undefined ? '' : `<div class="question"><strong>Question</strong><pre class="text">${escapeHtml(entry.question)}</pre></div>`;
    const gold = entry.gold === undefined ? '' : `<div><strong>Gold answer</strong> <code>${escapeHtml(entry.gold)}</code></div>`;
    return `<details class="problem" data-cell="${escapeHtml(entry.cellId)}"><summary>${labelHtml(labels, entry.cellId)} — <code>${escapeHtml(entry.problem)}</code> — ${String(correct)} of ${String(entry.samples.length)} shown correct (${String(total)} samples)</summary>${question}${gold}\n${samples}</details>`;
  });
  return `<label>Model <select id="sample-filter"><option value="">all</option>${options}</select></label>\n<div id="sample-list">\n${problems.join('\n')}\n</div>`;
}
