/**
 * Small problem sets written by this project for the offline quickstart (datasets/*.jsonl):
 * original arithmetic and word problems, generated for the demo; not a benchmark.
 */
import { fileURLToPath } from 'node:url';
import type { Problem, StdioTest } from '../core/types.ts';
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

function stdioTests(record: Record<string, unknown>): StdioTest[] {
  const tests = Array.isArray(record.tests) ? (record.tests as unknown[]) : [];
  return tests.map((test) => {
    const fields = (typeof test === 'object' && test !== null ? test : {}) as Record<string, unknown>;
    return { input: String(fields.input ?? ''), output: String(fields.output ?? '') };
  });
}

/** The project's stdin/stdout problem set (verifier `stdio`): tests, limits and a reference solution per problem. */
function stdioDataset(id: string, file: string, description: string): DatasetDefinition {
  return {
    id,
    description,
    source: `datasets/${file} (written by scaling-bench for tests and demos)`,
    verifier: 'stdio',
    async load(): Promise<Problem[]> {
      return readRecords(`${projectDatasetsDir}${file}`).map((record) => ({
        id: stringField(record, 'id') ?? '',
        question: stringField(record, 'question') ?? '',
        answer: '',
        stdio: {
          tests: stdioTests(record),
          ...(typeof record.timeLimitMs === 'number' ? { timeLimitMs: record.timeLimitMs } : {}),
          ...(typeof record.memoryLimitBytes === 'number' ? { memoryLimitBytes: record.memoryLimitBytes } : {}),
          ...(Array.isArray(record.solutions) ? { solutions: record.solutions.map(String) } : {}),
        },
      }));
    },
  };
}

/** The quickstart problem sets. */
export const projectDatasets: DatasetDefinition[] = [
  projectDataset('quickstart-math', 'quickstart-math.jsonl', 'math', '40 short MATH-style problems (answers in \\boxed{})'),
  projectDataset('quickstart-gsm', 'quickstart-gsm.jsonl', 'gsm8k', '30 short GSM8K-style word problems (answers after ####)'),
  stdioDataset('stdio-mini', 'stdio-mini.jsonl', '6 short stdin/stdout programming problems with tests (CodeContests style)'),
];
