/**
 * Small problem sets written by this project for the offline quickstart (datasets/*.jsonl):
 * original arithmetic and word problems, generated for the demo; not a benchmark.
 */
import { fileURLToPath } from 'node:url';
import type { Problem } from '../core/types.ts';
import { readRecords, stringField } from './jsonl.ts';
import type { DatasetDefinition } from './types.ts';

/** The project's own datasets folder. */
export const projectDatasetsDir = fileURLToPath(new URL('../../datasets/', import.meta.url));

function projectDataset(id: string, file: string, verifier: 'math' | 'gsm8k', description: string): DatasetDefinition {
  return {
    id,
    description,
    source: `datasets/${file} (written by scaling-bench for the quickstart)`,
    verifier,
    async load(): Promise<Problem[]> {
      return readRecords(`${projectDatasetsDir}${file}`).map((record) => ({
        id: stringField(record, 'id') ?? '',
        question: stringField(record, 'question') ?? '',
        answer: stringField(record, 'answer') ?? '',
      }));
    },
  };
}

/** The quickstart problem sets. */
export const projectDatasets: DatasetDefinition[] = [
  projectDataset('quickstart-math', 'quickstart-math.jsonl', 'math', '40 short MATH-style problems (answers in \\boxed{})'),
  projectDataset('quickstart-gsm', 'quickstart-gsm.jsonl', 'gsm8k', '30 short GSM8K-style word problems (answers after ####)'),
];
