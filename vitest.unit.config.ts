import { defineConfig } from 'vitest/config';

// Unit tests live beside the code they test and need no external service.
export default defineConfig({
  test: {
    // In CI a JSON report as well, from which .ci/run prints one plain pass/fail line.
    reporters: process.env.CI === 'true' ? ['default', 'json'] : ['default'],
    outputFile: { json: 'test-results/unit.json' },
    include: ['packages/*/{src,test}/**/*.test.ts', 'bench/**/*.test.ts'],
    exclude: ['**/*.integration.test.ts', '**/node_modules/**'],
    testTimeout: 20_000,
  },
});
