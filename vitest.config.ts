import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/bench/**', 'node_modules/**'],
    // A safety net for tests that start several CLI processes on a loaded 2-core machine, not a timing assertion.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The suite runs in its own temporary folder and fails if a test leaves anything there.
    globalSetup: ['test/helpers/temp-folder-check.ts'],
    // Removes the folders test/helpers/temp-dir.ts made, after each test file.
    setupFiles: ['test/helpers/remove-temp-dirs.ts'],
  },
});
