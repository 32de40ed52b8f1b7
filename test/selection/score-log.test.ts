import { tempDir } from '../helpers/temp-dir.ts';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../harness/core/errors.ts';
import { openScoreLog, readScoreLog, scoredKeys, scoreKey, type ScoreRecord } from '../../harness/selection/score-log.ts';
import { collect } from './run-fixture.ts';

function record(index: number, status: 'ok' | 'error' = 'ok'): ScoreRecord {
  const base = { v: 1 as const, cell: 'm/d/think0/t0.6', problem: 'p1', index, scorer: 'reward:rm', kind: 'reward-model' as const, simulated: false };
  return status === 'ok'
    ? { ...base, status, score: index / 10, scale: 'logit', usage: { promptTokens: 100 + index, completionTokens: 0 } }
    : { ...base, status, error: { code: 'SERVER_ERROR', message: 'failed', status: 500, attempts: 3 } };
}

function temporaryLog(): string {
  return join(tempDir('sb-scores-'), 'scores.jsonl');
}

describe('score log', () => {
  it('round-trips records in order, flushing in batches', async () => {
    const path = temporaryLog();
    const log = openScoreLog(path, { flushEvery: 3 });
    for (let index = 0; index < 7; index += 1) log.append(record(index));
    log.close();
    const records = await collect(readScoreLog(path));
    expect(records.map((entry) => entry.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(records[4]).toEqual(record(4));
  });

  it('reads nothing when the file does not exist', async () => {
    expect(await collect(readScoreLog(temporaryLog()))).toEqual([]);
  });

  it('ignores a torn last line and cuts it before appending', async () => {
    const path = temporaryLog();
    writeFileSync(path, `${JSON.stringify(record(0))}\n${JSON.stringify(record(1)).slice(0, 30)}`);
    expect((await collect(readScoreLog(path))).map((entry) => entry.index)).toEqual([0]);
    const log = openScoreLog(path);
    log.append(record(1));
    log.close();
    expect((await collect(readScoreLog(path))).map((entry) => entry.index)).toEqual([0, 1]);
    expect(readFileSync(path, 'utf8').split('\n')).toHaveLength(3);
  });

  it.each([
    ['invalid JSON', '{oops'],
    ['an ok record without a score', JSON.stringify({ ...record(5), score: undefined })],
    ['an unknown scorer kind', JSON.stringify({ ...record(5), kind: 'oracle' })],
  ])('a bad line that is not the last one (%s) is SCORE_LOG_CORRUPT naming the line', async (_, line) => {
    const path = temporaryLog();
    writeFileSync(path, `${JSON.stringify(record(0))}\n${line}\n${JSON.stringify(record(2))}\n`);
    const error = await collect(readScoreLog(path)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HarnessError);
    expect((error as HarnessError).code).toBe('SCORE_LOG_CORRUPT');
    expect((error as HarnessError).message).toBe(`${path}:2 ${line === '{oops' ? 'is not valid JSON' : 'is not a score record'}`);
  });

  it('scoredKeys holds the good scores only: failed scorings are scored again', async () => {
    const path = temporaryLog();
    const log = openScoreLog(path);
    log.append(record(0));
    log.append(record(1, 'error'));
    log.append(record(2));
    log.close();
    const keys = await scoredKeys(path);
    expect([...keys]).toEqual([scoreKey('m/d/think0/t0.6', 'p1', 0, 'reward:rm'), scoreKey('m/d/think0/t0.6', 'p1', 2, 'reward:rm')]);
  });

  it('append after close is an error', () => {
    const log = openScoreLog(temporaryLog());
    log.close();
    expect(() => log.append(record(0))).toThrow('append to a closed score log');
  });
});
