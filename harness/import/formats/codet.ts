/**
 * CodeT's HumanEval sample files (microsoft/CodeT `data/generated_data/*_code_solution.jsonl`):
 * lines of `{ prompt, samples[] }`, joined by exact prompt to the task file
 * `HumanEval_for_code_generation.jsonl` (`task_id`, `prompt`, `entry_point`, `canonical_solution`,
 * `test`) in the same folder. Sample texts are kept as recorded: the code verifier cuts them at
 * the HumanEval stop sequences, as CodeT's `PostProcessor.solution_extract` did. No verdicts are
 * recorded: use `--regrade` to execute them.
 */
import { basename, dirname, join } from 'node:path';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { z } from 'zod';
import { DatasetError } from '../../core/errors.ts';
import type { Problem } from '../../core/types.ts';
import { readJsonLines } from '../read-records.ts';
import type { FormatReader } from '../types.ts';

/** File name of CodeT's HumanEval task file. */
export const CODET_TASK_FILE = 'HumanEval_for_code_generation.jsonl';

const taskSchema = z.object({ task_id: z.string(), prompt: z.string(), entry_point: z.string(), test: z.string(), canonical_solution: z.string().optional() });
const sampleLineSchema = z.object({ prompt: z.string(), samples: z.array(z.string()) });

function findFiles(source: string): { samplesFile: string; taskFile: string } {
  if (statSync(source).isDirectory()) {
    const samplesFile = readdirSync(source).filter((name) => name.endsWith('.jsonl') && name !== CODET_TASK_FILE).sort()[0];
    if (!samplesFile) throw new DatasetError('IMPORT_SOURCE_EMPTY', `no CodeT sample file in ${source}`, { hint: `The folder needs a *_code_solution.jsonl file beside ${CODET_TASK_FILE}.` });
    return { samplesFile: join(source, samplesFile), taskFile: join(source, CODET_TASK_FILE) };
  }
  return { samplesFile: source, taskFile: join(dirname(source), CODET_TASK_FILE) };
}

/** Reads CodeT HumanEval sample files. */
export const codetFormat: FormatReader = {
  name: 'codet',
  async *read(source, options) {
    const { samplesFile, taskFile } = findFiles(source);
    if (!existsSync(taskFile)) {
      throw new DatasetError('IMPORT_CODET_TASKS_MISSING', `CodeT task file ${taskFile} not found`, {
        hint: `Put CodeT's ${CODET_TASK_FILE} (task_id, prompt, entry_point, test) beside the sample file.`,
      });
    }
    const tasks = new Map<string, Problem>();
    for await (const row of readJsonLines(taskFile)) {
      const task = taskSchema.parse(row.value);
      tasks.set(task.prompt, {
        id: task.task_id,
        question: task.prompt,
        answer: '',
        code: { prompt: task.prompt, test: task.test, entryPoint: task.entry_point, ...(task.canonical_solution === undefined ? {} : { canonicalSolution: task.canonical_solution }) },
      });
    }
    // `HumanEval_codegen16B_temp0.8_topp0.95_num100_max300_code_solution.jsonl`
    const named = /^([^_]+)_([^_]+)_temp([\d.]+)/.exec(basename(samplesFile));
    const cell = {
      model: options.model ?? named?.[2] ?? 'unknown-model',
      dataset: options.dataset ?? (named?.[1] ?? 'humaneval').toLowerCase(),
      temperature: options.temperature ?? (named?.[3] === undefined ? 0 : Number(named[3])),
    };
    let count = 0;
    for await (const row of readJsonLines(samplesFile)) {
      if (options.limit !== undefined && count >= options.limit) return;
      const parsed = sampleLineSchema.safeParse(row.value);
      if (!parsed.success) throw new DatasetError('IMPORT_BAD_ROW', `${row.where} is not a CodeT sample line ({ prompt, samples[] })`, { hint: 'Pass the right --format.' });
      const problem = tasks.get(parsed.data.prompt);
      if (!problem) {
        throw new DatasetError('IMPORT_CODET_UNMATCHED', `${row.where}: its prompt matches no task in ${taskFile}`, {
          hint: 'Samples are joined to tasks by exact prompt; use the task file the samples were generated from.',
        });
      }
      count += 1;
      yield { cell, verifierKind: 'code', problem, samples: parsed.data.samples.map((text) => ({ text })) };
    }
  },
};
