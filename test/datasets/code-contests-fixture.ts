/**
 * CodeContests-shaped and EvalPlus-shaped parquet files written by the tests, in the layout the
 * Hub's parquet conversion serves (nested `{input: [...], output: [...]}` test columns, a
 * `{seconds, nanos}` time limit, `{language: [...], solution: [...]}` solutions). The problems are
 * made up for the tests: tiny sums and echoes, not CodeContests problems.
 */
import { createParquetWriter, type ParquetColumn } from '../import/parquet-writer.ts';

const TESTS_FIELDS: ParquetColumn[] = [
  { name: 'input', kind: 'string-list' },
  { name: 'output', kind: 'string-list' },
];

/** The columns of deepmind/code_contests that the loader reads, plus one it ignores. */
export const CODE_CONTESTS_COLUMNS: ParquetColumn[] = [
  { name: 'name', kind: 'string' },
  { name: 'description', kind: 'string' },
  { name: 'public_tests', kind: 'struct', fields: TESTS_FIELDS },
  { name: 'private_tests', kind: 'struct', fields: TESTS_FIELDS },
  { name: 'generated_tests', kind: 'struct', fields: TESTS_FIELDS },
  { name: 'source', kind: 'int64' },
  { name: 'difficulty', kind: 'int64' },
  {
    name: 'solutions',
    kind: 'struct',
    fields: [
      { name: 'language', kind: 'int64-list' },
      { name: 'solution', kind: 'string-list' },
    ],
  },
  { name: 'cf_tags', kind: 'string-list' },
  {
    name: 'time_limit',
    kind: 'struct',
    fields: [
      { name: 'seconds', kind: 'int64' },
      { name: 'nanos', kind: 'int64' },
    ],
  },
  { name: 'memory_limit_bytes', kind: 'int64' },
];

/** One made-up CodeContests-shaped row: "print a + b" with `tests` public, private and generated tests. */
export function sumProblemRow(index: number, options: { image?: boolean; noTimeLimit?: boolean } = {}): Record<string, unknown> {
  const test = (a: number, b: number): [string, string] => [`${a} ${b}\n`, `${a + b}\n`];
  const split = (pairs: Array<[string, string]>): { input: string[]; output: string[] } => ({ input: pairs.map((pair) => pair[0]), output: pairs.map((pair) => pair[1]) });
  return {
    name: `${index}_A. Sum ${index}`,
    description: `Read two integers and print their sum.${options.image ? ' <image>' : ''}`,
    public_tests: split([test(index, 1)]),
    private_tests: split([test(index, 2), test(index, 3)]),
    generated_tests: split([test(index, 4), test(index, 5), test(index, 6)]),
    source: 2,
    difficulty: 7,
    solutions: { language: [2, 3, 3], solution: ['int main(){}', 'a, b = map(int, input().split())\nprint(a + b)', 'print(sum(map(int, input().split())))  # é'] },
    cf_tags: ['math'],
    time_limit: options.noTimeLimit ? null : { seconds: 1, nanos: 500_000_000 },
    memory_limit_bytes: 256_000_000,
  };
}

/** Writes `rows` as a CodeContests test parquet, `rowsPerGroup` rows per row group. */
export function writeCodeContestsParquet(path: string, rows: ReadonlyArray<Record<string, unknown>>, rowsPerGroup = 2): void {
  const writer = createParquetWriter(path, CODE_CONTESTS_COLUMNS);
  for (let start = 0; start < rows.length; start += rowsPerGroup) writer.writeRowGroup(rows.slice(start, start + rowsPerGroup));
  writer.close();
}

/** Writes an evalplus/mbppplus-shaped parquet: the prompt's asserts in `test_list`, the extended script in `test`. */
export function writeMbppPlusParquet(path: string): void {
  const writer = createParquetWriter(path, [
    { name: 'task_id', kind: 'int64' },
    { name: 'code', kind: 'string' },
    { name: 'prompt', kind: 'string' },
    { name: 'source_file', kind: 'string' },
    { name: 'test_imports', kind: 'string-list' },
    { name: 'test_list', kind: 'string-list' },
    { name: 'test', kind: 'string' },
  ]);
  writer.writeRowGroup([
    {
      task_id: 2,
      code: 'def add_two(a, b):\n    return a + b\n',
      prompt: 'Write a function to add two numbers.',
      source_file: 'made-up.py',
      test_imports: [],
      test_list: ['assert add_two(1, 2) == 3'],
      test: 'inputs = [[1, 2], [5, 7], [-1, 1]]\nresults = [3, 12, 0]\nfor inp, exp in zip(inputs, results):\n    assert add_two(*inp) == exp\n',
    },
  ]);
  writer.close();
}

/** Writes an evalplus/humanevalplus-shaped parquet (HumanEval's columns). */
export function writeHumanEvalPlusParquet(path: string): void {
  const writer = createParquetWriter(path, [
    { name: 'task_id', kind: 'string' },
    { name: 'prompt', kind: 'string' },
    { name: 'canonical_solution', kind: 'string' },
    { name: 'entry_point', kind: 'string' },
    { name: 'test', kind: 'string' },
  ]);
  writer.writeRowGroup([
    {
      task_id: 'HumanEval/0',
      prompt: 'def double(x):\n    """Twice x."""\n',
      canonical_solution: '    return 2 * x\n',
      entry_point: 'double',
      test: 'def check(candidate):\n    for x in range(100):\n        assert candidate(x) == 2 * x\n',
    },
  ]);
  writer.close();
}
