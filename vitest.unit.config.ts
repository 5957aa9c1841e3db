import { defineConfig } from 'vitest/config';

// Unit tests live beside the code they test and need no external service.
export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts'],
    exclude: ['**/*.integration.test.ts', '**/node_modules/**'],
    testTimeout: 20_000,
  },
});
