/**
 * Reads a YAML config, validates it with the strict schema and resolves it: every default
 * filled, the k list and temperatures decided, API keys read from the environment (the only
 * place the environment is read) and kept out of anything serialised.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../core/errors.ts';
import { codeTimeLimitsSchema, configSchema, datasetObjectSchema, reportSchema, retrySchema, samplingSchema, type DatasetConfig, type ParsedConfig } from './schema.ts';
import { modelSchema, providerKinds, type ModelConfig } from './model-schema.ts';
import { closest } from './suggest.ts';
import { checkRunName } from './run-name.ts';
import { redactUrlCredentials } from '../providers/errors-shared.ts';
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

/** Most YAML aliases a config may use: configs need few, and expanding many is a resource-exhaustion attack. */
export const MAX_YAML_ALIASES = 100;

/** Reads and parses a YAML config file into an unvalidated value. */
export function readConfigFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw configReadError(path, error);
  }
  try {
    return parseYaml(text, { maxAliasCount: MAX_YAML_ALIASES });
  } catch (error) {
    if (error instanceof YAMLParseError) {
      throw new ConfigError('CONFIG_YAML', `${path}: ${(error.message.split('\n')[0] ?? 'invalid YAML').replace(/:$/, '')}`, {
        hint: 'Fix the YAML syntax at the line shown (indentation, a missing colon, an unclosed quote).',
        cause: error,
      });
    }
    if (error instanceof ReferenceError && /alias/i.test(error.message)) {
      throw new ConfigError('CONFIG_YAML_ALIASES', `${path}: the YAML expands more than ${MAX_YAML_ALIASES} aliases (*name references)`, {
        hint: 'Write the repeated values out, or use fewer anchors and aliases: a config needs only a few.',
        cause: error,
      });
    }
    throw error;
  }
}

/** Maps a failure to read the config file (missing, a folder, unreadable, name too long) to a ConfigError. */
function configReadError(path: string, error: unknown): ConfigError {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  const reasons: Record<string, [string, string, string]> = {
    ENOENT: ['CONFIG_NOT_FOUND', 'does not exist', 'Pass the path of a YAML config, e.g. configs/quickstart.yaml.'],
    EISDIR: ['CONFIG_IS_DIRECTORY', 'is a folder, not a file', 'Pass the path of a YAML file inside it, e.g. configs/quickstart.yaml.'],
    ENOTDIR: ['CONFIG_NOT_FOUND', 'does not exist (a part of the path is a file, not a folder)', 'Check the path of the config file.'],
    EACCES: ['CONFIG_UNREADABLE', 'cannot be read (permission denied)', 'Give your user read permission on the file (chmod u+r), or copy it somewhere you can read.'],
    EPERM: ['CONFIG_UNREADABLE', 'cannot be read (operation not permitted)', 'Give your user read permission on the file, or copy it somewhere you can read.'],
    ENAMETOOLONG: ['CONFIG_NOT_FOUND', 'has a name too long for the file system', 'Check the path of the config file.'],
  };
  const [errorCode, reason, hint] = reasons[code] ?? ['CONFIG_UNREADABLE', `cannot be read (${code || (error instanceof Error ? error.message : String(error))})`, 'Check the path of the config file.'];
  return new ConfigError(errorCode, `config file ${path} ${reason}`, { hint, cause: error });
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
  const datasets = parsed.datasets.map((entry) => {
    const dataset: DatasetConfig = typeof entry === 'string' ? { id: entry } : { ...entry };
    if (dataset.path !== undefined) dataset.path = resolve(options.configDir, dataset.path);
    return dataset;
  });
  const temperature = parsed.sampling.temperature;
  const temperatures = Array.isArray(temperature) ? temperature : [temperature];
  rejectDuplicates(options.source, [
    { key: 'models[].id', values: parsed.models.map((model) => model.id), code: 'CONFIG_DUPLICATE_MODEL', hint: 'Give every model entry its own `id`: it labels the curves and keys the stored samples.' },
    { key: 'datasets[].id', values: datasets.map((dataset) => dataset.id), code: 'CONFIG_DUPLICATE_DATASET', hint: 'List each dataset once; to use two subsets of one dataset, give the second a path and its own id.' },
    { key: 'sampling.temperature', values: temperatures, code: 'CONFIG_DUPLICATE_VALUE', hint: 'List each temperature once: a repeated value would draw every sample twice.' },
    { key: 'sampling.thinkingBudgets', values: parsed.sampling.thinkingBudgets, code: 'CONFIG_DUPLICATE_VALUE', hint: 'List each thinking budget once: a repeated value would draw every sample twice.' },
  ]);
  const outputDir = resolve(options.cwd, parsed.outputDir ?? 'reports');
  checkRunName(parsed.name, outputDir, options.source);
  return { ...parsed, datasets, ks, temperatures, configDir: options.configDir, outputDir };
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

/**
 * Every secret value the run reads from the environment: each model's and scorer's `apiKeyEnv`
 * variable, and HF_TOKEN and OPENAI_API_KEY when set. Messages stored or printed are scrubbed of them.
 */
export function secretValues(config: Pick<ResolvedConfig, 'models' | 'selection'>, env: Record<string, string | undefined>): string[] {
  const variables = new Set(['HF_TOKEN', 'OPENAI_API_KEY']);
  for (const model of config.models) if ('apiKeyEnv' in model && model.apiKeyEnv) variables.add(model.apiKeyEnv);
  const scorers: unknown[] = config.selection === undefined ? [] : Array.isArray(config.selection) ? config.selection : [config.selection];
  for (const scorer of scorers) collectApiKeyEnv(scorer, variables);
  return [...variables].map((name) => env[name]).filter((value): value is string => typeof value === 'string' && value.length > 0);
}

function collectApiKeyEnv(value: unknown, into: Set<string>): void {
  if (typeof value !== 'object' || value === null) return;
  for (const [key, child] of Object.entries(value)) {
    if (key === 'apiKeyEnv' && typeof child === 'string') into.add(child);
    else collectApiKeyEnv(child, into);
  }
}

/**
 * The resolved config as stored in run.json: plain data, no secrets (only the names of the
 * variables), and credentials inside URLs (`user:password@`, `?api_key=…`) redacted.
 */
export function serialisableConfig(config: ResolvedConfig): Record<string, unknown> {
  return JSON.parse(JSON.stringify(config), (_key, value: unknown) => (typeof value === 'string' ? redactUrlCredentials(value) : value)) as Record<string, unknown>;
}

/** Throws a ConfigError naming the first value listed twice under a key (sweeps must not draw a slot twice). */
function rejectDuplicates(source: string, lists: ReadonlyArray<{ key: string; values: ReadonlyArray<string | number>; code: string; hint: string }>): void {
  for (const list of lists) {
    const repeated = list.values.find((value, index) => list.values.indexOf(value) !== index);
    if (repeated !== undefined) {
      throw new ConfigError(list.code, `${source}: ${list.key} lists ${JSON.stringify(repeated)} twice`, { hint: list.hint });
    }
  }
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
  if (head === 'codeTimeLimits') return Object.keys(codeTimeLimitsSchema.shape);
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
