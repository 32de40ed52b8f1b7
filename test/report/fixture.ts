/**
 * A hand-made ReportData for the report tests: two models (one simulated, swept over two thinking
 * budgets), numbers from closed forms so that every figure has something to draw, and a sample
 * whose text tries to run a script.
 */
import type { CellInfo, MetricRow } from '../../harness/metrics/types.ts';
import type { ComputePoint, ReportData } from '../../harness/report/report-data.ts';

/** Sample text that must show as text in the report and never run. */
export const HOSTILE_TEXT = '<script>window.__reportXss = true; alert(1)</script><img src="x" onerror="window.__reportXss = true">';

/** Ks the fixture reports at. */
export const FIXTURE_KS = [1, 2, 5, 10, 25, 50, 100, 250];

/** The fixture's cells. */
export const FIXTURE_CELLS: CellInfo[] = [
  { id: 'llama-8b/math500/t0/temp0.6', model: 'llama-8b', dataset: 'math500', thinkingBudget: 0, temperature: 0.6, simulated: false },
  { id: 'sim-70b/math500/t0/temp0.6', model: 'sim-70b', dataset: 'math500', thinkingBudget: 0, temperature: 0.6, simulated: true },
  { id: 'sim-70b/math500/t1024/temp0.6', model: 'sim-70b', dataset: 'math500', thinkingBudget: 1024, temperature: 0.6, simulated: true },
];

const LAWS: Array<{ a: number; b: number; plateau: number; tokens: number; params: number; price: number }> = [
  { a: -1.33, b: -0.43, plateau: 0.41, tokens: 300, params: 8e9, price: 0.2 },
  { a: -0.75, b: -0.46, plateau: 0.55, tokens: 320, params: 70e9, price: 0.9 },
  { a: -0.45, b: -0.5, plateau: 0.62, tokens: 1200, params: 70e9, price: 0.9 },
];

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function coverageAt(law: { a: number; b: number }, k: number): number {
  return round(Math.exp(law.a * Math.pow(k, law.b)));
}

