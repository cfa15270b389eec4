import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changePlan, createAccount, createFeature, seedBasicCatalog } from '../support/fixtures.js';
import { GraphQLTestClient } from '../support/graphql-client.js';
import { liveClient, type LiveClient } from '../support/live-client.js';
import { rawSocket as openSocket } from '../support/raw-live-socket.js';
import { measuredServerWithCatalog, type MeasuredServer } from '../support/measured-process.js';
import { startTestServer, TEST_ADMIN_KEY, type TestServer } from '../support/server.js';
import { budget } from '../support/time-budget.js';

/**
 * Who may subscribe to what, how a socket's credential ends, and the bounds that keep one
 * client from taking the process: subscriptions per connection and per key, message size, a
 * slow consumer, 10,000 subscribe messages on one socket.
 */
const MiB = 1024 * 1024;
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

function track(client: LiveClient): LiveClient {
  cleanups.push(() => client.dispose());
  return client;
}

/** A bare connection whose socket goes when the file's tests end. */
const rawSocket = (graphqlUrl: string, credential: string, options: { keepPushes?: boolean } = {}) =>
  openSocket(graphqlUrl, credential, { ...options, track: (socket) => cleanups.push(async () => socket.terminate()) });

/** The instant a client token stops being valid (its `exp`, in whole seconds). */
function tokenExpiry(token: string): number {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).exp * 1000;
}

