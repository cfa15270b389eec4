import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

/** NODE_ENV=production: masked internals, no introspection, bounded query shapes. */
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ env: { NODE_ENV: 'production' } });
});
afterAll(() => t?.stop());

describe('production mode', () => {
  it('turns introspection off', async () => {
    const result = await t.admin.raw(`{ __schema { queryType { name } } }`);
    expect(result.errors[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('limits aliases', async () => {
    const aliases = Array.from({ length: 30 }, (_, i) => `a${i}: features { key }`).join(' ');
    const result = await t.admin.raw(`{ ${aliases} }`);
    expect(result.errors.length).toBeGreaterThan(0);
    expect(result.data).toBeNull();
  });

  it('limits the size of a query', async () => {
    const fields = Array.from({ length: 1200 }, () => 'key').join(' ');
    const result = await t.admin.raw(`{ features { ${fields} } }`);
    expect(result.errors.length).toBeGreaterThan(0);
    expect(result.data).toBeNull();
    expect((await t.admin.raw(`{ features { key name } }`)).errors).toEqual([]);
  });

  it('still sends contract error codes and their messages', async () => {
    const result = await t.admin.raw(`{ entitlement(accountId: "ghost", feature: "nope") { allowed } }`);
    expect(result.errors[0]?.extensions?.code).toBe('UNKNOWN_FEATURE');
    expect(result.errors[0]?.message).toMatch(/createFeature/);
  });

  it('sends no stack traces', async () => {
    const result = await t.as(null).raw(`{ features { key } }`);
    expect(result.errors[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(JSON.stringify(result.errors)).not.toMatch(/stacktrace|at .*\.js/);
  });

  it('answers health and readiness', async () => {
    expect(await (await fetch(`${t.url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${t.url}/readyz`)).json()).toEqual({ status: 'ready', database: 'postgresql' });
  });
});
