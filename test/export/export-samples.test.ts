import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../harness/config/load-config.ts';
import type { SampleRecord } from '../../harness/core/types.ts';
import { exportSamples } from '../../harness/export/export-samples.ts';
import { runExperiment } from '../../harness/run/run-experiment.ts';

let dir: string;
let runDir: string;
let records: SampleRecord[];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sb-export-'));
  const config = resolveConfig(
    {
      name: 'export',
      datasets: [{ id: 'quickstart-math', limit: 5 }],
      models: [{ id: 'sim-8b', provider: 'sim', profile: 'llama-3-8b-instruct-math' }],
      sampling: { samples: 30 },
    },
    { source: 'export.yaml', configDir: dir, cwd: dir },
  );
  runDir = (await runExperiment(config)).runDir;
  records = readFileSync(join(runDir, 'samples.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as SampleRecord);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('exportSamples', () => {
  it('writes Parquet, in several row groups, that an independent reader reads back row for row', async () => {
    const summary = await exportSamples(runDir, { format: 'parquet', batchRows: 64 });
    expect(summary.rows).toBe(150);
    const bytes = readFileSync(summary.path);
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const metadata = await parquetMetadataAsync(file);
    expect(metadata.row_groups.length).toBe(3);
    const rows = await parquetReadObjects({ file });
    expect(rows).toHaveLength(150);
    expect(rows.map((row) => ({ ...row, index: Number(row.index) }))).toEqual(
      records.map((record) => ({
        cell: record.cell,
        problem: record.problem,
        index: record.index,
        status: 'ok',
        answer_class: record.verdict?.answerKey ?? null,
        correct: record.verdict?.correct ?? null,
        prompt_tokens: record.usage?.promptTokens ?? 0,
        completion_tokens: record.usage?.completionTokens ?? 0,
        thinking_tokens: record.usage?.thinkingTokens ?? 0,
      })),
    );
  });

  it('writes CSV with a header and one line per sample', async () => {
    const summary = await exportSamples(runDir, { format: 'csv', out: join(dir, 'rows.csv') });
    const lines = readFileSync(summary.path, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('cell,problem,index,status,answer_class,correct,prompt_tokens,completion_tokens,thinking_tokens');
    expect(lines).toHaveLength(151);
    const first = records[0] as SampleRecord;
    expect(lines[1]?.startsWith(`${first.cell},${first.problem},${first.index},ok,`)).toBe(true);
  });
});
