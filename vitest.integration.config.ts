import { defineConfig } from 'vitest/config';

// Integration tests talk to real PostgreSQL, Redis, SQLite files, sockets and child processes.
export default defineConfig({
  test: {
    // In CI a JSON report as well, from which .ci/run prints one plain pass/fail line.
    reporters: process.env.CI === 'true' ? ['default', 'json'] : ['default'],
    outputFile: { json: 'test-results/integration.json' },
    include: ['packages/*/{src,test}/**/*.integration.test.ts', 'bench/**/*.integration.test.ts'],
    exclude: ['**/node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: keep parallelism modest so database-heavy files do not starve each other.
    maxWorkers: 2,
  },
});