/** Builds the fixture; `overrides` replace top-level fields. */
export function reportFixture(overrides: Partial<ReportData> = {}): ReportData {
  const rows: MetricRow[] = [];
  const computePoints: ComputePoint[] = [];
  FIXTURE_CELLS.forEach((cell, index) => {
    const law = LAWS[index];
    if (law === undefined) return;
    for (const k of FIXTURE_KS) {
      const coverage = coverageAt(law, k);
      const first = coverageAt(law, 1);
      const majority = round(Math.min(coverage, first + (law.plateau - first) * (1 - Math.pow(k, -0.6))));
      rows.push({
        cell,
        k,
        coverage: { value: coverage, low: round(Math.max(0, coverage - 0.04)), high: round(Math.min(1, coverage + 0.04)) },
        majority: { value: majority, low: round(Math.max(0, majority - 0.05)), high: round(Math.min(1, majority + 0.05)) },
        n: 250,
        problems: 128,
        meanCompletionTokens: law.tokens,
        meanThinkingTokens: cell.thinkingBudget === 0 ? 0 : 900.5,
        meanPromptTokens: 120,
      });
      const tokens = k * (law.tokens + 120);
      computePoints.push({
        cell,
        k,
        tokens,
        flops: 2 * law.params * tokens,
        dollars: cell.simulated ? null : (tokens * law.price) / 1e6,
        coverage,
        majority,
      });
    }
  });
  const [llama, sim, simThinking] = FIXTURE_CELLS as [CellInfo, CellInfo, CellInfo];
  const curveKs = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];
  return {
    title: 'fixture-run',
    generatedAt: '2026-01-02T03:04:05.000Z',
    manifest: {
      name: 'fixture-run',
      config: { seed: 1, sampling: { samples: 250, temperature: 0.6 } },
      versions: { 'scaling-bench': '0.1.0', node: 'v20' },
      endpoints: ['http://127.0.0.1:11434'],
      startedAt: '2026-01-02T03:00:00.000Z',
      finishedAt: '2026-01-02T03:04:00.000Z',
      note: '</script><script>window.__reportXss = true</script>',
    },
    cells: FIXTURE_CELLS,
    rows,
    computePoints,
    equalCompute: {
      axis: 'flops',
      metric: 'coverage',
      rows: [1e13, 1e14, 1e15].map((budget, index) => ({
        budget,
        values: [
          { cellId: llama.id, value: [0.4, 0.7, 0.85][index] ?? null },
          { cellId: sim.id, value: [null, 0.62, 0.8][index] ?? null },
        ],
        best: llama.id,
        bestValue: [0.4, 0.7, 0.85][index] ?? 0,
        runnerUp: index === 0 ? null : sim.id,
        margin: index === 0 ? null : ([0, 0.08, 0.05][index] ?? null),
      })),
    },
    fits: [
      { cellId: llama.id, a: -1.33, b: -0.43, rmse: 0.0031, curve: curveKs.map((k) => ({ k, coverage: coverageAt(LAWS[0]!, k) })) },
      { cellId: sim.id, a: -0.75, b: -0.46, rmse: 0.0042, curve: curveKs.map((k) => ({ k, coverage: coverageAt(LAWS[1]!, k) })) },
    ],
    forecasts: [
      {
        cellId: llama.id,
        fittedAtN: 10,
        alpha: 0.3,
        beta: 1.2,
        curve: [10, 20, 50, 100, 250, 1000, 10000].map((k) => ({ k, coverage: round(coverageAt(LAWS[0]!, k) * 0.98) })),
      },
    ],
    solveRates: [llama, sim].map((cell, cellIndex) => ({
      cellId: cell.id,
      bins: Array.from({ length: 10 }, (_, index) => ({
        low: index / 10,
        high: (index + 1) / 10,
        count: cellIndex === 0 ? [40, 20, 12, 10, 8, 8, 6, 6, 8, 10][index]! : [20, 12, 10, 10, 10, 12, 12, 14, 14, 14][index]!,
      })),
    })),
    selection: [
      {
        cellId: sim.id,
        method: 'best-of-k (verifier)',
        simulated: true,
        points: FIXTURE_KS.map((k) => ({ k, value: round(Math.min(coverageAt(LAWS[1]!, k), 0.45 + 0.05 * Math.log10(k))) })),
      },
    ],
    thinking: [
      {
        cellId: simThinking.id,
        requestedBudget: 1024,
        strategy: 'budget-forcing',
        meanThinkingTokens: 900.5,
        budgetHitRate: 0.25,
        forcedAnswerRate: 0.2,
        emptyAnswerRate: 0.01,
        overBudgetRate: 0,
      },
    ],
    errors: { total: 3, byCode: { PROVIDER_TIMEOUT: 2, PROVIDER_HTTP_500: 1 } },
    duplicates: { count: 2, groups: [{ cellId: llama.id, problem: 'test/algebra/1.json', indices: [3, 7, 9] }] },
    samplesBrowser: [
      {
        cellId: llama.id,
        problem: 'test/algebra/1.json',
        question: 'What is $\\frac{1}{2} + \\frac{1}{4}$? Is 1 < 2 & 3 > 2?',
        gold: '\\frac{3}{4}',
        totalSamples: 250,
        samples: [
          { index: 0, text: 'We add: 1/2 + 1/4 = 3/4. The answer is $\\boxed{\\frac{3}{4}}$.', answer: '\\frac{3}{4}', correct: true, reason: 'equal' },
          { index: 1, text: HOSTILE_TEXT, answer: null, correct: false, reason: 'no-answer' },
        ],
      },
      {
        cellId: sim.id,
        problem: 'test/algebra/1.json',
        question: 'What is $\\frac{1}{2} + \\frac{1}{4}$? Is 1 < 2 & 3 > 2?',
        gold: '\\frac{3}{4}',
        samples: [
          {
            index: 0,
            text: 'Simulated solution. \\boxed{0.75}',
            thinking: 'Let me think </details> about it.',
            answer: '0.75',
            correct: true,
            reason: 'equal',
          },
        ],
      },
    ],
    problemStats: FIXTURE_PROBLEMS.flatMap((problem, index) =>
      FIXTURE_CELLS.map((cell, cellIndex) => {
        const correct = [[250, 0, 12], [0, 125, 250], [0, 0, 3]][index]?.[cellIndex] ?? 0;
        return { cellId: cell.id, problem, samples: 250, correct, distinctAnswers: 3 + index, noAnswer: index, majorityCorrect: correct > 125 ? 1 : correct === 125 ? 0.5 : 0 };
      }),
    ),
    browserSamplesPerProblem: 8,
    ...overrides,
  };
}

/** Problems of the fixture's per-problem statistics: the first solved by llama-8b only, the second by sim-70b only. */
export const FIXTURE_PROBLEMS = ['test/algebra/1.json', 'test/geometry/7.json', 'test/<b>hostile</b>.json'];
