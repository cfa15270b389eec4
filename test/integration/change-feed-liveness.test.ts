import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseServer, freshDatabase, type FreshDatabase } from '../support/database.js';
import { changePlan, createAccount, seedBasicCatalog } from '../support/fixtures.js';
import { GraphQLTestClient } from '../support/graphql-client.js';
import { decisionOf, liveClient, type LiveClient } from '../support/live-client.js';
import { spawnServer, type ServerProcess } from '../support/process.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { startTestServer, TEST_ADMIN_KEY, type TestServer } from '../support/server.js';

/**
 * A change feed whose LISTEN link dies silently: a TCP proxy between the second process and
 * PostgreSQL stops forwarding without closing anything (as a NAT timeout or a failover does),
 * for the LISTEN connection only; the pool goes direct. The process must notice (heartbeat),
 * answer from the database meanwhile, say so on /readyz, and catch up when the link is back.
 */
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

const PLAN_QUERY = `query ($id: ID!) { entitlement(accountId: $id, feature: "seats") { limit plan { key } } }`;

/** Polls `read` until `accept` holds, a few times a second; resolves with the time it took. A deadline, not a sleep. */
async function until<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs: number, what: string): Promise<number> {
  const started = performance.now();
  let last: T | undefined;
  while (performance.now() - started < timeoutMs) {
    last = await read();
    if (accept(last)) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} did not happen within ${timeoutMs} ms (last: ${JSON.stringify(last)})`);
}

/** The LISTEN URL of a process whose feed goes through `proxy`. */
function throughProxy(databaseUrl: string, proxy: TcpProxy): string {
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String(proxy.port);
  return url.toString();
}

async function readyz(graphqlUrl: string): Promise<{ status: number; body: { status: string; reason?: string } }> {
  const response = await fetch(graphqlUrl.replace(/\/graphql$/, '/readyz'));
  return { status: response.status, body: await response.json() };
}

describe('a LISTEN link that stops forwarding without closing', () => {
  let database: FreshDatabase;
  let proxy: TcpProxy;
  let first: TestServer;
  let second: ServerProcess;
  let viaFirst: GraphQLTestClient;
  let viaSecond: GraphQLTestClient;
  let live: LiveClient;

  beforeAll(async () => {
    database = await freshDatabase();
    const target = new URL(testDatabaseServer());
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    first = await startTestServer({ databaseUrl: database.url });
    // The default heartbeat (5 s): what a deployment gets.
    second = await spawnServer({
      DATABASE_URL: database.url,
      TOLLGATE_LISTEN_URL: throughProxy(database.url, proxy),
      TOLLGATE_ADMIN_KEY: TEST_ADMIN_KEY,
      TOLLGATE_DEMO_DATA: 'off',
      LOG_LEVEL: 'warn',
    });
    cleanups.push(() => database.drop(), () => proxy.close(), () => first.stop(), () => second.stop());
    viaFirst = first.admin;
    viaSecond = new GraphQLTestClient(second.graphqlUrl, TEST_ADMIN_KEY);
    await seedBasicCatalog(viaFirst);
    await createAccount(viaFirst, 'acme');
    live = liveClient(second.graphqlUrl, TEST_ADMIN_KEY);
    cleanups.push(() => live.dispose());
  });

  it('is noticed: the second process answers a change made on the first within 15 s, is 503 and pushes from the database meanwhile, and follows the feed again once it is back', async () => {
    const subscription = live.subscribe('acme');
    await subscription.until((push) => decisionOf(push, 'seats').plan?.key === 'free', 5000, 'the first push');
    // The second process has the account cached (and its feed says nothing is stale).
    expect((await viaSecond.request(PLAN_QUERY, { id: 'acme' })).entitlement.plan.key).toBe('free');
    expect((await readyz(second.graphqlUrl)).status).toBe(200);

    proxy.freeze();
    const frozenAt = performance.now();
    await changePlan(viaFirst, { accountId: 'acme', plan: 'pro' });
    await until(() => viaSecond.request(PLAN_QUERY, { id: 'acme' }), (data) => data.entitlement.plan.key === 'pro', 15_000, 'the second process answering pro');
    const answeredAfter = performance.now() - frozenAt;
    // And enforces it: 150 calls at once pass pro's limit of 10,000, not free's 100.
    const consumed = await viaSecond.request(`mutation { consume(input: { accountId: "acme", feature: "api_calls", amount: 150, idempotencyKey: "after-the-freeze" }) { ok entitlement { limit } } }`);
    expect(consumed.consume).toEqual({ ok: true, entitlement: { limit: 10000 } });
    console.log(`the second process answered the first's change ${Math.round(answeredAfter)} ms after the freeze`);
    expect(answeredAfter).toBeLessThan(15_000);

    // Down, and says why. The subscriber was pushed the account's state from the database at
    // the loss; a change made now reaches it from the database too, within a heartbeat interval.
    await until(() => readyz(second.graphqlUrl), (answer) => answer.status === 503, 15_000, '/readyz 503');
    const down = await readyz(second.graphqlUrl);
    expect(down).toMatchObject({ status: 503, body: { status: 'unavailable', reason: expect.stringMatching(/^change feed down since .*heartbeat/) } });
    await subscription.until((push) => decisionOf(push, 'seats').plan?.key === 'pro', 1000, 'the push of pro, read at the loss');
    await viaFirst.request(`mutation ($input: GrantOverrideInput!) { grantOverride(input: $input) { id } }`, {
      input: { accountId: 'acme', feature: 'seats', effect: 'SET_LIMIT', value: 77, permanent: true, reason: 'during the outage', approvedBy: 'QA' },
    });
    const grantedAt = performance.now();
    await until(() => viaSecond.request(PLAN_QUERY, { id: 'acme' }), (data) => data.entitlement.limit === 77, 5000, 'the override, read from the database');
    await subscription.until((push) => decisionOf(push, 'seats').limit === 77, 5000 + 2000, 'the push of the override made during the outage');
    expect(performance.now() - grantedAt).toBeLessThan(5000 + 2000);
    expect((await readyz(second.graphqlUrl)).status).toBe(503);

    proxy.thaw();
    const thawedAt = performance.now();
    await until(() => readyz(second.graphqlUrl), (answer) => answer.status === 200, 20_000, '/readyz 200 again');
    console.log(`feed back ${Math.round(performance.now() - thawedAt)} ms after the link was`);
    // Back: a change on the first process reaches the second's subscriber through the feed again, within a second.
    await viaFirst.request(`mutation ($input: GrantOverrideInput!) { grantOverride(input: $input) { id } }`, {
      input: { accountId: 'acme', feature: 'seats', effect: 'SET_LIMIT', value: 88, permanent: true, reason: 'after the outage', approvedBy: 'QA' },
    });
    const changedAt = performance.now();
    await subscription.until((push) => decisionOf(push, 'seats').limit === 88, 1000, 'the push of a change made after the recovery');
    expect(performance.now() - changedAt).toBeLessThan(1000);

    // Logged once each, however many reconnection attempts it took.
    const output = second.output();
    expect(output.match(/change feed lost/g)).toHaveLength(1);
    expect(output.match(/change feed recovered/g)).toHaveLength(1);
  }, 90_000);
});

