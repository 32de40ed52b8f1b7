/**
 * Reads a YAML config, validates it with the strict schema and resolves it: every default
 * filled, the k list and temperatures decided, API keys read from the environment (the only
 * place the environment is read) and kept out of anything serialised.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../core/errors.ts';
import { configSchema, datasetObjectSchema, reportSchema, retrySchema, samplingSchema, type DatasetConfig, type ParsedConfig } from './schema.ts';
import { modelSchema, providerKinds, type ModelConfig } from './model-schema.ts';
import { closest } from './suggest.ts';
import { defaultKs } from '../metrics/compute-cell-metrics.ts';

/** A config with every default filled, ready to run. */
export interface ResolvedConfig extends Omit<ParsedConfig, 'datasets'> {
  /** Datasets as objects (a bare id becomes `{ id }`); user paths are absolute. */
  datasets: DatasetConfig[];
  /** k values to report, ascending, each ≤ samples. */
  ks: number[];
  /** Temperatures to sweep. */
  temperatures: number[];
  /** Folder the config file is in (user dataset paths are relative to it). */
  configDir: string;
  /** Where run folders go (absolute). */
  outputDir: string;
}

/** API keys by model id, read from the environment; never serialised. */
export type Secrets = ReadonlyMap<string, string>;

/** Default k values: powers of two up to n, and n (the metrics stage's `defaultKs`). */
export const defaultKValues: (samples: number) => number[] = defaultKs;

/** Reads and parses a YAML config file into an unvalidated value. */
export function readConfigFile(path: string): unknown {
  if (!existsSync(path)) {
    throw new ConfigError('CONFIG_NOT_FOUND', `config file ${path} does not exist`, {
      hint: 'Pass the path of a YAML config, e.g. configs/quickstart.yaml.',
    });
  }
  try {
    return parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    if (error instanceof YAMLParseError) {
      throw new ConfigError('CONFIG_YAML', `${path}: ${(error.message.split('\n')[0] ?? 'invalid YAML').replace(/:$/, '')}`, {
        hint: 'Fix the YAML syntax at the line shown (indentation, a missing colon, an unclosed quote).',
        cause: error,
      });
    }
    throw error;
  }
}

/** Validates and resolves a parsed config value; `source` names it in errors. */
export function resolveConfig(
  value: unknown,
  options: { source: string; configDir: string; cwd: string },
): ResolvedConfig {
  const result = configSchema.safeParse(value);
  if (!result.success) throw configErrorFrom(result.error, value, options.source);
  const parsed = result.data;
  const samples = parsed.sampling.samples;
  const ks = [...new Set(parsed.sampling.k ?? defaultKValues(samples))].sort((a, b) => a - b);
  const tooLarge = ks.filter((k) => k > samples);
  if (tooLarge.length > 0) {
    throw new ConfigError('CONFIG_K_EXCEEDS_SAMPLES', `${options.source}: sampling.k has ${tooLarge.join(', ')} but sampling.samples is ${samples}`, {
      hint: `Every k must be at most sampling.samples; raise samples to ${Math.max(...tooLarge)} or drop those k.`,
    });
  }
  const modelIds = parsed.models.map((model) => model.id);
  const repeated = modelIds.find((id, index) => modelIds.indexOf(id) !== index);
  if (repeated) {
    throw new ConfigError('CONFIG_DUPLICATE_MODEL', `${options.source}: two models are labelled '${repeated}'`, {
      hint: 'Give every model entry its own `id`: it labels the curves and keys the stored samples.',
    });
  }
  const datasets = parsed.datasets.map((entry) => {
    const dataset: DatasetConfig = typeof entry === 'string' ? { id: entry } : { ...entry };
    if (dataset.path !== undefined) dataset.path = resolve(options.configDir, dataset.path);
    return dataset;
  });
  const temperature = parsed.sampling.temperature;
  return {
    ...parsed,
    datasets,
    ks,
    temperatures: Array.isArray(temperature) ? temperature : [temperature],
    configDir: options.configDir,
    outputDir: resolve(options.cwd, parsed.outputDir ?? 'reports'),
  };
}

