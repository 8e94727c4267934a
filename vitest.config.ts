import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores here: the embedding workers and the servers under test need them more than a second test file does.
    fileParallelism: true,
    maxWorkers: 2,
    pool: 'forks',
  },
});