describe('cached reads, whatever the feed says', () => {
  let database: FreshDatabase;
  let proxy: TcpProxy;
  let first: TestServer;
  let second: TestServer;

  beforeAll(async () => {
    database = await freshDatabase();
    const target = new URL(testDatabaseServer());
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    first = await startTestServer({ databaseUrl: database.url });
    // A heartbeat too slow to notice within the test: only the caches' age limit is left.
    second = await startTestServer({
      databaseUrl: database.url,
      env: { TOLLGATE_LISTEN_URL: throughProxy(database.url, proxy), TOLLGATE_FEED_HEARTBEAT_MS: '60000', TOLLGATE_CACHE_MAX_AGE_MS: '2000' },
    });
    cleanups.push(() => database.drop(), () => proxy.close(), () => first.stop(), () => second.stop());
    await seedBasicCatalog(first.admin);
    await createAccount(first.admin, 'acme');
  });

  it('expire after TOLLGATE_CACHE_MAX_AGE_MS, so a change the feed never brought is answered soon after', async () => {
    expect((await second.admin.request(PLAN_QUERY, { id: 'acme' })).entitlement.plan.key).toBe('free');
    proxy.freeze();
    await changePlan(first.admin, { accountId: 'acme', plan: 'pro' });
    const changedAt = performance.now();
    // Cached while the feed still looks alive, then read again once the entry is 2 s old.
    await until(() => second.admin.request(PLAN_QUERY, { id: 'acme' }), (data) => data.entitlement.plan.key === 'pro', 10_000, 'pro on the second process');
    // The age limit, plus a request's time on a busy machine.
    expect(performance.now() - changedAt).toBeLessThan(2000 + 1500);
  });
});
