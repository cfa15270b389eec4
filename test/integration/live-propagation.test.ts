import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type FreshDatabase } from '../support/database.js';
import { changePlan, createAccount, seedBasicCatalog } from '../support/fixtures.js';
import { GraphQLTestClient } from '../support/graphql-client.js';
import { decisionOf, liveClient, type LiveClient, type LiveSubscription, type Push } from '../support/live-client.js';
import { spawnServer, type ServerProcess } from '../support/process.js';
import { TEST_ADMIN_KEY } from '../support/server.js';

/**
 * Two server processes on one PostgreSQL: a client subscribes on the first, and 100 changes of
 * each kind are made through the second. Each burst's final state reaches the subscriber within
 * a second of the last change, and the pushes arrive in order (`at` increasing).
 */
let database: FreshDatabase;
let first: ServerProcess;
let second: ServerProcess;
let viaSecond: GraphQLTestClient;
let clients: LiveClient[] = [];

beforeAll(async () => {
  database = await freshDatabase();
  const env = { DATABASE_URL: database.url, TOLLGATE_ADMIN_KEY: TEST_ADMIN_KEY, TOLLGATE_DEMO_DATA: 'off' };
  [first, second] = await Promise.all([spawnServer(env), spawnServer(env)]);
  viaSecond = new GraphQLTestClient(second.graphqlUrl, TEST_ADMIN_KEY);
  await seedBasicCatalog(viaSecond);
  await viaSecond.request(`mutation { createAddOn(input: { key: "seat_pack", name: "Seat pack", price: { amount: 500, currency: "USD" },
    grants: [{ feature: "seats", limitIncrement: 1 }] }) { key } }`);
  for (const id of ['plans', 'add-ons', 'overrides', 'catalog', 'usage', 'keys']) await createAccount(viaSecond, id);
  for (const id of ['add-ons', 'usage']) await changePlan(viaSecond, { accountId: id, plan: 'pro' });
});
afterEach(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
  clients = [];
});
afterAll(async () => {
  await first?.stop();
  await second?.stop();
  await database?.drop();
});

/** Subscribes on the first process and waits for the current state. */
async function watchOnFirst(accountId: string, credential = TEST_ADMIN_KEY): Promise<{ client: LiveClient; live: LiveSubscription }> {
  const client = liveClient(first.graphqlUrl, credential);
  clients.push(client);
  const live = client.subscribe(accountId);
  await live.until(() => true, 2000, 'the first push');
  return { client, live };
}

/**
 * Makes `changes` through the second process one after another, then waits (at most a second)
 * for the push showing the last one; checks the pushes came in order.
 */
async function burst(live: LiveSubscription, changes: (() => Promise<unknown>)[], final: (push: Push) => boolean, label: string): Promise<Push> {
  const startedWall = Date.now();
  for (const change of changes) await change();
  const done = performance.now();
  const last = await live.until((push) => Date.parse(push.at) >= startedWall && final(push), 1000, label);
  expect(last.receivedAt - done).toBeLessThan(1000);
  const times = live.pushes.map((push) => Date.parse(push.at));
  expect(times).toEqual([...times].sort((a, b) => a - b));
  expect(new Set(times).size).toBe(times.length);
  return last;
}

const times = (count: number) => Array.from({ length: count }, (_, index) => index + 1);

