/** `scaling-bench datasets list|prepare`. */
import { existsSync } from 'node:fs';
import { HarnessError } from '../core/errors.ts';
import { createHubClient } from '../datasets/hub-client.ts';
import { defaultHubCacheDir, locateDatasetFile } from '../datasets/locate.ts';
import { builtinDatasets, findBuiltinDataset } from '../datasets/registry.ts';
import type { DatasetLocations } from '../datasets/types.ts';
import type { CliStreams } from './progress.ts';

/** A text table of built-in datasets and where each is found now. */
export async function datasetsList(locations: DatasetLocations, env: Record<string, string | undefined> = {}): Promise<string> {
  const lines = ['id                 checker  found at / source'];
  const missing: string[] = [];
  for (const dataset of builtinDatasets) {
    let where = dataset.source;
    const spec = dataset.files?.[0];
    if (spec) {
      try {
        where = locateDatasetFile(spec, locations);
      } catch {
        where = `not here: \`scaling-bench datasets prepare ${dataset.id}\` (${spec.hubRepo ?? dataset.source})`;
        missing.push(dataset.id);
      }
    }
    lines.push(`${dataset.id.padEnd(18)} ${dataset.verifier.padEnd(8)} ${where}\n${' '.repeat(28)}${dataset.description}`);
  }
  if (missing.length > 0) {
    const looked = [env.SCALING_BENCH_DATA ? `SCALING_BENCH_DATA=${env.SCALING_BENCH_DATA}` : 'SCALING_BENCH_DATA (not set)', locations.hubCacheDir ? `the Hugging Face cache ${locations.hubCacheDir}` : undefined].filter(Boolean).join(' and ');
    lines.push(
      '',
      `${missing.length} dataset(s) not found; looked in ${looked}.`,
      `fix: \`SCALING_BENCH_DATA=/path/to/datasets scaling-bench datasets list\` (a folder laid out as <dataset>/<file>), or \`scaling-bench datasets prepare ${missing.join(' ')}\``,
    );
  }
  return lines.join('\n');
}

/** Downloads the files of built-in datasets from the Hub into the cache. */
export async function datasetsPrepare(ids: string[], deps: CliStreams & { env: Record<string, string | undefined> }): Promise<void> {
  const client = createHubClient({
    cacheDir: defaultHubCacheDir(deps.env),
    ...(deps.env.HF_TOKEN ? { token: deps.env.HF_TOKEN } : {}),
    ...(deps.env.HF_ENDPOINT ? { endpoint: deps.env.HF_ENDPOINT } : {}),
  });
  for (const id of ids) {
    const dataset = findBuiltinDataset(id);
    const files = (dataset.files ?? []).filter((file) => file.hubRepo !== undefined);
    if (files.length === 0) {
      deps.stdout.write(`${id}: nothing to download (${dataset.source})\n`);
      continue;
    }
    for (const file of files) {
      const path = await client.downloadFile(file.hubRepo as string, file.hubPath ?? file.file, file.hubRevision);
      if (!existsSync(path)) throw new HarnessError('DATASET_DOWNLOAD', `download of ${file.hubRepo}/${file.hubPath ?? file.file} left no file`);
      deps.stdout.write(`${id}: ${path}\n`);
    }
  }
}
