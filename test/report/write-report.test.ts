import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { metricsCsv } from '../../harness/report/metrics-csv.ts';
import { writeReport } from '../../harness/report/write-report.ts';
import { reportFixture } from './fixture.ts';
import { freshOutputDir } from './output-dir.ts';

describe('writeReport', () => {
  it('writes the tables, summary.json and index.html, and figures/ unless asked not to', async () => {
    const data = reportFixture();
    const runDir = join(freshOutputDir('write-report'), 'run');
    writeFileSync(join(runDir, '..', 'outside.jsonl'), '');
    mkdirSync(runDir, { recursive: true });
    writeFileSync(join(runDir, 'samples.jsonl'), '');
    const { files } = await writeReport(data, runDir, { figures: false });
    expect(files.map((file) => basename(file))).toEqual(['metrics.csv', 'problems.csv', 'equal-compute.csv', 'fits.csv', 'summary.json', 'index.html']);
    expect(readdirSync(runDir).sort()).toEqual(['equal-compute.csv', 'fits.csv', 'index.html', 'metrics.csv', 'problems.csv', 'samples.jsonl', 'summary.json']);
    expect(readFileSync(join(runDir, 'metrics.csv'), 'utf8')).toBe(metricsCsv(data.rows, { computePoints: data.computePoints, selection: data.selection }));
    const html = readFileSync(join(runDir, 'index.html'), 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.length).toBeGreaterThan(800_000);
    const links = [...html.matchAll(/<ul class="files">([\s\S]*?)<\/ul>/g)].flatMap((match) => [...(match[1] ?? '').matchAll(/href="([^"]+)"/g)].map((link) => link[1]));
    expect(links).toEqual(['samples.jsonl', 'metrics.csv', 'problems.csv', 'equal-compute.csv', 'fits.csv', 'summary.json']);
  });

  it('writes the same bytes twice for the same data', async () => {
    const first = join(freshOutputDir('same-bytes-a'), 'run');
    const second = join(freshOutputDir('same-bytes-b'), 'run');
    const options = { figureOptions: { pngScale: 1 } };
    const a = await writeReport(reportFixture(), first, options);
    const b = await writeReport(reportFixture(), second, options);
    expect(a.files.map((file) => file.slice(first.length))).toEqual(b.files.map((file) => file.slice(second.length)));
    expect(a.files.filter((file) => file.includes('/figures/'))).toHaveLength(24);
    for (const file of a.files) {
      const relative = file.slice(first.length);
      expect(readFileSync(join(second, relative)).equals(readFileSync(file)), relative).toBe(true);
    }
  });
});
