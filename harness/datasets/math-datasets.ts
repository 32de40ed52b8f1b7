/**
 * Built-in math datasets: `math` (the 5,000-problem MATH test split), `math500` (the PRM800K test
 * split of MATH), `gsm8k` (test) and `aime2024`, each with its gold answer as the dataset defines
 * it, plus the seeded few-shot draw.
 */
import { DatasetError } from '../core/errors.ts';
import { createRandom, hashSeed, drawWithoutReplacement } from '../core/random.ts';
import type { Problem } from '../core/types.ts';
import { lastBoxedAnswer } from '../verifiers/math/extract-answer.ts';
import { readDatasetRecords, stringField } from './jsonl.ts';
import { findInHubCache, locateDatasetFile, type DatasetFileSpec } from './locate.ts';
import type { DatasetDefinition, DatasetLocations } from './types.ts';

type RawRecord = Record<string, unknown>;

/** First present string field among `names` (sources spell fields differently: `answer`, `Answer`). */
function field(record: RawRecord, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = stringField(record, name);
    if (value !== undefined) return value;
  }
  return undefined;
}

function requireField(record: RawRecord, dataset: string, index: number, ...names: string[]): string {
  const value = field(record, ...names);
  if (value === undefined) {
    throw new DatasetError('DATASET_FIELD_MISSING', `${dataset} record ${index + 1} has no '${names[0] ?? ''}' field`, {
      hint: `The file must hold the dataset's original fields (${names.join(' or ')}); fields present: ${Object.keys(record).join(', ')}.`,
    });
  }
  return value;
}

/** The GSM8K gold answer: the text after the last `#### `, thousands commas removed. */
export function gsm8kGoldAnswer(solution: string): string | undefined {
  const index = solution.lastIndexOf('####');
  if (index < 0) return undefined;
  return solution.slice(index + 4).trim().replace(/,/g, '');
}

/** An AIME gold answer as an integer string: `025` → `25`; other text is kept trimmed. */
export function aimeGoldAnswer(answer: string): string {
  const trimmed = answer.trim();
  return /^\d+$/.test(trimmed) ? String(Number.parseInt(trimmed, 10)) : trimmed;
}

function slug(text: string): string {
  return text.trim().toLowerCase().replace(/&/g, 'and').replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
}

function levelTag(level: string | undefined): number | string | undefined {
  if (level === undefined) return undefined;
  const match = /(\d+)/.exec(level);
  return match ? Number(match[1]) : level;
}

function mathProblem(record: RawRecord, index: number, dataset: string): Problem {
  const question = requireField(record, dataset, index, 'problem', 'question');
  const solution = requireField(record, dataset, index, 'solution');
  const subject = field(record, 'type', 'subject') ?? 'unknown';
  const uniqueId = field(record, 'unique_id');
  const answer = field(record, 'answer') ?? lastBoxedAnswer(solution);
  if (answer === null) {
    throw new DatasetError('DATASET_NO_GOLD', `${dataset} record ${index + 1} has no answer field and no \\boxed{} in its solution`, {
      hint: 'MATH gold answers are the last \\boxed{} of the reference solution; check that the file is the MATH test split.',
    });
  }
  const level = levelTag(field(record, 'level'));
  return {
    // Without `unique_id` (the full test split as distributed), the id is a hash of the problem text, the same from every source.
    id: uniqueId ?? `test/${slug(subject)}/${hashSeed('math', question).toString(16).padStart(8, '0')}`,
    question,
    answer,
    solution,
    tags: { subject, ...(level === undefined ? {} : { level }) },
  };
}

function ensureUniqueIds(problems: Problem[]): Problem[] {
  const seen = new Map<string, number>();
  return problems.map((problem) => {
    const count = seen.get(problem.id) ?? 0;
    seen.set(problem.id, count + 1);
    return count === 0 ? problem : { ...problem, id: `${problem.id}-${count + 1}` };
  });
}

/** Subjects of the MATH test split as EleutherAI/hendrycks_math configs. */
const mathSubjects = ['algebra', 'counting_and_probability', 'geometry', 'intermediate_algebra', 'number_theory', 'prealgebra', 'precalculus'];

const mathSpec: DatasetFileSpec = { folder: 'math', file: 'test.jsonl' };
/** The test file of each MATH subject on the Hub (EleutherAI/hendrycks_math). */
const mathSubjectSpecs = mathSubjects.map((subject) => ({ folder: 'math', file: 'test.jsonl', hubRepo: 'EleutherAI/hendrycks_math', hubPath: `${subject}/test-00000-of-00001.parquet` }));
const math500Spec: DatasetFileSpec = { folder: 'math500', file: 'test.jsonl', hubRepo: 'HuggingFaceH4/MATH-500', hubPath: 'test.jsonl' };
const gsm8kSpec: DatasetFileSpec = { folder: 'gsm8k', file: 'test.jsonl', hubRepo: 'openai/gsm8k', hubPath: 'main/test-00000-of-00001.parquet' };
const aimeSpec: DatasetFileSpec = { folder: 'aime2024', file: 'test.jsonl', hubRepo: 'Maxwell-Jia/AIME_2024', hubPath: 'aime_2024_problems.parquet' };

