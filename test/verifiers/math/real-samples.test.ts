/**
 * Real model samples with the labels their authors assigned: OpenAI's GSM8K model solutions
 * (`is_correct`, 4 methods × 1,319) and Qwen2.5-Math samples on 100 MATH problems (`score`, × 8).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { gsm8kGoldAnswer } from '../../../harness/datasets/math-datasets.ts';
import { createMathVerifier } from '../../../harness/verifiers/math/math-verifier.ts';
import { hasSharedFiles, sharedDataDir } from '../../helpers/shared-data.ts';

const gsm8kTestPath = join(sharedDataDir(), 'gsm8k', 'test.jsonl');
const gsm8kSolutionsPath = join(sharedDataDir(), 'samples-gsm8k-openai-verifiers', 'example_model_solutions.jsonl');
const qwenPath = join(sharedDataDir(), 'samples-math-qwen25-math-8', 'math_cot_100.jsonl');
const present = hasSharedFiles([gsm8kTestPath, gsm8kSolutionsPath, qwenPath]);

const readLines = (path: string): unknown[] => readFileSync(path, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as unknown);
const methods = ['6b_finetuning', '6b_verification', '175b_finetuning', '175b_verification'] as const;
const solutionSchema = z.object({ solution: z.string(), is_correct: z.boolean() });
const gsm8kRowSchema = z.object({ '6b_finetuning': solutionSchema, '6b_verification': solutionSchema, '175b_finetuning': solutionSchema, '175b_verification': solutionSchema });
const qwenRowSchema = z.object({ idx: z.number(), answer: z.string(), code: z.array(z.string()), score: z.array(z.boolean()) });

describe.skipIf(!present)(`real samples${present ? '' : ` (skipped: shared data folder ${sharedDataDir()} is absent; set SCALING_BENCH_DATA)`}`, () => {
  it('GSM8K: every OpenAI model solution gets the is_correct label OpenAI gave it (5,276 / 5,276)', async () => {
    const tests = readLines(gsm8kTestPath).map((row) => z.object({ answer: z.string() }).parse(row));
    const rows = readLines(gsm8kSolutionsPath).map((row) => gsm8kRowSchema.parse(row));
    const verifier = createMathVerifier({ style: 'gsm8k' });
    const correct: Record<string, number> = {};
    const disagreements: string[] = [];
    for (const [index, row] of rows.entries()) {
      const gold = gsm8kGoldAnswer(tests[index]?.answer ?? '') ?? '';
      for (const method of methods) {
        const verdict = await verifier.verify({ id: String(index), question: '', answer: gold }, row[method].solution);
        if (verdict.correct) correct[method] = (correct[method] ?? 0) + 1;
        if (verdict.correct !== row[method].is_correct) disagreements.push(`${index}/${method}`);
      }
    }
    expect(disagreements).toEqual([]);
    // The published accuracies: 21.68%, 39.04%, 34.72%, 56.25% of 1,319.
    expect(correct).toEqual({ '6b_finetuning': 286, '6b_verification': 515, '175b_finetuning': 458, '175b_verification': 742 });
  });

  it('Qwen2.5-Math samples: agree with Qwen’s score on 791 / 800; the 9 others are Qwen extraction misses', async () => {
    const rows = readLines(qwenPath).map((row) => qwenRowSchema.parse(row));
    const verifier = createMathVerifier({ style: 'math' });
    const disagreements: string[] = [];
    for (const row of rows) {
      for (const [index, text] of row.code.entries()) {
        const verdict = await verifier.verify({ id: String(row.idx), question: '', answer: row.answer }, text);
        if (verdict.correct !== row.score[index]) disagreements.push(`${row.idx}/${index}: ours ${String(verdict.correct)} (${String(verdict.answer)})`);
      }
    }
    // Problem 3 (gold `\text{4:30 p.m.}`): Qwen extracts `4:30` and scores it wrong; problem 72 (gold `10{,}000`): Qwen misreads `10{,}000`.
    expect(disagreements).toEqual([
      ...Array.from({ length: 8 }, (_, index) => `3/${index}: ours true (4:30 \\text{ p.m.})`),
      '72/7: ours true (10000)',
    ]);
  });
});
