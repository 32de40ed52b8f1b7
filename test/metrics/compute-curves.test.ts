import { describe, expect, it } from 'vitest';
import { computeCurves, perSampleCompute } from '../../harness/metrics/compute-curves.ts';
import { sampleFlops } from '../../harness/metrics/flops.ts';
import type { CellInfo, MetricRow, ProblemSamples } from '../../harness/metrics/types.ts';

const cell: CellInfo = { id: 'c', model: 'm', dataset: 'd', thinkingBudget: 0, temperature: 1, simulated: false };

function samples(id: string, completion: number[], prompt: number, requestSamples: number): ProblemSamples {
  return {
    problem: id,
    correct: completion.map(() => false),
    answerKeys: completion.map(() => null),
    completionTokens: completion,
    thinkingTokens: completion.map(() => 0),
    promptTokens: completion.map(() => prompt),
    requestSamples: completion.map(() => requestSamples),
  };
}

function row(k: number, coverage: number, majority: number): MetricRow {
  return {
    cell,
    k,
    coverage: { value: coverage, low: coverage, high: coverage },
    majority: { value: majority, low: majority, high: majority },
    n: 4,
    problems: 2,
    meanCompletionTokens: 0,
    meanThinkingTokens: 0,
    meanPromptTokens: 0,
  };
}

describe('perSampleCompute', () => {
  it('adds each sample its share of the request prompt, averages within then across problems', () => {
    const problems = [samples('a', [100, 300], 40, 1), samples('b', [10, 10, 10, 10], 80, 4), samples('empty', [], 0, 1)];
    const compute = perSampleCompute(problems, { priceInputPerMTok: 2, priceOutputPerMTok: 10 });
    // a: 200 + 40 = 240 per sample; b: 10 + 80/4 = 30 per sample.
    expect(compute.tokens).toBe(135);
    expect(compute.flops).toBeNull();
    // a: (40·2 + 200·10)/1e6 = 0.00208; b: (20·2 + 10·10)/1e6 = 0.00014.
    expect(compute.dollars).toBeCloseTo((0.00208 + 0.00014) / 2, 15);
  });

  it('gives FLOPs from the architecture and no dollars without both prices', () => {
    const architecture = { params: 1e9, layers: 10, dModel: 1000 };
    const problems = [samples('a', [100, 300], 40, 2)];
    const compute = perSampleCompute(problems, { architecture, priceInputPerMTok: 1 });
    const expected =
      (sampleFlops(architecture, { promptTokens: 40, completionTokens: 100, requestSamples: 2 }) +
        sampleFlops(architecture, { promptTokens: 40, completionTokens: 300, requestSamples: 2 })) /
      2;
    expect(compute.flops).toBeCloseTo(expected, -2);
    expect(compute.dollars).toBeNull();
  });

  it('shares the prompt by the nominal request size, so a resumed run (smaller requests) costs the same as one drawn in one go', () => {
    const architecture = { params: 1e9, layers: 10, dModel: 1000 };
    const cost = { architecture, priceInputPerMTok: 2, priceOutputPerMTok: 10 };
    const whole = samples('a', [100, 200, 300, 400], 40, 4);
    // Stopped after two samples of the request of four: the other two came in a request of two.
    const resumed = { ...whole, requestSamples: [4, 4, 2, 2] };
    expect(perSampleCompute([resumed], cost)).toEqual(perSampleCompute([whole], cost));
    // Each sample carries a quarter of the prompt: 250 + 40/4.
    expect(perSampleCompute([resumed], cost).tokens).toBe(260);
  });
});

describe('computeCurves', () => {
  it('scales the per-sample compute by k and carries the metric values', () => {
    const problems = [samples('a', [100, 100, 100, 100], 20, 1)];
    const points = computeCurves(cell, problems, [row(1, 0.2, 0.1), row(4, 0.5, 0.3)], { priceInputPerMTok: 0, priceOutputPerMTok: 1 });
    expect(points).toEqual([
      { cell, k: 1, tokens: 120, flops: null, dollars: 0.0001, coverage: 0.2, majority: 0.1 },
      { cell, k: 4, tokens: 480, flops: null, dollars: 0.0004, coverage: 0.5, majority: 0.3 },
    ]);
  });
});
