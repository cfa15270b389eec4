import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { budget } from '../support/time-budget.js';

/**
 * The SDK's snippets for host backends (Express routes, Fastify routes, resolvers) live as files
 * in test/fixtures/sdk-readme, shown as they are in client-sdk/README.md and in docs/, and are
 * type-checked here under `strict`, against the built package (`@tollgate/sdk/server` resolves
 * through the workspace link to client-sdk/dist), without DOM types, as a Node backend has them.
 */
describe('the SDK\'s host backend snippets', () => {
  it('type-check under strict against the built @tollgate/sdk, as written', () => {
    const tsc = realpathSync(resolve(process.cwd(), 'node_modules/typescript/bin/tsc'));
    const result = spawnSync(process.execPath, [tsc, '-p', 'test/fixtures/sdk-readme/tsconfig.json', '--listFilesOnly'], { encoding: 'utf8' });
    expect(result.stdout, 'the snippets see the built declarations').toMatch(/client-sdk\/dist\/server\/index\.d\.ts/);

    const check = spawnSync(process.execPath, [tsc, '-p', 'test/fixtures/sdk-readme/tsconfig.json'], { encoding: 'utf8' });
    expect(check.stdout + check.stderr).toBe('');
    expect(check.status).toBe(0);
  }, budget(60_000));

  it('appear in the package\'s README and in docs/ exactly as they are type-checked', () => {
    const readme = readFileSync('client-sdk/README.md', 'utf8');
    const docs = readdirSync('docs').filter((name) => name.endsWith('.md')).map((name) => readFileSync(`docs/${name}`, 'utf8')).join('\n');
    for (const file of ['host-resolvers.ts', 'express-routes.ts', 'fastify-routes.ts', 'shadow-mode.ts', 'live-decisions.ts', 'guard-failure-modes.ts', 'client-token-express.ts', 'client-token-fastify.ts', 'track-usage.ts']) {
      const snippet = readFileSync(`test/fixtures/sdk-readme/${file}`, 'utf8').trimEnd();
      expect(readme.includes(`\`\`\`ts\n${snippet}\n\`\`\``), `${file} in client-sdk/README.md`).toBe(true);
      expect(docs.includes(`\`\`\`ts\n${snippet}\n\`\`\``), `${file} in docs/ (where docs-snippets.test.ts type-checks it too)`).toBe(true);
    }
  });
});
