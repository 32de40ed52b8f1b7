/** Setup file of every test file: removes the folders tempDir made once the file's tests end. */
import { afterAll } from 'vitest';
import { removeTempDirs } from './temp-dir.ts';

afterAll(() => {
  removeTempDirs();
});