/** Loads a config file: read, validate, resolve. */
export function loadConfig(path: string, cwd: string = process.cwd()): ResolvedConfig {
  const absolute = resolve(cwd, path);
  return resolveConfig(readConfigFile(absolute), { source: path, configDir: dirname(absolute), cwd });
}

/** Reads each model's API key from the environment (`apiKeyEnv`). Missing keys are left out; providers that need one fail with a hint. */
export function readSecrets(config: Pick<ResolvedConfig, 'models'>, env: Record<string, string | undefined>): Secrets {
  const secrets = new Map<string, string>();
  for (const model of config.models) {
    const variable = 'apiKeyEnv' in model ? model.apiKeyEnv : undefined;
    const key = variable ? env[variable] : undefined;
    if (key) secrets.set(model.id, key);
  }
  return secrets;
}

/** The resolved config as stored in run.json: plain data, no secrets (only the names of the variables). */
export function serialisableConfig(config: ResolvedConfig): Record<string, unknown> {
  return JSON.parse(JSON.stringify(config)) as Record<string, unknown>;
}

type Issue = z.core.$ZodIssue;

function objectAt(value: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let current = value;
  for (const part of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

/** Keys a strict object at `path` accepts (for suggestions). */
function knownKeys(path: ReadonlyArray<PropertyKey>, value: unknown): string[] {
  const [head] = path;
  if (head === undefined) return Object.keys(configSchema.shape);
  if (head === 'sampling') return Object.keys(samplingSchema.shape);
  if (head === 'retry') return Object.keys(retrySchema.shape);
  if (head === 'report') return Object.keys(reportSchema.shape);
  if (head === 'datasets') {
    const fields = datasetObjectSchema.shape.fields.unwrap();
    return path.length >= 3 && path[2] === 'fields' ? Object.keys(fields.shape) : Object.keys(datasetObjectSchema.shape);
  }
  if (head === 'models') {
    const provider = (objectAt(value, path.slice(0, 2)) as { provider?: unknown } | undefined)?.provider;
    const option = modelSchema.options.find((candidate) => candidate.shape.provider.value === provider);
    return option ? Object.keys(option.shape) : [];
  }
  return [];
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`)).join('');
}

function describeIssue(issue: Issue, value: unknown): { text: string; hint?: string } {
  const where = formatPath(issue.path) || '(top level)';
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeys(issue.path, value);
    const parts = issue.keys.map((key) => {
      const suggestion = closest(key, known);
      return suggestion ? `'${key}' (did you mean '${suggestion}'?)` : `'${key}'`;
    });
    return {
      text: `unknown key${issue.keys.length > 1 ? 's' : ''} ${parts.join(', ')} in ${where}`,
      hint: known.length > 0 ? `Valid keys there: ${known.join(', ')}.` : 'Remove the key.',
    };
  }
  if (issue.path.length === 3 && issue.path[0] === 'models' && issue.path[2] === 'provider') {
    const given = objectAt(value, issue.path);
    const suggestion = typeof given === 'string' ? closest(given, providerKinds) : undefined;
    return {
      text: `${where}: unknown provider ${JSON.stringify(given)}${suggestion ? ` (did you mean '${suggestion}'?)` : ''}`,
      hint: `Use one of: ${providerKinds.join(', ')}.`,
    };
  }
  const given = objectAt(value, issue.path);
  if (given === undefined && issue.code === 'invalid_type') return { text: `${where}: required key is missing` };
  return { text: `${where}: ${issue.message} (got ${JSON.stringify(given)})` };
}

function configErrorFrom(error: z.ZodError, value: unknown, source: string): ConfigError {
  // Misspelt keys first: a missing required key is usually the same mistake seen from the other side.
  const issues = [...error.issues].sort((a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'));
  const described = issues.map((issue) => describeIssue(issue, value));
  const first = described.find((entry) => entry.hint !== undefined);
  const message = `${source}: invalid config\n${described.map((entry) => `  - ${entry.text}`).join('\n')}`;
  return new ConfigError('CONFIG_INVALID', message, {
    hint: first?.hint ?? 'See the config reference in README.md.',
  });
}

/** Narrows a model entry to its provider's config type. */
export type ModelOf<P extends ModelConfig['provider']> = Extract<ModelConfig, { provider: P }>;
