/** `scaling-bench plan`: what a run would take, before any model is called. */
import type { ResolvedConfig } from '../config/load-config.ts';
import type { CodeTimeLimitsConfig } from '../config/schema.ts';
import { buildPrompt } from '../datasets/prompts.ts';
import { loadDataset } from '../datasets/registry.ts';
import type { DatasetLocations } from '../datasets/types.ts';
import { flopsPerToken, lookupArchitecture } from '../metrics/index.ts';
import { createProvider } from '../providers/registry.ts';
import { findSimProfile } from '../providers/sim/sim-profiles.ts';
import { planCells } from '../run/plan.ts';

/** One cell of the plan. */
export interface PlanRow {
  cell: string;
  problems: number;
  samples: number;
  requests: number;
  /** Prompt tokens sent (estimated at 4 characters per token; prefilled once per request). */
  promptTokens: number;
  /** Completion tokens at most (maxTokens + thinking budget per sample). */
  maxCompletionTokens: number;
  /** FLOPs at most (null when the architecture is unknown). */
  maxFlops: number | null;
  /** Dollars at most (null without prices). */
  maxDollars: number | null;
}

/** The plan of a config. */
export interface Plan {
  name: string;
  rows: PlanRow[];
  ks: number[];
  /** How code programs are time-limited (config `codeTimeLimits`), when a dataset is judged by running functions. */
  codeTimeLimits?: string;
}

/** Computes the plan of a config (loads the datasets, calls no model). */
export async function planExperiment(config: ResolvedConfig, locations: DatasetLocations): Promise<Plan> {
  const rows: PlanRow[] = [];
  const n = config.sampling.samples;
  // Each dataset is loaded and its prompts measured once, however many cells sweep it.
  const datasets = new Map<string, { problems: number; promptTokensPerProblem: number }>();
  let code = false;
  for (const datasetConfig of config.datasets) {
    if (datasets.has(datasetConfig.id)) continue;
    const dataset = await loadDataset(datasetConfig, locations, config.seed);
    if (dataset.verifier === 'code') code = true;
    let promptCharacters = 0;
    for (const problem of dataset.problems) {
      const prompt = buildPrompt(problem, { verifier: dataset.verifier, style: 'chat', pool: dataset.pool, seed: config.seed, fewShot: dataset.fewShot, ...(dataset.template === undefined ? {} : { template: dataset.template }) });
      promptCharacters += prompt.kind === 'text' ? prompt.text.length : prompt.messages.reduce((sum, message) => sum + message.content.length, 0);
    }
    datasets.set(datasetConfig.id, { problems: dataset.problems.length, promptTokensPerProblem: promptCharacters / 4 / Math.max(1, dataset.problems.length) });
  }
  for (const cell of planCells(config)) {
    const dataset = datasets.get(cell.dataset);
    if (!dataset) continue;
    const { promptTokensPerProblem } = dataset;
    const model = cell.modelConfig;
    // The provider says how many samples one request carries (n-batching); creating one calls no server.
    const perRequest = Math.max(1, createProvider(model, {}).maxSamplesPerRequest);
    const requestsPerProblem = Math.ceil(n / perRequest);
    const perSample = config.sampling.maxTokens + cell.thinkingBudget;
    const samples = n * dataset.problems;
    const requests = requestsPerProblem * dataset.problems;
    const promptTokens = Math.round(promptTokensPerProblem * requests);
    const architecture =
      model.params !== undefined
        ? { params: model.params, ...(model.layers === undefined ? {} : { layers: model.layers }), ...(model.dModel === undefined ? {} : { dModel: model.dModel }) }
        : lookupArchitecture(model.architecture ?? (model.provider === 'sim' ? findSimProfile(model.profile).architecture : 'model' in model ? model.model : model.id));
    const maxFlops = architecture
      ? requests * promptTokensPerProblem * flopsPerToken(architecture, promptTokensPerProblem / 2) + samples * perSample * flopsPerToken(architecture, promptTokensPerProblem + perSample / 2)
      : null;
    const maxDollars =
      model.priceInputPerMTok !== undefined || model.priceOutputPerMTok !== undefined
        ? (promptTokens * (model.priceInputPerMTok ?? 0) + samples * perSample * (model.priceOutputPerMTok ?? 0)) / 1e6
        : null;
    rows.push({ cell: cell.id, problems: dataset.problems, samples, requests, promptTokens, maxCompletionTokens: samples * perSample, maxFlops, maxDollars });
  }
  return { name: config.name, rows, ks: config.ks, ...(code ? { codeTimeLimits: describeCodeTimeLimits(config.codeTimeLimits) } : {}) };
}

/** The codeTimeLimits setting in words. */
export function describeCodeTimeLimits(settings: CodeTimeLimitsConfig): string {
  if (settings.mode === 'fixed') return `fixed, ${settings.timeLimitMs} ms per program`;
  return `reference, max(${settings.floorMs} ms, ${settings.factor} × the reference solution's runtime) per problem, ${settings.fallbackMs} ms without a passing reference (measured before sampling, cached)`;
}

function compact(value: number): string {
  if (value >= 1e12) return `${(value / 1e12).toFixed(2)}T`;
  if (value >= 1e9) return `${(value / 1e9).toFixed(2)}G`;
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)}M`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(1)}k`;
  return String(Math.round(value));
}

/** The plan as a text table. */
export function formatPlan(plan: Plan): string {
  const header = ['cell', 'problems', 'samples', 'requests', 'prompt tok', '≤ completion tok', '≤ FLOPs', '≤ $'];
  const body = plan.rows.map((row) => [
    row.cell,
    String(row.problems),
    compact(row.samples),
    compact(row.requests),
    compact(row.promptTokens),
    compact(row.maxCompletionTokens),
    row.maxFlops === null ? 'n/a' : row.maxFlops.toExponential(2),
    row.maxDollars === null ? 'n/a' : row.maxDollars.toFixed(2),
  ]);
  const sum = (pick: (row: PlanRow) => number): number => plan.rows.reduce((total, row) => total + pick(row), 0);
  body.push(['total', '', compact(sum((row) => row.samples)), compact(sum((row) => row.requests)), compact(sum((row) => row.promptTokens)), compact(sum((row) => row.maxCompletionTokens)), '', '']);
  const widths = header.map((title, column) => Math.max(title.length, ...body.map((row) => (row[column] ?? '').length)));
  const format = (row: string[]): string => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ');
  return [
    `plan for ${plan.name}: k = ${plan.ks.join(', ')}`,
    format(header),
    format(widths.map((width) => '-'.repeat(width))),
    ...body.map(format),
    '(prompt tokens estimated at 4 characters per token; completion, FLOPs and $ are upper bounds at maxTokens + thinking budget)',
    ...(plan.codeTimeLimits === undefined ? [] : [`code time limits: ${plan.codeTimeLimits}`]),
  ].join('\n');
}
