import { tempDir } from '../helpers/temp-dir.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Problem } from '../../harness/core/types.ts';
import { DatasetError } from '../../harness/core/errors.ts';
import { aime2024Dataset, aimeGoldAnswer, drawFewShot, gsm8kDataset, gsm8kGoldAnswer, math500Dataset, mathDataset, mathDatasets } from '../../harness/datasets/math-datasets.ts';
import { extractAnswer } from '../../harness/verifiers/math/extract-answer.ts';
import { createMathEquivalence } from '../../harness/verifiers/math/math-equivalent.ts';
import { judgeMathAnswer } from '../../harness/verifiers/math/math-verifier.ts';
import { hasSharedData, sharedDataDir } from '../helpers/shared-data.ts';

describe('gold answers as each dataset defines them', () => {
  it.each([
    ['Janet sells 9 eggs.\n#### 18', '18'],
    ['The profit is 200,000-130,000=$70,000\n#### 70,000', '70000'],
    ['no marker', undefined],
  ])('GSM8K %j → %j', (solution, gold) => {
    expect(gsm8kGoldAnswer(solution)).toBe(gold);
  });

  it.each([
    ['025', '25'],
    ['204', '204'],
    ['000', '0'],
    [' 73 ', '73'],
  ])('AIME %j → %j', (answer, gold) => {
    expect(aimeGoldAnswer(answer)).toBe(gold);
  });
});

describe('math datasets from a generated data folder', () => {
  let dataDir = '';
  beforeAll(() => {
    dataDir = tempDir('scaling-bench-math-datasets-');
    for (const folder of ['math', 'math500', 'gsm8k', 'aime2024']) mkdirSync(join(dataDir, folder));
    writeFileSync(join(dataDir, 'math', 'test.jsonl'), [
      JSON.stringify({ problem: 'What is $1+1$?', level: 'Level 1', type: 'Prealgebra', solution: 'First $\\boxed{3}$, no: $1+1=\\boxed{2}$.', idx: 0 }),
      JSON.stringify({ problem: 'Half of 1?', level: 'Level 2', type: 'Counting & Probability', solution: 'It is $\\boxed{\\frac{1}{2}}$.', idx: 1 }),
    ].join('\n'));
    writeFileSync(join(dataDir, 'math500', 'test.jsonl'), JSON.stringify({ problem: 'p', solution: 's $\\boxed{\\dfrac{1}{2}}$', answer: '\\frac{1}{2}', subject: 'Algebra', level: 3, unique_id: 'test/algebra/7.json' }) + '\n');
    writeFileSync(join(dataDir, 'gsm8k', 'test.jsonl'), JSON.stringify({ question: 'How many?', answer: 'It is 1,000 + 200 = <<1000+200=1200>>1,200\n#### 1,200' }) + '\n');
    writeFileSync(join(dataDir, 'aime2024', 'test.jsonl'), JSON.stringify({ id: 60, problem: 'Find it.', solution: 'So $\\boxed{025}$.', answer: '025', url: 'https://example.org/60' }) + '\n');
  });

  it('reads MATH with the last box as gold and ids that do not depend on file order', async () => {
    const problems = await mathDataset.load({ dataDir });
    expect(problems.map((problem) => problem.answer)).toEqual(['2', '\\frac{1}{2}']);
    expect(problems[0]?.id).toMatch(/^test\/prealgebra\/[0-9a-f]{8}$/);
    expect(problems[1]?.id).toMatch(/^test\/counting_and_probability\/[0-9a-f]{8}$/);
    expect(problems[0]?.tags).toEqual({ subject: 'Prealgebra', level: 1 });
  });

  it('reads MATH500 with its answer field and unique_id', async () => {
    expect(await math500Dataset.load({ dataDir })).toEqual([
      { id: 'test/algebra/7.json', question: 'p', answer: '\\frac{1}{2}', solution: 's $\\boxed{\\dfrac{1}{2}}$', tags: { subject: 'Algebra', level: 3 } },
    ]);
  });

  it('reads GSM8K with the number after #### (commas removed)', async () => {
    const [problem] = await gsm8kDataset.load({ dataDir });
    expect(problem).toEqual({ id: 'gsm8k/test/0', question: 'How many?', answer: '1200', solution: 'It is 1,000 + 200 = <<1000+200=1200>>1,200\n#### 1,200' });
  });

  it('reads AIME 2024 with integer answers (zero padding dropped)', async () => {
    const [problem] = await aime2024Dataset.load({ dataDir });
    expect(problem).toEqual({ id: 'aime2024/60', question: 'Find it.', answer: '25', solution: 'So $\\boxed{025}$.', tags: { url: 'https://example.org/60' } });
  });

  it('a missing dataset is a DatasetError that says how to get it', async () => {
    const empty = tempDir('scaling-bench-empty-');
    await expect(math500Dataset.load({ dataDir: empty, hubCacheDir: join(empty, 'hub') })).rejects.toBeInstanceOf(DatasetError);
    await expect(mathDataset.load({ dataDir: empty, hubCacheDir: join(empty, 'hub') })).rejects.toMatchObject({ code: 'DATASET_MISSING', hint: expect.stringContaining('EleutherAI/hendrycks_math') });
  });

  it('lists the four built-in math datasets', () => {
    expect(mathDatasets.map((dataset) => [dataset.id, dataset.verifier])).toEqual([
      ['math', 'math'],
      ['math500', 'math'],
      ['gsm8k', 'gsm8k'],
      ['aime2024', 'math'],
    ]);
  });
});