describe('who may subscribe, and for how long', () => {
  let t: TestServer;
  const token = async (accountId: string, ttlSeconds = 600) =>
    (await t.admin.request(`mutation ($id: ID!, $ttl: Int) { createClientToken(accountId: $id, ttlSeconds: $ttl) { token } }`, {
      id: accountId,
      ttl: ttlSeconds,
    })).createClientToken.token as string;

  beforeAll(async () => {
    t = await startTestServer();
    cleanups.push(() => t.stop());
    await seedBasicCatalog(t.admin);
    for (const id of ['acme', 'other']) await createAccount(t.admin, id);
  });

  it('lets a client token subscribe to its own account only, refusing others alike whether they exist or not', async () => {
    const client = track(liveClient(t.server.graphqlUrl, await token('acme')));
    const own = client.subscribe('acme');
    await own.until(() => true, 2000, 'the first push');
    const other = client.subscribe('other');
    const missing = client.subscribe('no-such-account');
    await other.settled();
    await missing.settled();
    expect(other.errors.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(missing.errors).toEqual(other.errors);
    expect(JSON.stringify(other.errors)).not.toMatch(/other/);
    expect(other.pushes).toEqual([]);
  });

  it('closes a connection without a usable credential with 4401 and says why', async () => {
    const none = track(liveClient(t.server.graphqlUrl, null));
    none.subscribe('acme');
    expect(await none.closed()).toMatchObject({ code: 4401, reason: expect.stringMatching(/^no credential: send connectionParams.authorization/) });
    const unknown = track(liveClient(t.server.graphqlUrl, 'tg_admin_' + 'x'.repeat(43)));
    unknown.subscribe('acme');
    expect((await unknown.closed()).code).toBe(4401);
    const forged = track(liveClient(t.server.graphqlUrl, 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhY21lIn0.c2lnbmF0dXJl'));
    forged.subscribe('acme');
    expect(await forged.closed()).toMatchObject({ code: 4401, reason: 'invalid client token' });
  });

  it('closes a client token\'s socket with 4401 "client token expired" at the instant it expires', async () => {
    const short = await token('acme', 2);
    const expiresAt = tokenExpiry(short);
    const client = track(liveClient(t.server.graphqlUrl, short));
    const live = client.subscribe('acme');
    await live.until(() => true, 2000, 'the first push');
    const closed = await client.closed(3000);
    expect(closed).toMatchObject({ code: 4401, reason: 'client token expired' });
    expect(closed.at).toBeGreaterThanOrEqual(expiresAt);
    expect(closed.at - expiresAt).toBeLessThan(1000);
  });

  it('closes the sockets of a key the moment it is revoked', async () => {
    const { createApiKey } = await t.admin.request(`mutation { createApiKey(input: { name: "temp", role: SERVER }) { secret apiKey { id } } }`);
    const client = track(liveClient(t.server.graphqlUrl, createApiKey.secret));
    await client.subscribe('acme').until(() => true, 2000, 'the first push');
    await t.admin.request(`mutation ($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: createApiKey.apiKey.id });
    expect(await client.closed(1000)).toMatchObject({ code: 4401, reason: 'API key revoked' });
  });
});

describe('bounds', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({
      env: {
        TOLLGATE_LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION: '40',
        TOLLGATE_LIVE_MAX_SUBSCRIPTIONS_PER_KEY: '45',
        TOLLGATE_LIVE_MAX_MESSAGE_BYTES: String(16 * 1024),
        TOLLGATE_LIVE_MAX_BUFFERED_BYTES: String(64 * 1024),
      },
    });
    cleanups.push(() => t.stop());
    await seedBasicCatalog(t.admin);
    for (let index = 0; index < 40; index++) await createAccount(t.admin, `acct-${index}`);
  });

  it('refuses subscriptions past the per-connection and per-key bounds with TOO_MANY_SUBSCRIPTIONS, not LIMIT_EXCEEDED', async () => {
    const first = await rawSocket(t.server.graphqlUrl, TEST_ADMIN_KEY);
    for (let index = 0; index < 41; index++) first.subscribe(`s${index}`, `acct-${index % 40}`);
    await first.until(() => first.messages.some((message) => message.id === 's40'), 5000, 'an answer to the 41st');
    const refusal = first.messages.find((message) => message.id === 's40')!;
    expect(refusal.type).toBe('error');
    expect(refusal.payload[0].extensions).toEqual({ code: 'TOO_MANY_SUBSCRIPTIONS', bound: 'connection', limit: 40 });

    const second = track(liveClient(t.server.graphqlUrl, TEST_ADMIN_KEY));
    const accepted = Array.from({ length: 5 }, (_, index) => second.subscribe(`acct-${index}`));
    await Promise.all(accepted.map((live) => live.until(() => true, 3000, 'a first push')));
    const sixth = second.subscribe('acct-5');
    await sixth.settled();
    expect(sixth.errors[0]?.extensions).toEqual({ code: 'TOO_MANY_SUBSCRIPTIONS', bound: 'key', limit: 45 });

    accepted[0]!.unsubscribe();
    const again = second.subscribe('acct-6');
    await again.until(() => true, 3000, 'a first push once a place was free');
    first.socket.close();
  });

  it('closes a socket that sends a message over the size limit with 1009', async () => {
    const raw = await rawSocket(t.server.graphqlUrl, TEST_ADMIN_KEY);
    raw.send({ id: 'big', type: 'subscribe', payload: { query: `subscription { entitlementsChanged(accountId: "${'a'.repeat(20_000)}") { at } }` } });
    await raw.until(() => raw.closed() !== null, 2000, 'the close');
    expect(raw.closed()!.code).toBe(1009);
    expect((await t.admin.request(`{ features { key } }`)).features.length).toBeGreaterThan(0);
  });

  it('drops a slow consumer (4503) instead of buffering for it without bound', async () => {
    // Large pushes: 40 features, each subscription reading every decision 100 times over
    // (aliases), about 1 MB a push; 30 subscriptions, 30 MB a round.
    for (let index = 0; index < 35; index++) await createFeature(t.admin, { key: `wide_${String(index).padStart(2, '0')}`, kind: 'SWITCH' });
    const fields = 'feature featureName kind unit allowed reason limit used remaining softLimitReached resetsAt expiresAt asOf';
    const aliases = Array.from({ length: 100 }, (_, index) => `a${index}: entitlements { ${fields} }`).join(' ');
    const query = `subscription ($accountId: ID!) { entitlementsChanged(accountId: $accountId) { ${aliases} } }`;
    const reader = await rawSocket(t.server.graphqlUrl, TEST_ADMIN_KEY, { keepPushes: false });
    const firstPushes = () => new Set(reader.messages.filter((message) => message.type === 'next').map((message) => message.id)).size;
    for (let index = 0; index < 30; index++) {
      // One at a time: a reading client is not a slow one, however large its pushes.
      reader.subscribe(`big${index}`, `acct-${index}`, query);
      await reader.until(() => firstPushes() === index + 1, 10_000, `the first push of subscription ${index}`);
    }

    // The client stops reading while catalog changes push round after round to it.
    const tcp = (reader.socket as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    tcp.pause();
    for (let index = 0; index < 6; index++) await createFeature(t.admin, { key: `slow_${index}`, kind: 'SWITCH' });
    tcp.resume();
    await reader.until(() => reader.closed() !== null, 20_000, 'the slow consumer\'s close');
    expect(reader.closed()).toEqual({ code: 4503, reason: `slow consumer: more than ${64 * 1024} bytes waiting to be sent` });
    expect((await t.admin.request(`{ features { key } }`)).features.length).toBeGreaterThan(40);
  });
});

describe('10,000 subscribe messages on one socket', () => {
  let server: MeasuredServer;
  beforeAll(async () => {
    const measured = await measuredServerWithCatalog();
    server = measured.server;
    cleanups.push(() => measured.stop());
    await changePlan(measured.admin, { accountId: 'acme', plan: 'pro' });
  });

  it('accepts the first 100, refuses the rest, stays healthy, and its memory stays bounded', { timeout: budget(120_000) }, async () => {
    const admin = new GraphQLTestClient(server.graphqlUrl, TEST_ADMIN_KEY);
    await admin.request(`{ entitlements(accountId: "acme") { allowed } }`);
    const before = await server.heapUsedAfterGC();

    const flood = await rawSocket(server.graphqlUrl, TEST_ADMIN_KEY);
    // Sent in rounds of 1,000 at once, each after the last is answered: the answers to a round fit
    // the server's slow-consumer bound (1 MiB waiting) however slowly a busy machine runs this
    // test. A client that sends everything and does not read is closed instead: the test above.
    for (let round = 0; round < 10; round++) {
      for (let index = round * 1_000; index < (round + 1) * 1_000; index++) flood.subscribe(`s${index}`, 'acme');
      await flood.until(() => flood.answered.size === (round + 1) * 1_000, budget(30_000), `an answer to every subscribe of round ${round}`);
    }
    const accepted = new Set(flood.messages.filter((message) => message.type === 'next').map((message) => message.id));
    const refused = flood.messages.filter((message) => message.type === 'error');
    expect(accepted.size).toBe(100);
    expect([...accepted].every((id) => Number(id.slice(1)) < 100)).toBe(true);
    expect(refused).toHaveLength(9_900);
    expect(new Set(refused.map((message) => message.payload[0].extensions.code))).toEqual(new Set(['TOO_MANY_SUBSCRIPTIONS']));

    // Healthy: HTTP answers, another connection subscribes, the 100 still get pushes.
    await admin.request(`mutation { consume(input: { accountId: "acme", feature: "seats", idempotencyKey: "after-flood" }) { ok } }`);
    const other = track(liveClient(server.graphqlUrl, TEST_ADMIN_KEY));
    await other.subscribe('acme').until((push) => push.entitlements.some((entitlement) => entitlement.feature === 'seats' && entitlement.used === 1), budget(2000), 'seats used 1');
    await flood.until(
      () => new Set(flood.messages.filter((message) => message.type === 'next' && message.payload.data.entitlementsChanged.entitlements.some(
        (entitlement: { feature: string; used: number }) => entitlement.feature === 'seats' && entitlement.used === 1,
      )).map((message) => message.id)).size === 100,
      budget(2000),
      'the push to all 100',
    );

    const during = await server.heapUsedAfterGC();
    flood.socket.close();
    await flood.until(() => flood.closed() !== null, budget(2000), 'the close');
    await other.dispose();
    const after = await server.heapUsedAfterGC();
    console.log(`heap: ${(before / MiB).toFixed(1)} MiB before, ${(during / MiB).toFixed(1)} MiB with 100 subscriptions after 10,000 subscribes, ${(after / MiB).toFixed(1)} MiB after closing`);
    expect(during - before).toBeLessThan(8 * MiB);
    expect(after - before).toBeLessThan(4 * MiB);
  });
});
