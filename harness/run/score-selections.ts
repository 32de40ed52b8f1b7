/**
 * After sampling: scores the samples for each `selection:` entry (reward model, judge,
 * simulated verifier, recorded scores) into scores.jsonl, cell by cell, resumable.
 */
import type { ResolvedConfig, Secrets } from '../config/load-config.ts';
import type { ModelConfig } from '../config/model-schema.ts';
import { createProvider, modelEndpoints } from '../providers/registry.ts';
import type { Provider } from '../providers/types.ts';
import { createScorerFromConfig, type SelectionEntry } from '../selection/selection-config.ts';
import { scoreRun } from '../selection/score-run.ts';
import { planCells } from './plan.ts';

/** What scoring did, per entry and cell. */
export interface SelectionScoring {
  scorer: string;
  cell: string;
  scored: number;
  errors: number;
  skipped: number;
}

/** The config's `selection:` entries as a list. */
export function selectionEntries(config: Pick<ResolvedConfig, 'selection'>): SelectionEntry[] {
  const selection = config.selection;
  if (selection === undefined) return [];
  return Array.isArray(selection) ? selection : [selection];
}

/** Scores every cell's samples with every selection entry. */
export async function scoreSelections(
  config: ResolvedConfig,
  runDir: string,
  options: { secrets?: Secrets; env?: Record<string, string | undefined>; signal: AbortSignal; fetch?: typeof fetch; createProvider?: (model: ModelConfig, deps: { apiKey?: string; fetch?: typeof fetch }) => Provider },
): Promise<SelectionScoring[]> {
  const entries = selectionEntries(config);
  const results: SelectionScoring[] = [];
  if (entries.length === 0) return results;
  const factory = options.createProvider ?? createProvider;
  const providers = new Map<string, Provider>();
  const providerOf = (model: ModelConfig): Provider => {
    let provider = providers.get(model.id);
    if (!provider) {
      const apiKey = options.secrets?.get(model.id);
      provider = factory(model, { ...(apiKey === undefined ? {} : { apiKey }), ...(options.fetch ? { fetch: options.fetch } : {}) });
      providers.set(model.id, provider);
    }
    return provider;
  };
  for (const entry of entries) {
    for (const cell of planCells(config)) {
      const judgeModel = entry.method === 'judge' ? (config.models.find((model) => model.id === entry.judge) ?? cell.modelConfig) : undefined;
      if (entry.method === 'simulated' && cell.modelConfig.provider !== 'sim' && entry.accuracy === undefined) continue;
      const apiKeyEnv = entry.method === 'reward-model' ? entry.apiKeyEnv : undefined;
      const apiKey = apiKeyEnv ? options.env?.[apiKeyEnv] : undefined;
      const scorer = await createScorerFromConfig(entry, {
        seed: config.seed,
        ...(apiKey === undefined ? {} : { apiKey }),
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(cell.modelConfig.provider === 'sim' ? { simProfile: cell.modelConfig.profile } : {}),
        ...(judgeModel ? { judgeProvider: providerOf(judgeModel), judgeEndpoint: modelEndpoints(judgeModel)[0] ?? '', judgeModel: 'model' in judgeModel ? judgeModel.model : judgeModel.id } : {}),
      });
      const summary = await scoreRun(runDir, { scorer, cells: [cell.id], concurrency: config.concurrency, signal: options.signal, retry: config.retry });
      results.push({ scorer: summary.scorer, cell: cell.id, scored: summary.scored, errors: summary.errors, skipped: summary.skipped });
    }
  }
  return results;
}
