/** The grid of cells a config sweeps, and what running it would take. */
import { cellId } from '../core/cells.ts';
import type { ResolvedConfig } from '../config/load-config.ts';
import type { ModelConfig } from '../config/model-schema.ts';
import type { CellInfo } from '../metrics/types.ts';

/** A cell with the config entries it comes from. */
export interface PlannedCell extends CellInfo {
  /** The model entry. */
  modelConfig: ModelConfig;
}

/** Every cell: model × dataset × thinking budget × temperature, in config order. */
export function planCells(config: ResolvedConfig): PlannedCell[] {
  const cells: PlannedCell[] = [];
  for (const model of config.models) {
    for (const dataset of config.datasets) {
      for (const thinkingBudget of config.sampling.thinkingBudgets) {
        for (const temperature of config.temperatures) {
          cells.push({
            id: cellId(model.id, dataset.id, thinkingBudget, temperature),
            model: model.id,
            dataset: dataset.id,
            thinkingBudget,
            temperature,
            simulated: model.provider === 'sim',
            modelConfig: model,
          });
        }
      }
    }
  }
  return cells;
}

/** The sampling-relevant part of a cell's config: resuming with a different one would mix samples. */
export function cellFingerprint(config: ResolvedConfig, cell: PlannedCell): string {
  const { id: _id, concurrency: _concurrency, ...model } = cell.modelConfig as ModelConfig & { endpoints?: unknown };
  delete (model as { endpoints?: unknown }).endpoints;
  const dataset = config.datasets.find((entry) => entry.id === cell.dataset);
  return JSON.stringify({
    seed: config.seed,
    model,
    dataset: dataset ? { ...dataset, limit: undefined } : null,
    maxTokens: config.sampling.maxTokens,
    topP: config.sampling.topP ?? null,
    stop: config.sampling.stop ?? null,
  });
}
