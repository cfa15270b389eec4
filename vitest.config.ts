import { defineConfig } from 'vitest/config';
import { budget } from './test/support/time-budget.js';

/** Integration files each start servers on their own databases; two cores, so two at a time. */
const WORKERS = 2;

export default defineConfig({
  resolve: {
    // graphql 16 has no exports map: without this Vite loads index.mjs while Apollo loads
    // index.js, and schemas fail with "Cannot use GraphQLSchema from another module or realm".
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  oxc: {
    decorator: { legacy: true, emitDecoratorMetadata: true },
    jsx: { runtime: 'automatic' },
  },
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    setupFiles: ['test/support/setup-dom.ts'],
    // Chooses the PostgreSQL of the run (TEST_DATABASE_URL, 127.0.0.1:5432, or a throwaway one it starts).
    globalSetup: ['test/support/test-postgres.global-setup.ts'],
    maxWorkers: WORKERS,
    // Deadlines for stuck tests, grown with the machine's load (the workers about to start
    // included): 30 s and 60 s on an idle machine, up to six times that on a busy one.
    testTimeout: budget(30_000, WORKERS),
    hookTimeout: budget(60_000, WORKERS),
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'test-results/vitest.json' }]] : ['default'],
  },
});
