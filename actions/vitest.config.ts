import { defineConfig } from 'vitest/config';

// As in api/: resolve packages the way Node does, so the server under test loads one copy of graphql.
const conditions = ['module', 'node'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // Real PostgreSQL (and the rest of the API's test servers), started once per run.
    globalSetup: ['../api/test/global-setup.ts'],
    testTimeout: 90_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