describe('live updates across server processes', () => {
  it('delivers the last of 100 plan changes made through another process within a second', async () => {
    const { live } = await watchOnFirst('plans');
    const last = await burst(
      live,
      times(100).map((i) => () => changePlan(viaSecond, { accountId: 'plans', plan: i % 2 === 0 ? 'pro' : 'free' })),
      (push) => decisionOf(push, 'seats').plan?.key === 'pro' && decisionOf(push, 'seats').limit === 20,
      'on pro',
    );
    expect(decisionOf(last, 'export_csv').allowed).toBe(true);
  });

  it('delivers the last of 100 add-on changes', async () => {
    const { live } = await watchOnFirst('add-ons');
    await burst(
      live,
      times(100).map((quantity) => () =>
        viaSecond.request(`mutation ($q: Int!) { setAddOn(accountId: "add-ons", addOn: "seat_pack", quantity: $q) { id } }`, { q: quantity })),
      (push) => decisionOf(push, 'seats').limit === 120,
      'seats limit 20 + 100',
    );
  });

  it('delivers the last of 100 overrides', async () => {
    const { live } = await watchOnFirst('overrides');
    await burst(
      live,
      times(100).map((value) => () =>
        viaSecond.request(`mutation ($input: GrantOverrideInput!) { grantOverride(input: $input) { id } }`, {
          input: { accountId: 'overrides', feature: 'seats', effect: 'SET_LIMIT', value: 1000 + value, permanent: true, reason: 'burst', approvedBy: 'QA' },
        })),
      (push) => decisionOf(push, 'seats').limit === 1100,
      'the newest override\'s limit',
    );
  });

  it('delivers the last of 100 catalog changes', async () => {
    const { live } = await watchOnFirst('catalog');
    const last = await burst(
      live,
      times(100).map((n) => () =>
        viaSecond.request(`mutation ($input: CreateFeatureInput!) { createFeature(input: $input) { key } }`, {
          input: { key: `feature_${String(n).padStart(3, '0')}`, name: `Feature ${n}`, kind: 'SWITCH' },
        })),
      (push) => push.entitlements.some((entitlement) => entitlement.feature === 'feature_100'),
      'the 100th feature',
    );
    expect(last.entitlements.filter((entitlement) => entitlement.feature.startsWith('feature_'))).toHaveLength(100);
  });

  it('delivers the last of 100 usage changes: consume, release, reportUsage and setUsage', async () => {
    const { live } = await watchOnFirst('usage');
    const usage = (document: string, variables: Record<string, unknown>) => () => viaSecond.request(document, variables);
    const consume = `mutation ($input: ConsumeInput!) { consume(input: $input) { ok } }`;
    const release = `mutation ($input: ReleaseInput!) { release(input: $input) { ok } }`;
    const report = `mutation ($events: [UsageEventInput!]!) { reportUsage(events: $events) { accepted } }`;
    const set = `mutation ($input: SetUsageInput!) { setUsage(input: $input) { used } }`;
    const changes = [
      ...times(20).map((i) => usage(consume, { input: { accountId: 'usage', feature: 'seats', idempotencyKey: `c-${i}` } })),
      ...times(15).map((i) => usage(release, { input: { accountId: 'usage', feature: 'seats', idempotencyKey: `r-${i}` } })),
      ...times(30).map((i) => usage(report, { events: [{ accountId: 'usage', feature: 'api_calls', amount: 1, idempotencyKey: `e-${i}` }] })),
      ...times(35).map((i) => usage(set, { input: { accountId: 'usage', feature: 'api_calls', value: 100 + i, reason: 'correction' } })),
    ];
    expect(changes).toHaveLength(100);
    await burst(
      live,
      changes,
      (push) => decisionOf(push, 'seats').used === 5 && decisionOf(push, 'api_calls').used === 135,
      'seats 5, api_calls 135',
    );
  });

  it('closes the sockets of a key revoked through another process', async () => {
    const { createApiKey } = await viaSecond.request(`mutation { createApiKey(input: { name: "leaky", role: SERVER }) { secret apiKey { id } } }`);
    const { client } = await watchOnFirst('keys', createApiKey.secret);
    const revoked = performance.now();
    await viaSecond.request(`mutation ($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: createApiKey.apiKey.id });
    expect(await client.closed(1000)).toMatchObject({ code: 4401, reason: 'API key revoked' });
    expect(performance.now() - revoked).toBeLessThan(1000);
  });
});
