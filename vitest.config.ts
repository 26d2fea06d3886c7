import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest runs one fork on a 2-core machine; most test time is spent waiting on the CLI
    // processes tests spawn, so two forks there take the suite from about 8 to under 5 minutes.
    maxWorkers: Math.max(2, availableParallelism()),
    // The JSON results let .ci/run print a plain "N passed, N failed" line.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results.json' },
  },
});
