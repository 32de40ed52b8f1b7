/** Built-in datasets and user dataset files, behind one lookup. */
import { existsSync } from 'node:fs';
import { ConfigError, DatasetError } from '../core/errors.ts';
import { createRandom, drawWithoutReplacement, hashSeed } from '../core/random.ts';
import type { Problem, VerifierKind } from '../core/types.ts';
import type { DatasetConfig } from '../config/schema.ts';
import { closest } from '../config/suggest.ts';
import { codeDatasets } from './code-datasets.ts';
import { readRecords, stringField } from './jsonl.ts';
import { mathDatasets } from './math-datasets.ts';
import { projectDatasets } from './project-datasets.ts';
import { stdioDatasets, userStdioProblem } from './stdio-datasets.ts';
import type { DatasetDefinition, DatasetLocations } from './types.ts';

/** Every built-in dataset. */
export const builtinDatasets: readonly DatasetDefinition[] = [...projectDatasets, ...mathDatasets, ...codeDatasets, ...stdioDatasets];

/** A dataset ready for a run: its problems (after limit / sample) and its checker. */
export interface LoadedDataset {
  /** Dataset id. */
  id: string;
  /** Checker kind. */
  verifier: VerifierKind;
  /** Problems of the run, in order. */
  problems: Problem[];
  /** Every problem of the dataset (few-shot pool). */
  pool: Problem[];
  /** Where it came from. */
  source: string;
  /** Prompt template from the config (`{question}` replaced), when set. */
  template?: string;
  /** Few-shot examples per prompt (default 0). */
  fewShot: number;
}

/** Finds a built-in dataset by id, or throws a ConfigError suggesting the closest. */
export function findBuiltinDataset(id: string): DatasetDefinition {
  const found = builtinDatasets.find((dataset) => dataset.id === id);
  if (found) return found;
  const ids = builtinDatasets.map((dataset) => dataset.id);
  const suggestion = closest(id, ids);
  throw new ConfigError('DATASET_UNKNOWN', `unknown dataset '${id}'${suggestion ? ` (did you mean '${suggestion}'?)` : ''}`, {
    hint: `Built-in datasets: ${ids.join(', ')}; or give a file: { id: my-set, path: my-set.jsonl, verifier: math }.`,
  });
}

function userDataset(config: DatasetConfig & { path: string }): DatasetDefinition {
  const fields = config.fields ?? { question: 'question', answer: 'answer' };
  return {
    id: config.id,
    description: `user file ${config.path}`,
    source: config.path,
    verifier: config.verifier ?? 'math',
    async load(): Promise<Problem[]> {
      if (!existsSync(config.path)) {
        throw new DatasetError('DATASET_FILE_MISSING', `dataset file ${config.path} (dataset '${config.id}') does not exist`, {
          hint: 'Check `path:` in the config; relative paths are resolved against the config file’s folder.',
        });
      }
      const verifier = config.verifier ?? 'math';
      return readRecords(config.path).map((record, index) => {
        const id = (fields.id ? stringField(record, fields.id) : undefined) ?? stringField(record, 'id') ?? String(index);
        if (verifier === 'stdio') {
          const question = stringField(record, fields.question) ?? stringField(record, 'description');
          if (question === undefined) throw missingField(config.path, index, fields.question, record);
          return userStdioProblem(record, id, question, `${config.path} record ${index + 1}`);
        }
        const question = stringField(record, fields.question);
        const answer = stringField(record, fields.answer);
        if (question === undefined || answer === undefined) throw missingField(config.path, index, question === undefined ? fields.question : fields.answer, record);
        return { id: (fields.id ? stringField(record, fields.id) : undefined) ?? String(index), question, answer };
      });
    },
  };
}

function missingField(path: string, index: number, field: string, record: Record<string, unknown>): DatasetError {
  return new DatasetError('DATASET_FIELD_MISSING', `${path} record ${index + 1} has no '${field}' field`, {
    hint: `Records need a question and an answer field (stdin/stdout problems: a question and tests); name yours with fields: { question: ..., answer: ... }. Fields present: ${Object.keys(record).join(', ')}.`,
  });
}

/** Loads a configured dataset and applies `limit` or seeded `sample`. */
export async function loadDataset(config: DatasetConfig, locations: DatasetLocations, seed: number): Promise<LoadedDataset> {
  const definition = config.path !== undefined ? userDataset({ ...config, path: config.path }) : findBuiltinDataset(config.id);
  const pool = await definition.load(locations);
  let problems = pool;
  if (config.limit !== undefined) problems = pool.slice(0, config.limit);
  if (config.sample !== undefined) problems = seededSubset(pool, config.sample, hashSeed(seed, config.id));
  const ids = new Set<string>();
  for (const problem of problems) {
    if (ids.has(problem.id)) {
      throw new DatasetError('DATASET_DUPLICATE_ID', `dataset '${config.id}' has two problems with id '${problem.id}'`, { hint: 'Problem ids must be unique: samples are stored by problem id.' });
    }
    ids.add(problem.id);
  }
  return {
    id: config.id,
    verifier: config.verifier ?? definition.verifier,
    problems,
    pool,
    source: definition.source,
    fewShot: config.fewShot ?? 0,
    ...(config.template === undefined ? {} : { template: config.template }),
  };
}

/** A seeded random subset of `count` items, kept in the dataset's order. */
export function seededSubset<T>(items: readonly T[], count: number, seed: number): T[] {
  if (count >= items.length) return [...items];
  return drawWithoutReplacement(
    items.map((_, index) => index),
    count,
    createRandom(seed),
  )
    .sort((a, b) => a - b)
    .map((index) => items[index] as T);
}
