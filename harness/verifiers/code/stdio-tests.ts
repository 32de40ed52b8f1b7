/**
 * The tests of a stdin/stdout problem, one at a time: from `StdioTask.testsFile` when it has one
 * (read line by line, so a file of hundreds of MB is never held in memory), else the inline
 * `tests`. A tests file that cannot be opened, holds a line that is not a test, or ends before
 * `testCount` tests is an error of the dataset cache (StdioTestsError, STDIO_TESTS_UNREADABLE),
 * never a verdict: judging a sample on part of its tests would pass wrong programs.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { z } from 'zod';
import type { StdioTask, StdioTest } from '../../core/types.ts';
import { SandboxError } from './sandbox-error.ts';

/**
 * A problem's tests file cannot be read. A SandboxError (the verifier cannot judge at all) so a run
 * stops with it instead of recording every sample of the problem as failed or errored.
 */
export class StdioTestsError extends SandboxError {
  /** The tests file. */
  readonly path: string;

  constructor(path: string, what: string, cause?: unknown) {
    super('STDIO_TESTS_UNREADABLE', `the tests file ${path} ${what}`, { hint: rebuildHint(path), ...(cause === undefined ? {} : { cause }) });
    this.path = path;
  }
}

const testLine = z.object({
  input: z.string(),
  output: z.string(),
  source: z.enum(['public', 'private', 'generated']).optional(),
});

/** What to do about an unreadable tests file: it is a cache that loading the dataset rebuilds. */
function rebuildHint(path: string): string {
  return (
    `The tests file is written by the dataset loader into scaling-bench's cache; load the dataset again ` +
    `(e.g. \`scaling-bench run\` or \`scaling-bench datasets prepare code_contests\`) on this machine to rebuild it. ` +
    `If it exists but is damaged, delete its folder (${path.replace(/\/[^/]*$/, '')}) first. ` +
    `A run folder copied from another machine points at that machine's cache: regrade it where the cache is.`
  );
}

function unreadable(path: string, what: string, cause?: unknown): StdioTestsError {
  return new StdioTestsError(path, what, cause);
}

function parseTestLine(line: string, path: string, lineNumber: number): StdioTest {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw unreadable(path, `has a line that is not JSON (line ${lineNumber})`, error);
  }
  const parsed = testLine.safeParse(value);
  if (!parsed.success) throw unreadable(path, `has a line that is not a test {input, output} (line ${lineNumber})`);
  const { input, output, source } = parsed.data;
  return { input, output, ...(source === undefined ? {} : { source }) };
}

async function openTestsFile(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'r');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw unreadable(path, code === 'ENOENT' ? 'does not exist' : `cannot be opened (${String(code ?? error)})`, error);
  }
}

async function* testsFromFile(path: string, expectedCount: number | undefined): AsyncGenerator<StdioTest> {
  const handle = await openTestsFile(path);
  let count = 0;
  try {
    for await (const line of handle.readLines({ encoding: 'utf8' })) {
      if (line === '') continue;
      count += 1;
      yield parseTestLine(line, path, count);
    }
  } catch (error) {
    if (error instanceof StdioTestsError) throw error;
    throw unreadable(path, `could not be read after ${count} tests`, error);
  } finally {
    // Closing the handle also ends its line reader when the caller stops at a failing test.
    await handle.close().catch(() => undefined);
  }
  if (expectedCount !== undefined && count !== expectedCount) {
    throw unreadable(path, `holds ${count} tests but the problem has ${expectedCount} (the file is incomplete or from another dataset version)`);
  }
}

/**
 * The tests of `task`, in order: every line of `testsFile` when set (public, then private, then
 * generated), else `tests`. Stop iterating early (break) to stop reading; the file is closed.
 */
export function stdioTests(task: StdioTask): AsyncGenerator<StdioTest> {
  if (task.testsFile !== undefined) return testsFromFile(task.testsFile, task.testCount);
  return (async function* inline(): AsyncGenerator<StdioTest> {
    yield* task.tests;
  })();
}
