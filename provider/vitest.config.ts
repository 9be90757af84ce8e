import { defineConfig } from 'vitest/config';

// As in api/: resolve packages as Node does, so the in-process AccessFlow server gets one copy of graphql.
const conditions = ['module', 'node'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'scripts/**/*.test.ts'],
    // The real PostgreSQL (and friends) of the API's test harness.
    globalSetup: ['../api/test/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
