/** The "Compute-optimal scaling" section of index.html: per dataset, the policy per bin × budget and its saving. */
import type { ComputeOptimalAnalysis } from '../metrics/index.ts';
import { escapeHtml } from './html-escape.ts';
import { formatCompute, formatPercent } from './html-sections.ts';
import type { ReportData } from './report-data.ts';

const SIMULATED_BADGE = ' <span class="badge">simulated</span>';

/** The section's HTML; '' when the report has no analysis (the section is then left out). */
export function computeOptimalSection(data: ReportData): string {
  const analyses = data.computeOptimal ?? [];
  if (analyses.length === 0) return '';
  const voting = votingCeilingTable(data);
  return `${analyses.map(analysisHtml).join('\n')}${voting}\n<p class="meta">Files: <code>compute-optimal.csv</code> (curve and saving per budget), <code>compute-optimal-policy.csv</code> (choice per bin × budget).</p>`;
}

function analysisHtml(analysis: ComputeOptimalAnalysis): string {
  const labels = new Map(analysis.strategies.map((strategy) => [strategy.id, strategy.label]));
  const name = (id: string | undefined): string => escapeHtml(labels.get(id ?? '') ?? id ?? 'n/a');
  const budget = (value: number): string => escapeHtml(formatCompute(analysis.axis, value));
  const difficulty = analysis.difficulty.source === 'oracle' ? 'oracle difficulty (pass@1 of the verified samples)' : `predicted difficulty (mean score of ${escapeHtml(analysis.difficulty.scorer)})`;
  const rows = analysis.choices
    .filter((choice) => choice.problems > 0)
    .map((choice) => {
      const bin = analysis.bins[choice.bin - 1];
      return `<tr><td>${String(choice.bin)} <span class="ci">(${String(choice.problems)}; pass@1 ${formatPercent(bin?.lowest)}–${formatPercent(bin?.highest)})</span></td><td>${budget(choice.budget)}</td><td>${choice.chosen === null ? 'n/a' : `${name(choice.chosen.strategy)}, N=${String(choice.chosen.n)} <span class="ci">(${formatPercent(choice.chosenShare)} of splits)</span>`}</td><td>${formatPercent(choice.heldOutAccuracy)}</td><td>${formatPercent(choice.chosenAccuracy)}</td><td>${choice.runnerUp === null ? 'n/a' : `${name(choice.runnerUp.strategy)}, N=${String(choice.runnerUp.n)}: ${formatPercent(choice.runnerUpAccuracy)}`}</td></tr>`;
    })
    .join('\n');
  const saving = analysis.efficiency
    .map((point, index) => {
      const accuracy = analysis.curve[index]?.accuracy;
      const ratio =
        point.ratio.value === null
          ? `no single strategy reaches it (&gt; ${(point.ratioAtLeast ?? 0).toFixed(2)}×)`
          : `${point.ratio.value.toFixed(2)}× <span class="ci">[${point.ratio.low === null ? 'n/a' : point.ratio.low.toFixed(2)}, ${point.ratio.high === null ? '∞' : point.ratio.high.toFixed(2)}]</span> — ${name(point.baseline ?? undefined)}`;
      return `<tr><td>${budget(point.budget)}</td><td>${formatPercent(accuracy?.value)} <span class="ci">[${formatPercent(accuracy?.low)}, ${formatPercent(accuracy?.high)}]</span></td><td>${ratio}</td></tr>`;
    })
    .join('\n');
  const settings = analysis.settings;
  return `<h3>${escapeHtml(analysis.dataset)}${analysis.simulated ? SIMULATED_BADGE : ''}</h3>
<p>Which strategy to spend a budget on, by difficulty (Snell et al. 2024): ${String(analysis.problems)} problems in ${String(settings.bins)} quantile bins of ${difficulty}, bin 1 the easiest; strategies are every cell × answer-picking method at every N, on ${escapeHtml(analysis.axis)} per problem. The policy is chosen on ${String(settings.folds - 1)} of ${String(settings.folds)} folds of problems and scored on the fold left out, over ${String(settings.repeats)} seeded splits (seed ${String(settings.seed)}); intervals: 95% bootstrap over problems, ${String(settings.bootstrapDraws)} draws.${analysis.simulated ? ' <strong>Simulated:</strong> some samples or scores come from the sim provider, not a model.' : ''}</p>
<div class="table-wrap"><table class="numbers wrap"><thead><tr><th>Bin (problems; pass@1)</th><th>Budget</th><th>Chosen (most splits)</th><th>Policy accuracy (held-out)</th><th>Chosen, all bin problems</th><th>Runner-up, all bin problems</th></tr></thead><tbody>
${rows}
</tbody></table></div>
<div class="table-wrap"><table class="numbers wrap"><thead><tr><th>Budget</th><th>Policy accuracy [95% CI]</th><th>Compute the best single strategy needs ÷ budget [95% CI]</th></tr></thead><tbody>
${saving}
</tbody></table></div>`;
}

function votingCeilingTable(data: ReportData): string {
  const ceilings = data.majorityCeilings ?? [];
  if (ceilings.length === 0) return '';
  const cells = new Map(data.cells.map((cell) => [cell.id, cell]));
  const rows = ceilings
    .map((entry) => {
      const cell = cells.get(entry.cellId);
      const last = data.rows.filter((row) => row.cell.id === entry.cellId).sort((left, right) => right.k - left.k)[0];
      return `<tr><td>${escapeHtml(cell?.model ?? entry.cellId)}${cell?.simulated ? SIMULATED_BADGE : ''}</td><td>${escapeHtml(cell?.dataset ?? '')}</td><td>${formatPercent(entry.value.value)} <span class="ci">[${formatPercent(entry.value.low)}, ${formatPercent(entry.value.high)}]</span></td><td>${last === undefined ? 'n/a' : `${formatPercent(last.majority.value)} at k=${String(last.k)}`}</td></tr>`;
    })
    .join('\n');
  return `\n<h3>Voting ceiling</h3>\n<p>majority@∞: the share of problems whose gold answer is strictly the most frequent answer (ties count 1/t): the plateau majority@k levels off at as k grows, so past it more votes will not help.</p>\n<div class="table-wrap"><table class="numbers"><thead><tr><th>Model</th><th>Dataset</th><th>majority@∞ [95% CI]</th><th>majority@k at the largest k</th></tr></thead><tbody>\n${rows}\n</tbody></table></div>`;
}
