import { defineConfig } from 'vitest/config';

// Resolve packages as Node does (see api/vitest.config.ts: one copy of graphql in the process).
const conditions = ['module', 'node'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['scripts/**/*.test.ts', 'src/**/*.test.ts', 'test/**/*.test.ts'],
    // The same real PostgreSQL (and MariaDB, Redis) the API's tests use.
    globalSetup: ['../api/test/global-setup.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
