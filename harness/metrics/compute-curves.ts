import type { Architecture } from './architectures.ts';
import { sampleFlops } from './flops.ts';
import type { CellInfo, MetricRow, ProblemSamples } from './types.ts';

/** Accuracy of a cell at one k with the expected inference compute per problem to get it. */
export interface ComputePoint {
  cell: CellInfo;
  /** Samples per problem. */
  k: number;
  /** Expected tokens per problem to draw k samples: completion tokens plus each sample's share of its request's prompt. */
  tokens: number;
  /** Expected FLOPs per problem to draw k samples; null when the architecture is unknown. */
  flops: number | null;
  /** Expected US dollars per problem to draw k samples; null unless both prices are known. */
  dollars: number | null;
  /** coverage@k (point estimate). */
  coverage: number;
  /** majority@k (point estimate). */
  majority: number;
}

/** What compute costs for a cell's model. */
export interface ComputeCost {
  /** Model shape for FLOPs (see `lookupArchitecture`); FLOPs are null without it. */
  architecture?: FlopsArchitectureLike;
  /** Price per million prompt tokens, US dollars. */
  priceInputPerMTok?: number;
  /** Price per million completion tokens (thinking included), US dollars. */
  priceOutputPerMTok?: number;
}

/** An `Architecture` or just the numbers the FLOPs formula needs (e.g. `params` from the config). */
export type FlopsArchitectureLike = Pick<Architecture, 'params'> & Partial<Pick<Architecture, 'layers' | 'dModel'>>;

/** Mean compute per sample of a cell: each problem's mean over its samples, then the mean over problems. */
export interface PerSampleCompute {
  /** Tokens per sample: completion plus prompt ÷ samples of its request. */
  tokens: number;
  /** FLOPs per sample (see `sampleFlops`), null without an architecture. */
  flops: number | null;
  /** Dollars per sample, null unless both prices are known. */
  dollars: number | null;
}

/**
 * Expected compute of one sample of the cell, averaged first within each problem, then over problems
 * (so problems weigh equally, as in coverage@k). The prompt is counted once per request: with
 * n-batching its tokens, FLOPs and price are shared by the samples of a request of the problem's
 * nominal size (its largest request). Using the nominal size rather than each sample's own request
 * makes the curves a property of the configuration: a run stopped and resumed (whose resumed
 * requests are smaller) costs the same as one drawn in one go. Problems without samples are left out.
 */
export function perSampleCompute(problems: ReadonlyArray<ProblemSamples>, cost: ComputeCost): PerSampleCompute {
  const { architecture, priceInputPerMTok, priceOutputPerMTok } = cost;
  const priced = priceInputPerMTok !== undefined && priceOutputPerMTok !== undefined;
  let tokenSum = 0;
  let flopSum = 0;
  let dollarSum = 0;
  let counted = 0;
  for (const problem of problems) {
    const samples = problem.correct.length;
    if (samples === 0) continue;
    let tokens = 0;
    let flops = 0;
    let dollars = 0;
    const requestSamples = nominalRequestSize(problem.requestSamples);
    for (let index = 0; index < samples; index += 1) {
      const promptTokens = problem.promptTokens[index] ?? 0;
      const completionTokens = problem.completionTokens[index] ?? 0;
      tokens += completionTokens + promptTokens / requestSamples;
      if (architecture !== undefined) flops += sampleFlops(architecture, { promptTokens, completionTokens, requestSamples });
      if (priced) dollars += ((promptTokens / requestSamples) * priceInputPerMTok + completionTokens * priceOutputPerMTok) / 1e6;
    }
    tokenSum += tokens / samples;
    flopSum += flops / samples;
    dollarSum += dollars / samples;
    counted += 1;
  }
  const mean = (sum: number): number => (counted === 0 ? 0 : sum / counted);
  return {
    tokens: mean(tokenSum),
    flops: architecture === undefined ? null : mean(flopSum),
    dollars: priced ? mean(dollarSum) : null,
  };
}

/**
 * Places a cell's metric rows on compute axes: for each row, k × the expected compute of one
 * sample (see `perSampleCompute`), per problem.
 */
export function computeCurves(
  cell: CellInfo,
  problems: ReadonlyArray<ProblemSamples>,
  rows: ReadonlyArray<MetricRow>,
  cost: ComputeCost,
): ComputePoint[] {
  const perSample = perSampleCompute(problems, cost);
  return rows.map((row) => ({
    cell,
    k: row.k,
    tokens: row.k * perSample.tokens,
    flops: perSample.flops === null ? null : row.k * perSample.flops,
    dollars: perSample.dollars === null ? null : row.k * perSample.dollars,
    coverage: row.coverage.value,
    majority: row.majority.value,
  }));
}

/** A problem's nominal request size: its largest request (n-batching), at least 1. */
export function nominalRequestSize(requestSamples: ReadonlyArray<number | undefined>): number {
  let largest = 1;
  for (const size of requestSamples) if (size !== undefined && size > largest) largest = Math.floor(size);
  return largest;
}