describe('drawFewShot', () => {
  const pool: Problem[] = Array.from({ length: 20 }, (_, index) => ({ id: `p${index}`, question: `q${index}`, answer: String(index) }));

  it('is seeded: same seed, same examples; another seed, other examples', () => {
    const first = drawFewShot(pool, 4, 7, 'p3').map((problem) => problem.id);
    expect(drawFewShot(pool, 4, 7, 'p3').map((problem) => problem.id)).toEqual(first);
    expect(drawFewShot(pool, 4, 8, 'p3').map((problem) => problem.id)).not.toEqual(first);
    expect(new Set(first).size).toBe(4);
  });

  it('never returns the excluded problem, and at most the pool', () => {
    for (let seed = 0; seed < 50; seed += 1) expect(drawFewShot(pool, 5, seed, 'p0').some((problem) => problem.id === 'p0')).toBe(false);
    expect(drawFewShot(pool.slice(0, 3), 10, 1, 'p1').map((problem) => problem.id).sort()).toEqual(['p0', 'p2']);
    expect(drawFewShot(pool, 0, 1)).toEqual([]);
  });

  it('does not change the pool', () => {
    const copy = pool.map((problem) => problem.id);
    drawFewShot(pool, 10, 3);
    expect(pool.map((problem) => problem.id)).toEqual(copy);
  });
});

const shared = hasSharedData();
describe.skipIf(!shared)(`reference solutions of the real datasets${shared ? '' : ` (skipped: shared data folder ${sharedDataDir()} is absent; set SCALING_BENCH_DATA)`}`, () => {
  const session = createMathEquivalence();
  const judgeAll = (problems: Problem[], style: 'math' | 'gsm8k'): string[] => {
    const failures: string[] = [];
    for (const problem of problems) {
      const extracted = extractAnswer(problem.solution ?? '', { style });
      const correct = extracted.answer !== null && judgeMathAnswer(problem.answer, { ...extracted, answer: extracted.answer }, session).result.equivalent;
      if (!correct) failures.push(`${problem.id}: gold ${problem.answer}, extracted ${String(extracted.answer)} (${extracted.reason})`);
    }
    return failures;
  };

  it('MATH500: 500 / 500 reference solutions are judged equal to their gold', async () => {
    const problems = await math500Dataset.load({ dataDir: sharedDataDir() });
    expect(problems.length).toBe(500);
    expect(new Set(problems.map((problem) => problem.id)).size).toBe(500);
    expect(judgeAll(problems, 'math')).toEqual([]);
  });

  // Full MATH's gold is the last \boxed{} of its own solution and GSM8K's the text after `####`:
  // extracting the solution again would compare a value with itself, so those two are checked
  // for shape only. MATH500 (above) has a separate answer field: its agreement check can fail.
  it('full MATH: 5,000 problems, distinct ids, each with a non-empty gold answer and a solution', async () => {
    const problems = await mathDataset.load({ dataDir: sharedDataDir() });
    expect(problems.length).toBe(5000);
    expect(new Set(problems.map((problem) => problem.id)).size).toBe(5000);
    expect(problems.filter((problem) => problem.answer.trim() === '' || (problem.solution ?? '') === '').map((problem) => problem.id)).toEqual([]);
  });

  it('GSM8K: 1,319 problems, each with a gold answer that parses as a number', async () => {
    const problems = await gsm8kDataset.load({ dataDir: sharedDataDir() });
    expect(problems.length).toBe(1319);
    expect(problems.filter((problem) => !Number.isFinite(Number(problem.answer.replaceAll(',', '')))).map((problem) => `${problem.id}: ${problem.answer}`)).toEqual([]);
  });

  it('AIME 2024: 30 problems with integer answers, no zero padding', async () => {
    const problems = await aime2024Dataset.load({ dataDir: sharedDataDir() });
    expect(problems.length).toBe(30);
    expect(problems.every((problem) => /^(0|[1-9]\d{0,2})$/.test(problem.answer))).toBe(true);
  });
});
