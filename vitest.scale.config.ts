import { defineConfig } from 'vitest/config';

// The scale-out test: API replicas behind haproxy, job workers, a private PostgreSQL and Redis.
// It starts many processes, so it runs alone (`npm run test:scale`), not inside `npm test`.
export default defineConfig({
  test: {
    include: ['packages/server/test/scale/**/*.scale.test.ts'],
    exclude: ['**/node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