/** MATH test files: the local `math/test.jsonl`, else the seven subject files of EleutherAI/hendrycks_math in the Hub cache. */
function locateMathFiles(locations: DatasetLocations): string[] {
  try {
    return [locateDatasetFile(mathSpec, locations)];
  } catch (error) {
    const hubCacheDir = locations.hubCacheDir;
    if (hubCacheDir) {
      const files = mathSubjectSpecs.map((spec) => findInHubCache(hubCacheDir, spec.hubRepo, spec.hubPath));
      if (files.every((file): file is string => file !== undefined)) return files;
    }
    if (error instanceof DatasetError) {
      throw new DatasetError(error.code, error.message, {
        hint: 'Run `scaling-bench datasets prepare math` to download EleutherAI/hendrycks_math (test split of each subject), or set SCALING_BENCH_DATA to a folder holding math/test.jsonl.',
        cause: error,
      });
    }
    throw error;
  }
}

/** The full MATH test split (Hendrycks et al. 2021): 5,000 problems; gold = last `\boxed{}` of the solution. */
export const mathDataset: DatasetDefinition = {
  id: 'math',
  description: 'MATH test split, 5,000 competition problems (gold: last \\boxed{} of the reference solution)',
  source: 'Hendrycks et al. 2021; local math/test.jsonl, or Hub EleutherAI/hendrycks_math (7 subject configs, test split)',
  verifier: 'math',
  files: [mathSpec, ...mathSubjectSpecs],
  async load(locations: DatasetLocations): Promise<Problem[]> {
    const records: RawRecord[] = [];
    for (const path of locateMathFiles(locations)) records.push(...(await readDatasetRecords(path)));
    return ensureUniqueIds(records.map((record, index) => mathProblem(record, index, 'math')));
  },
};

/** MATH500: the 500-problem test split of "Let's Verify Step by Step" (PRM800K); gold = its `answer` field. */
export const math500Dataset: DatasetDefinition = {
  id: 'math500',
  description: 'MATH500, the PRM800K test split of MATH (500 problems; ids are MATH unique_id paths)',
  source: 'Lightman et al. 2023 (openai/prm800k); Hub HuggingFaceH4/MATH-500 test.jsonl',
  verifier: 'math',
  files: [math500Spec],
  async load(locations: DatasetLocations): Promise<Problem[]> {
    const records = await readDatasetRecords(locateDatasetFile(math500Spec, locations));
    return ensureUniqueIds(records.map((record, index) => mathProblem(record, index, 'math500')));
  },
};

/** GSM8K test split: 1,319 grade-school word problems; gold = the number after `#### `, commas removed. */
export const gsm8kDataset: DatasetDefinition = {
  id: 'gsm8k',
  description: 'GSM8K test split, 1,319 grade-school math word problems (gold: number after ####)',
  source: 'Cobbe et al. 2021 (openai/grade-school-math); Hub openai/gsm8k, config main, test split',
  verifier: 'gsm8k',
  files: [gsm8kSpec],
  async load(locations: DatasetLocations): Promise<Problem[]> {
    const records = await readDatasetRecords(locateDatasetFile(gsm8kSpec, locations));
    return records.map((record, index) => {
      const question = requireField(record, 'gsm8k', index, 'question');
      const solution = requireField(record, 'gsm8k', index, 'answer');
      const answer = gsm8kGoldAnswer(solution);
      if (answer === undefined) {
        throw new DatasetError('DATASET_NO_GOLD', `gsm8k record ${index + 1} has no '#### ' line in its answer`, { hint: 'Use the original GSM8K files, whose answer field ends with "#### <number>".' });
      }
      return { id: `gsm8k/test/${index}`, question, answer, solution };
    });
  },
};

/** AIME 2024 (I and II): 30 problems with integer answers (zero padding dropped: `025` → `25`). */
export const aime2024Dataset: DatasetDefinition = {
  id: 'aime2024',
  description: 'AIME 2024 I and II, 30 problems with integer answers 0-999',
  source: 'MAA AIME 2024 (solutions from the AoPS wiki); local aime2024/test.jsonl (Qwen2.5-Math eval copy), or Hub Maxwell-Jia/AIME_2024',
  verifier: 'math',
  files: [aimeSpec],
  async load(locations: DatasetLocations): Promise<Problem[]> {
    const records = await readDatasetRecords(locateDatasetFile(aimeSpec, locations));
    return ensureUniqueIds(
      records.map((record, index) => {
        const question = requireField(record, 'aime2024', index, 'problem', 'Problem', 'question');
        const answer = aimeGoldAnswer(requireField(record, 'aime2024', index, 'answer', 'Answer'));
        const solution = field(record, 'solution', 'Solution');
        const id = field(record, 'id', 'ID') ?? String(index);
        const url = field(record, 'url');
        return { id: `aime2024/${id}`, question, answer, ...(solution === undefined ? {} : { solution }), ...(url ? { tags: { url } } : {}) };
      }),
    );
  },
};

/** The built-in math datasets. */
export const mathDatasets: DatasetDefinition[] = [mathDataset, math500Dataset, gsm8kDataset, aime2024Dataset];

/**
 * Draws `count` few-shot examples from `pool` with a seeded shuffle, leaving out the problem with
 * id `exclude` (the one being asked). Pass a train split as the pool when there is one; the
 * built-in datasets ship only their test split, so examples come from the same split, never the
 * current problem. Same pool, count and seed → same examples.
 */
export function drawFewShot(pool: readonly Problem[], count: number, seed: number, exclude?: string): Problem[] {
  const candidates = pool.filter((problem) => problem.id !== exclude);
  return drawWithoutReplacement(candidates, Math.max(0, Math.min(Math.floor(count), candidates.length)), createRandom(seed));
}
