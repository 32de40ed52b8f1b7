import { tempDir } from '../helpers/temp-dir.ts';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readDatasetRecords } from '../../harness/datasets/jsonl.ts';
import { createParquetWriter } from '../import/parquet-writer.ts';

describe('readDatasetRecords', () => {
  const folder = tempDir('dataset-records-');
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('reads parquet rows as JSON records would be: integers as numbers, lists as arrays', async () => {
    const path = join(folder, 'test.parquet');
    const writer = createParquetWriter(path, [
      { name: 'task_id', kind: 'int64' },
      { name: 'text', kind: 'string' },
      { name: 'test_list', kind: 'string-list' },
    ]);
    writer.writeRowGroup([{ task_id: 11n, text: 'Add.', test_list: ['assert add(1, 2) == 3', 'assert add(0, 0) == 0'] }]);
    writer.close();
    expect(await readDatasetRecords(path)).toEqual([{ task_id: 11, text: 'Add.', test_list: ['assert add(1, 2) == 3', 'assert add(0, 0) == 0'] }]);
  });

  it('reads JSONL and JSON arrays like readRecords', async () => {
    writeFileSync(join(folder, 'a.jsonl'), '{"question": "q1"}\n\n{"question": "q2"}\n');
    writeFileSync(join(folder, 'a.json'), '[{"question": "q1"}, {"question": "q2"}]');
    const expected = [{ question: 'q1' }, { question: 'q2' }];
    expect(await readDatasetRecords(join(folder, 'a.jsonl'))).toEqual(expected);
    expect(await readDatasetRecords(join(folder, 'a.json'))).toEqual(expected);
  });

  it('names the file and line of a bad JSONL line', async () => {
    writeFileSync(join(folder, 'bad.jsonl'), '{"question": "q1"}\n\n{oops\n');
    await expect(readDatasetRecords(join(folder, 'bad.jsonl'))).rejects.toMatchObject({ code: 'DATASET_FORMAT', message: `${join(folder, 'bad.jsonl')}:3 is not valid JSON` });
  });
});
