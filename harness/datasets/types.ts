/** The dataset loader interface. */
import type { Problem, VerifierKind } from '../core/types.ts';
import type { DatasetFileSpec } from './locate.ts';

/** Where loaders look for files. */
export interface DatasetLocations {
  /** Local datasets folder laid out as `<dataset>/<file>` (env SCALING_BENCH_DATA); searched first. */
  dataDir?: string;
  /** Hugging Face hub cache folder (default `~/.cache/huggingface/hub`, env HF_HUB_CACHE / HF_HOME). */
  hubCacheDir?: string;
  /** scaling-bench's own cache for files derived from datasets (default `~/.cache/scaling-bench`, env SCALING_BENCH_CACHE). */
  cacheDir?: string;
}

/** A dataset definition: built-in or user file. */
export interface DatasetDefinition {
  /** Id used in configs, e.g. `math500`. */
  id: string;
  /** One line saying what it is. */
  description: string;
  /** Where it comes from (Hub repo, paper), shown by `datasets list`. */
  source: string;
  /** Which checker judges its samples. */
  verifier: VerifierKind;
  /** The files it reads and their Hub origin (used by `datasets prepare` to download them). */
  files?: DatasetFileSpec[];
  /** Reads every problem, in the dataset's own order. */
  load(locations: DatasetLocations): Promise<Problem[]>;
}
