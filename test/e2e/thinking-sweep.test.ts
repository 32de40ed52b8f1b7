import { tempDir } from '../helpers/temp-dir.ts';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../harness/config/load-config.ts';
import type { SampleRecord } from '../../harness/core/types.ts';
import { buildReportData } from '../../harness/run/report-run.ts';
import { runExperiment } from '../../harness/run/run-experiment.ts';
import { startFakeReasoner } from '../fakes/fake-reasoner.ts';

/**
 * A thinking-budget sweep end to end against the fake reasoning server, over both wire
 * protocols: budgets are enforced (thinking tokens never above the budget), forced answers are
 * extracted, and accuracy rises with the budget in the report.
 */
const budgets = [0, 64, 256, 1024];
let server: Awaited<ReturnType<typeof startFakeReasoner>>;
beforeAll(async () => {
  server = await startFakeReasoner({ modelName: 'deepseek-r1-distill-qwen-7b' });
});
afterAll(async () => {
  await server.close();
});

function dataset(dir: string): void {
  const rows = Array.from({ length: 40 }, (_, index) => JSON.stringify({ id: `t${index}`, question: `Puzzle number ${index}. [gold:${100 + index}]`, answer: String(100 + index) }));
  writeFileSync(join(dir, 'puzzles.jsonl'), `${rows.join('\n')}\n`);
}

describe.each([
  ['openai /v1/completions', (url: string) => ({ id: 'r1', provider: 'openai', model: 'deepseek-r1-distill-qwen-7b', api: 'completions', endpoints: [`${url}/v1`], apiKeyEnv: 'NONE' })],
  ['ollama /api/generate raw', (url: string) => ({ id: 'r1', provider: 'ollama', model: 'deepseek-r1:7b', api: 'generate', endpoints: [url] })],
])('thinking-budget sweep over %s', (_name, modelEntry) => {
  it('enforces budgets, extracts forced answers, and accuracy rises with the budget', async () => {
    const dir = tempDir('sb-thinking-');
    dataset(dir);
    const config = resolveConfig(
      {
        name: 'thinking',
        datasets: [{ id: 'puzzles', path: 'puzzles.jsonl', verifier: 'math' }],
        models: [{ ...modelEntry(server.url), thinking: { strategy: 'budget-forcing', answerMaxTokens: 64 } }],
        sampling: { samples: 4, k: [1, 2, 4], temperature: 0.6, maxTokens: 64, thinkingBudgets: budgets },
        concurrency: 4,
        report: { bootstrapDraws: 20, computeAxis: 'tokens' },
      },
      { source: 'thinking.yaml', configDir: dir, cwd: dir },
    );
    const result = await runExperiment(config);
    expect(result.error?.message).toBeUndefined();
    expect(result.outcome).toBe('completed');
    expect(result.errors).toBe(0);

    const records = readFileSync(join(result.runDir, 'samples.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as SampleRecord);
    expect(records).toHaveLength(40 * 4 * budgets.length);
    for (const record of records) {
      const budget = Number(/think(\d+)/.exec(record.cell)?.[1]);
      expect(record.thinkingBudget?.strategy).toBe('budget-forcing');
      expect(record.usage?.thinkingTokens ?? 0).toBeLessThanOrEqual(budget);
      if (record.thinkingBudget?.forcedAnswer) expect(record.verdict?.answer).not.toBeNull();
    }

    const { data } = await buildReportData(result.runDir);
    const coverageAt1 = budgets.map((budget) => data.rows.find((row) => row.cell.thinkingBudget === budget && row.k === 1)?.coverage.value ?? -1);
    expect(coverageAt1[3]).toBeGreaterThan((coverageAt1[0] ?? 1) + 0.2);
    for (let index = 1; index < budgets.length; index += 1) expect(coverageAt1[index]).toBeGreaterThanOrEqual((coverageAt1[index - 1] ?? 1) - 0.05);
    expect(data.thinking.map((summary) => summary.requestedBudget)).toEqual([64, 256, 1024]);
    for (const summary of data.thinking) {
      expect(summary.strategy).toBe('budget-forcing');
      expect(summary.meanThinkingTokens).toBeLessThanOrEqual(summary.requestedBudget);
    }
    expect(data.thinking[0]?.forcedAnswerRate).toBeGreaterThan(0.5);
  });
});
