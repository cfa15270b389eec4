import { spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { budget } from '../support/time-budget.js';

describe('the SDK\'s typed documents', () => {
  it('match schema.graphql and src/graphql (run `npm run codegen -w client-sdk` after changing either)', () => {
    const bin = realpathSync(resolve(process.cwd(), 'node_modules/.bin/graphql-codegen'));
    const result = spawnSync(process.execPath, [bin, '--config', 'codegen.yml', '--check'], {
      cwd: resolve(process.cwd(), 'client-sdk'),
      encoding: 'utf8',
    });
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
  }, budget(60_000));
});
