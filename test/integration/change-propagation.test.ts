import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type FreshDatabase } from '../support/database.js';
import { createAccount, seedBasicCatalog } from '../support/fixtures.js';
import { GraphQLTestClient } from '../support/graphql-client.js';
import { spawnServer, type ServerProcess } from '../support/process.js';
import { TEST_ADMIN_KEY } from '../support/server.js';

/**
 * Two server processes on one PostgreSQL, each caching decisions in memory: a change made
 * through one is visible through the other within a second (LISTEN/NOTIFY).
 */
let database: FreshDatabase;
let first: ServerProcess;
let second: ServerProcess;
let writer: GraphQLTestClient;
let reader: GraphQLTestClient;

beforeAll(async () => {
  database = await freshDatabase();
  const env = { DATABASE_URL: database.url, TOLLGATE_ADMIN_KEY: TEST_ADMIN_KEY, TOLLGATE_DEMO_DATA: 'off' };
  first = await spawnServer(env);
  second = await spawnServer(env);
  writer = new GraphQLTestClient(first.graphqlUrl, TEST_ADMIN_KEY);
  reader = new GraphQLTestClient(second.graphqlUrl, TEST_ADMIN_KEY);
  await seedBasicCatalog(writer);
  await createAccount(writer, 'acme');
});
afterAll(async () => {
  await first?.stop();
  await second?.stop();
  await database?.drop();
});

/** Polls `read` until `done` holds; returns how long that took, or fails after a second. */
async function msUntil<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < 1000) {
    if (done(await read())) return performance.now() - started;
  }
  throw new Error('the change did not reach the other process within 1 second');
}

const exportCsv = async () =>
  (await reader.request(`{ entitlement(accountId: "acme", feature: "export_csv") { allowed } }`)).entitlement.allowed as boolean;

describe('changes across server processes', () => {
  it('shows a plan change made through another process within a second', async () => {
    expect(await exportCsv()).toBe(false); // now cached in the second process
    await writer.request(`mutation { changePlan(input: { accountId: "acme", plan: "pro" }) { id } }`);
    expect(await msUntil(exportCsv, (allowed) => allowed)).toBeLessThan(1000);
  });

  it('shows an override revoked through another process within a second', async () => {
    const { grantOverride } = await writer.request(`mutation { grantOverride(input: {
      accountId: "acme", feature: "export_csv", effect: REVOKE, permanent: true, reason: "abuse", approvedBy: "Ops"
    }) { id } }`);
    expect(await msUntil(exportCsv, (allowed) => !allowed)).toBeLessThan(1000);
    await writer.request(`mutation ($id: ID!) { revokeOverride(id: $id, reason: "resolved") { id } }`, { id: grantOverride.id });
    expect(await msUntil(exportCsv, (allowed) => allowed)).toBeLessThan(1000);
  });

  it('shows a catalog change made through another process within a second', async () => {
    const seats = async () =>
      (await reader.request(`{ entitlement(accountId: "acme", feature: "seats") { limit } }`)).entitlement.limit as number;
    expect(await seats()).toBe(20);
    await writer.request(`mutation { createPlanVersion(input: {
      plan: "pro", price: { amount: 2900, currency: "USD" }, entitlements: [{ feature: "seats", limit: 99 }, { feature: "export_csv" }]
    }) { version } }`);
    await writer.request(`mutation { publishPlanVersion(plan: "pro", version: 2) { id } }`);
    await writer.request(`mutation { changePlan(input: { accountId: "acme", plan: "pro" }) { id } }`);
    expect(await msUntil(seats, (limit) => limit === 99)).toBeLessThan(1000);
  });

  it('refuses a key revoked through another process within a second', async () => {
    const { createApiKey } = await writer.request(`mutation { createApiKey(input: { name: "tmp", role: SERVER }) { secret apiKey { id } } }`);
    const viaSecond = new GraphQLTestClient(second.graphqlUrl, createApiKey.secret);
    const code = async () => (await viaSecond.raw(`{ features { key } }`)).errors[0]?.extensions?.code;
    expect(await code()).toBeUndefined();
    await writer.request(`mutation ($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: createApiKey.apiKey.id });
    expect(await msUntil(code, (value) => value === 'UNAUTHENTICATED')).toBeLessThan(1000);
  });
});
