import { tempDir } from '../helpers/temp-dir.ts';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../harness/config/load-config.ts';
import { buildReportData } from '../../harness/run/report-run.ts';
import { runExperiment } from '../../harness/run/run-experiment.ts';

describe('answer selection in a run and its report', () => {
  it('scores samples after sampling, draws selection curves, and compares them with majority vote at equal tokens', async () => {
    const dir = tempDir('sb-selection-');
    const config = resolveConfig(
      {
        name: 'selection',
        datasets: [{ id: 'quickstart-math', limit: 12 }],
        models: [{ id: 'sim-8b', provider: 'sim', profile: 'llama-3-8b-instruct-math' }],
        sampling: { samples: 16, k: [1, 2, 4, 8, 16] },
        selection: [{ method: 'simulated' }],
        report: { bootstrapDraws: 20 },
      },
      { source: 'selection.yaml', configDir: dir, cwd: dir },
    );
    const result = await runExperiment(config);
    expect(result.outcome).toBe('completed');
    const { data } = await buildReportData(result.runDir);

    expect(data.selection.map((curve) => curve.method)).toEqual(['best-of-k (simulated verifier)', 'weighted vote (simulated verifier)']);
    expect(data.selection.every((curve) => curve.simulated)).toBe(true);
    const bestOf = data.selection[0]?.points ?? [];
    expect(bestOf.map((point) => point.k)).toEqual([1, 2, 4, 8, 16]);
    const coverage = data.rows.map((row) => row.coverage.value);
    const majority = data.rows.map((row) => row.majority.value);
    // A verifier better than chance lands between majority vote and the oracle (coverage).
    expect(bestOf[4]?.value).toBeGreaterThan(majority[4] ?? 1);
    expect(bestOf[4]?.value).toBeLessThanOrEqual(coverage[4] ?? 0);

    const tables = Array.isArray(data.equalCompute) ? data.equalCompute : [];
    const selectionTable = tables.find((table) => table.dataset === 'quickstart-math: answer selection at equal tokens');
    expect(selectionTable?.axis).toBe('tokens');
    expect(Object.values(selectionTable?.seriesLabels ?? {})).toEqual([
      'sim-8b (simulated) · majority@k',
      'sim-8b (simulated) · best-of-k (simulated verifier)',
      'sim-8b (simulated) · weighted vote (simulated verifier)',
    ]);
    expect((selectionTable?.rows.length ?? 0) > 0).toBe(true);
  });
});
