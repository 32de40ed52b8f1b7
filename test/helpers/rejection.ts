/** The HarnessError a promise rejects with, for tests that check its code, message and hint. */
import { HarnessError } from '../../harness/core/errors.ts';

/** Awaits `promise` and returns its HarnessError; any other outcome fails the test. */
export async function rejection(promise: Promise<unknown>): Promise<HarnessError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HarnessError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}
