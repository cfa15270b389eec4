import { defineConfig } from 'vitest/config';

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
    // Integration files each start servers on their own databases; two cores, so two at a time.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'test-results/vitest.json' }]] : ['default'],
  },
});
