import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changePlan, createAccount, seedBasicCatalog } from '../support/fixtures.js';
import { decisionOf, liveClient, type LiveClient } from '../support/live-client.js';
import { startTestServer, TEST_ADMIN_KEY, type TestServer } from '../support/server.js';

/**
 * Live updates on one server: the first push, a push after a change, coalescing, asOf on every
 * decision, the renamed AccountSubscription, and what each transport refuses.
 */
let t: TestServer;
const clients: LiveClient[] = [];
const open = (credential: string | null = TEST_ADMIN_KEY) => {
  const client = liveClient(t.server.graphqlUrl, credential);
  clients.push(client);
  return client;
};

beforeAll(async () => {
  t = await startTestServer();
  await seedBasicCatalog(t.admin);
  for (const id of ['acme', 'globex', 'initech']) await createAccount(t.admin, id);
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
  await t?.stop();
});

describe('live entitlements over WebSocket', () => {
  it('pushes the current decisions at once, then again after a plan change', async () => {
    const live = open().subscribe('acme');
    const first = await live.until(() => true, 2000, 'the first push');
    expect(first.accountId).toBe('acme');
    expect(first.entitlements.map((entitlement) => entitlement.feature)).toEqual(['api_calls', 'export_csv', 'scim', 'seats', 'sso']);
    expect(decisionOf(first, 'export_csv')).toMatchObject({ allowed: false, reason: 'NOT_IN_PLAN', plan: { key: 'free' } });
    const changed = performance.now();
    await changePlan(t.admin, { accountId: 'acme', plan: 'pro' });
    const after = await live.until((push) => decisionOf(push, 'export_csv').allowed, 1000, 'export_csv allowed');
    expect(after.receivedAt - changed).toBeLessThan(1000);
    expect(after.at > first.at).toBe(true);
    expect(after.entitlements.every((entitlement) => entitlement.asOf === after.at)).toBe(true);
  });

  it('coalesces a burst of usage into at most one push per 250 ms, the last showing the last change', async () => {
    const live = open().subscribe('globex');
    await live.until(() => true, 2000, 'the first push');
    for (let call = 1; call <= 40; call++) {
      await t.admin.request(`mutation ($input: ConsumeInput!) { consume(input: $input) { ok } }`, {
        input: { accountId: 'globex', feature: 'api_calls', idempotencyKey: `burst-${call}` },
      });
    }
    const done = performance.now();
    const last = await live.until((push) => decisionOf(push, 'api_calls').used === 40, 1000, 'used 40');
    expect(last.receivedAt - done).toBeLessThan(1000);
    expect(live.pushes.at(-1)).toBe(last);
    const times = live.pushes.map((push) => Date.parse(push.at));
    const gaps = times.slice(1).map((time, index) => time - times[index]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(250);
    const used = live.pushes.map((push) => decisionOf(push, 'api_calls').used);
    expect(used).toEqual([...used].sort((a, b) => a - b));
  });

  it('pushes a plan migration\'s change to the migrated account\'s subscribers', async () => {
    await createAccount(t.admin, 'migrated');
    await changePlan(t.admin, { accountId: 'migrated', plan: 'pro' });
    const { createPlanVersion } = await t.admin.request(
      `mutation { createPlanVersion(input: { plan: "pro", price: { amount: 3900, currency: "USD" }, entitlements: [{ feature: "seats", limit: 40 }, { feature: "export_csv" }] }) { version } }`,
    );
    await t.admin.request(`mutation ($version: Int!) { publishPlanVersion(plan: "pro", version: $version) { status } }`, { version: createPlanVersion.version });
    const live = open().subscribe('migrated');
    const first = await live.until(() => true, 2000, 'the first push');
    expect(decisionOf(first, 'seats').limit).toBe(20);
    const started = performance.now();
    await t.admin.request(`mutation ($version: Int!) { startPlanMigration(input: { plan: "pro", toVersion: $version, accountIds: ["migrated"] }, reason: "v2") { status } }`, {
      version: createPlanVersion.version,
    });
    const moved = await live.until((push) => decisionOf(push, 'seats').limit === 40, 1000, 'the new version\'s limit');
    expect(moved.receivedAt - started).toBeLessThan(1000);
  });

  it('answers a subscription to an unknown account with ACCOUNT_NOT_FOUND', async () => {
    const live = open().subscribe('no-such-account');
    await live.settled();
    expect(live.errors.map((error) => error.extensions?.code)).toEqual(['ACCOUNT_NOT_FOUND']);
    expect(live.pushes).toEqual([]);
  });

  it('serves only subscriptions over WebSocket, and refuses a subscription over HTTP', async () => {
    const live = open().subscribe('acme', '{ features { key } }');
    await live.settled();
    expect(live.errors[0]?.extensions?.code).toBe('BAD_REQUEST');
    expect(live.errors[0]?.message).toMatch(/POST \/graphql/);

    const response = await fetch(t.server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_ADMIN_KEY}` },
      body: JSON.stringify({ query: 'subscription { entitlementsChanged(accountId: "acme") { at } }' }),
    });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(body.errors[0].message).toMatch(/WebSocket/);
  });

  it('validates the document as HTTP does, with the same codes', async () => {
    const live = open().subscribe('acme', 'subscription ($accountId: ID!) { entitlementsChanged(accountId: $accountId) { nope } }');
    await live.settled();
    expect(live.errors[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const unparsable = open().subscribe('acme', 'subscription {');
    await unparsable.settled();
    expect(unparsable.errors[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });
});

describe('asOf and the renamed subscription type', () => {
  it('stamps every decision with the instant its inputs were read, on queries and consume results', async () => {
    const before = Date.now();
    const { entitlements, entitlement } = await t.admin.request(`{
      entitlements(accountId: "initech") { feature asOf }
      entitlement(accountId: "initech", feature: "seats") { asOf }
    }`);
    const { consume } = await t.admin.request(`mutation { consume(input: { accountId: "initech", feature: "seats", idempotencyKey: "as-of" }) { entitlement { asOf } } }`);
    const after = Date.now();
    for (const asOf of [...entitlements.map((decision: { asOf: string }) => decision.asOf), entitlement.asOf, consume.entitlement.asOf]) {
      expect(Date.parse(asOf)).toBeGreaterThanOrEqual(before);
      expect(Date.parse(asOf)).toBeLessThanOrEqual(after);
    }
  });

  it('calls the account\'s subscription AccountSubscription; queries without fragments are unchanged', async () => {
    await changePlan(t.admin, { accountId: 'initech', plan: 'pro' });
    const { account } = await t.admin.request(`{ account(id: "initech") { subscription { __typename status plan } } }`);
    expect(account.subscription).toEqual({ __typename: 'AccountSubscription', status: 'ACTIVE', plan: 'pro' });
    const fragment = await t.admin.raw(`{ account(id: "initech") { subscription { ...S } } } fragment S on AccountSubscription { status }`);
    expect(fragment.errors).toEqual([]);
    const old = await t.admin.raw(`{ account(id: "initech") { subscription { ...S } } } fragment S on Subscription { status }`);
    expect(old.errors[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});
