/** Which files of a source (a file or a folder) a format reads. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetError } from '../core/errors.ts';
import { MANIFEST_FILE } from '../store/run-manifest.ts';
import { sampleLogExists, SAMPLES_FILE } from '../store/sample-log.ts';

/** True when `source` is a scaling-bench run directory (a folder holding run.json and samples.jsonl). */
export function isRunDirectory(source: string): boolean {
  return existsSync(source) && statSync(source).isDirectory() && existsSync(join(source, MANIFEST_FILE)) && sampleLogExists(join(source, SAMPLES_FILE));
}

/**
 * The files to read: the source itself when it is a file, else the files under the folder
 * (recursively) whose names end with one of `extensions`, in sorted path order.
 */
export function listSourceFiles(source: string, extensions: string[]): string[] {
  if (!existsSync(source)) {
    throw new DatasetError('IMPORT_SOURCE_MISSING', `import source '${source}' does not exist`, {
      hint: 'Give a local file or folder, or a Hugging Face dataset id such as ScalingIntelligence/monkey_business with --config.',
    });
  }
  if (!statSync(source).isDirectory()) return [source];
  const found: string[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (extensions.some((extension) => entry.name.endsWith(extension)) && !entry.name.endsWith('.incomplete')) found.push(path);
    }
  };
  walk(source);
  if (found.length === 0) {
    throw new DatasetError('IMPORT_SOURCE_EMPTY', `no ${extensions.join('/')} files in ${source}`, {
      hint: 'Point import at the file itself, or at a folder holding the recorded sample files.',
    });
  }
  return found;
}
