import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createTollgate,
  TollgateRequestError,
  TollgateUnavailableError,
  type CheckedEntitlement,
  type LiveOptions,
  type TollgateClient,
} from '../../client-sdk/dist/server/index.js';
import { changePlan, createAccount, createPublishedPlan, seedBasicCatalog } from '../support/fixtures.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { budget } from '../support/time-budget.js';

/**
 * `createTollgate({ live: true })` of @tollgate/sdk/server against a real Tollgate: `check`
 * answers from the decisions Tollgate pushes over its WebSocket (no request after the first), they
 * follow changes made elsewhere, amounts are answered from memory only when that is exactly what
 * Tollgate answers, `consume` always asks Tollgate, decisions go stale past the bound while the
 * socket is down, and memory holds at most `maxAccounts` accounts. Requests are counted by the
 * client's own fetch; the sockets are real (Node's global WebSocket).
 */
let t: TestServer;
let serverKey: string;
let accountSequence = 0;
const clients: TollgateClient[] = [];

beforeAll(async () => {
  t = await startTestServer();
  await seedBasicCatalog(t.admin);
  // A plan that lets seats go past the limit (overage ALLOW): amounts then need the overage rule.
  await createPublishedPlan(t.admin, { key: 'payg', rank: 5 }, [{ feature: 'seats', limit: 2, overage: 'ALLOW' }, { feature: 'api_calls', limit: 100, period: 'MONTH' }]);
  const { createApiKey } = await t.admin.request(`mutation { createApiKey(input: { name: "live backend", role: SERVER }) { secret } }`);
  serverKey = createApiKey.secret;
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});
afterAll(() => t?.stop());

async function newAccount(plan?: string): Promise<string> {
  const accountId = `live-sdk-${++accountSequence}`;
  await createAccount(t.admin, accountId);
  if (plan) await changePlan(t.admin, { accountId, plan });
  return accountId;
}

/** A client whose HTTP requests are counted by operation name. */
function countingClient(options: { url?: string; live?: boolean | LiveOptions; apiKey?: string; timeoutMs?: number } = {}) {
  const operations: string[] = [];
  const client = createTollgate({
    url: options.url ?? t.server.graphqlUrl,
    apiKey: options.apiKey ?? serverKey,
    timeoutMs: options.timeoutMs ?? 5000,
    live: options.live,
    fetch: async (input, init) => {
      const query = String(JSON.parse(String(init?.body)).query);
      operations.push(/^\s*(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? 'anonymous');
      return fetch(input, init);
    },
  });
  clients.push(client);
  return { client, operations };
}

/** Resolves once the client's subscriptions of `count` accounts have delivered their state. */
async function synced(client: TollgateClient, count = 1, timeout = budget(5000)): Promise<void> {
  await vi.waitFor(() => expect(client.liveStats().synced).toBeGreaterThanOrEqual(count), { timeout, interval: 5 });
}

/** A decision without the fields that differ between two answers of the same state. */
function comparable(decision: CheckedEntitlement) {
  const { asOf: _asOf, stale: _stale, ...rest } = decision;
  return rest;
}

const grantExport = (accountId: string) =>
  t.admin.request(`mutation ($input: GrantOverrideInput!) { grantOverride(input: $input) { id } }`, {
    input: { accountId, feature: 'export_csv', effect: 'GRANT', permanent: true, reason: 'live test', approvedBy: 'QA' },
  });

describe('createTollgate({ live: true })', () => {
  it('answers check from memory after the first ask: one request for the account, then none, with the same decisions as over HTTP', async () => {
    const accountId = await newAccount('pro');
    const { client, operations } = countingClient({ live: true });
    const http = countingClient().client;

    const first = await client.check(accountId, 'seats');
    expect(first).toMatchObject({ allowed: true, limit: 20, stale: false });
    expect(operations).toEqual(['TollgateEntitlement']);
    await synced(client);

    for (const feature of ['export_csv', 'seats', 'api_calls', 'sso', 'scim']) {
      const remembered = await client.check(accountId, feature);
      expect(comparable(remembered), feature).toEqual(comparable(await http.check(accountId, feature)));
      expect(remembered.stale).toBe(false);
      expect(Date.parse(remembered.asOf)).toBeLessThanOrEqual(Date.now());
    }
    for (let i = 0; i < 1000; i += 1) await client.check(accountId, 'seats');
    expect(operations).toEqual(['TollgateEntitlement']);
    expect(client.liveStats()).toMatchObject({ status: 'on', accounts: 1, synced: 1, sockets: 1, connected: 1 });
    expect(client.liveStats().fromMemory).toBe(1005);
  });

  it('follows a change made elsewhere within a second, without a request of its own', async () => {
    const accountId = await newAccount();
    const { client, operations } = countingClient({ live: true });
    const before = await client.check(accountId, 'export_csv');
    expect(before).toMatchObject({ allowed: false, reason: 'NOT_IN_PLAN' });
    await synced(client);

    const granted = performance.now();
    await grantExport(accountId);
    await vi.waitFor(async () => expect((await client.check(accountId, 'export_csv')).allowed).toBe(true), { timeout: 1000, interval: 2 });
    expect(performance.now() - granted).toBeLessThan(1000);
    const after = await client.check(accountId, 'export_csv');
    expect(after).toMatchObject({ allowed: true, reason: 'GRANTED_BY_OVERRIDE', stale: false });
    expect(Date.parse(after.asOf)).toBeGreaterThan(Date.parse(before.asOf));
    expect(operations).toEqual(['TollgateEntitlement']);
  });

  it('answers an amount from memory only when that is exactly what Tollgate answers, and asks Tollgate otherwise', async () => {
    // States around the limit of 2 seats: BLOCK (free) and ALLOW (payg), below, at and past it;
    // unlimited and not-in-plan features; amounts from 1 to 4 and invalid ones.
    const states: { plan?: string; seatsUsed: number }[] = [
      { seatsUsed: 0 }, { seatsUsed: 1 }, { seatsUsed: 2 },
      { plan: 'payg', seatsUsed: 1 }, { plan: 'payg', seatsUsed: 2 }, { plan: 'payg', seatsUsed: 3 },
    ];
    const { client } = countingClient({ live: true });
    const http = countingClient().client;
    const fromMemory: string[] = [];
    const asked: string[] = [];
    for (const state of states) {
      const accountId = await newAccount(state.plan);
      if (state.seatsUsed) {
        await t.admin.request(`mutation ($id: ID!, $value: Quantity!) { setUsage(input: { accountId: $id, feature: "seats", value: $value, reason: "test" }) { used } }`, {
          id: accountId,
          value: state.seatsUsed,
        });
      }
      await client.check(accountId, 'seats');
      await vi.waitFor(async () => expect(client.liveStats().synced).toBe(client.liveStats().accounts), { timeout: 5000, interval: 5 });
      await vi.waitFor(async () => expect((await client.check(accountId, 'seats')).used).toBe(state.seatsUsed), { timeout: 1000, interval: 5 });
      for (const feature of ['seats', 'api_calls', 'export_csv', 'sso']) {
        for (const amount of [1, 2, 3, 4, 0, 1.5, -1]) {
          const label = `${state.plan ?? 'free'}, ${state.seatsUsed} seats used: ${feature} × ${amount}`;
          const servedBefore = client.liveStats().fromMemory;
          const [live, direct] = await Promise.all([
            client.check(accountId, feature, { amount }).catch((error: Error) => error),
            http.check(accountId, feature, { amount }).catch((error: Error) => error),
          ]);
          if (direct instanceof Error) {
            expect(live, label).toBeInstanceOf(TollgateRequestError);
            expect((live as TollgateRequestError).code, label).toBe((direct as TollgateRequestError).code);
          } else {
            expect(comparable(live as CheckedEntitlement), label).toEqual(comparable(direct));
          }
          (client.liveStats().fromMemory > servedBefore ? fromMemory : asked).push(label);
        }
      }
    }
    // What only the overage rule decides went to Tollgate: free with 0 or 1 seats used asked for
    // more than is left, and payg below its limit asked for more than is left.
    expect(asked.filter((label) => label.includes('seats ×') && /× [234]$/.test(label))).toEqual([
      'free, 0 seats used: seats × 3', 'free, 0 seats used: seats × 4',
      'free, 1 seats used: seats × 2', 'free, 1 seats used: seats × 3', 'free, 1 seats used: seats × 4',
      'payg, 1 seats used: seats × 2', 'payg, 1 seats used: seats × 3', 'payg, 1 seats used: seats × 4',
    ]);
    expect(asked.filter((label) => !/× (-1|0|1\.5)$/.test(label))).toHaveLength(8);
    expect(fromMemory.length).toBe(states.length * 4 * 4 - 8);
  }, budget(60_000));

  it('sends every consume to Tollgate, and its pushes keep the decisions in memory current', async () => {
    const accountId = await newAccount('pro');
    const { client, operations } = countingClient({ live: true });
    await client.check(accountId, 'seats');
    await synced(client);
    for (let i = 1; i <= 5; i += 1) {
      const result = await client.consume(accountId, 'seats');
      expect(result).toMatchObject({ ok: true, entitlement: { used: i } });
    }
    expect(operations).toEqual(['TollgateEntitlement', ...Array(5).fill('TollgateConsume')]);
    await vi.waitFor(async () => expect((await client.check(accountId, 'seats')).used).toBe(5), { timeout: 1000, interval: 5 });
    expect(operations.filter((operation) => operation === 'TollgateEntitlement')).toHaveLength(1);
  });

  it('keeps answering from memory, marked stale, while the socket is down for less than staleAfterMs, then asks Tollgate, and is live again after a reconnection', async () => {
    const accountId = await newAccount();
    const port = Number(new URL(t.server.graphqlUrl).port);
    const proxy: TcpProxy = await startTcpProxy('127.0.0.1', port);
    try {
      const staleAfterMs = 500;
      const { client, operations } = countingClient({ url: `http://127.0.0.1:${proxy.port}/graphql`, live: { staleAfterMs }, timeoutMs: 1000 });
      await client.check(accountId, 'export_csv');
      await synced(client);

      await proxy.cut();
      const cut = performance.now();
      await vi.waitFor(() => expect(client.liveStats().connected).toBe(0), { timeout: 1000, interval: 2 });
      // Within the bound: memory, marked stale (a change made meanwhile would not be in it), no
      // request (none could be answered anyway).
      const withinBound = await client.check(accountId, 'export_csv');
      expect(performance.now() - cut).toBeLessThan(staleAfterMs);
      expect(withinBound).toMatchObject({ allowed: false, stale: true });
      expect(operations).toEqual(['TollgateEntitlement']);

      // Past it: Tollgate is asked; unreachable, the last decision is given only with allowStale.
      const stale = await vi.waitFor(
        async () => {
          const decision = await client.check(accountId, 'export_csv', { allowStale: true });
          // Asked over HTTP (the answer from memory made no request).
          expect(operations.length).toBeGreaterThan(1);
          return decision;
        },
        { timeout: 5000, interval: 20 },
      );
      expect(stale.stale).toBe(true);
      expect(performance.now() - cut).toBeGreaterThan(staleAfterMs);
      expect(stale).toMatchObject({ allowed: false, reason: 'NOT_IN_PLAN', asOf: withinBound.asOf });
      await expect(client.check(accountId, 'export_csv')).rejects.toBeInstanceOf(TollgateUnavailableError);

      // Back: graphql-ws reconnects, the subscription's first push is the current state.
      await grantExport(accountId); // made while the client could not hear it
      await proxy.restore();
      // graphql-ws retries with growing pauses (at most 5 s between attempts).
      await synced(client, 1, 10_000);
      const asked = operations.length;
      const back = await client.check(accountId, 'export_csv');
      expect(back).toMatchObject({ allowed: true, reason: 'GRANTED_BY_OVERRIDE', stale: false });
      expect(operations).toHaveLength(asked);
    } finally {
      await proxy.close();
    }
  }, budget(30_000));

  it('treats a missing pong as a lost connection: answers from memory marked stale at once, and reconnects when the link is back', async () => {
    const accountId = await newAccount();
    const port = Number(new URL(t.server.graphqlUrl).port);
    const proxy: TcpProxy = await startTcpProxy('127.0.0.1', port);
    try {
      const keepAliveMs = 1000;
      const { client, operations } = countingClient({ url: `http://127.0.0.1:${proxy.port}/graphql`, live: { staleAfterMs: 60_000, keepAliveMs }, timeoutMs: 1000 });
      expect(await client.check(accountId, 'export_csv')).toMatchObject({ allowed: false, stale: false });
      await synced(client);
      expect(await client.check(accountId, 'export_csv')).toMatchObject({ stale: false });

      // Tollgate vanishes without closing: the socket stays open and carries nothing.
      proxy.freeze();
      const frozen = performance.now();
      await vi.waitFor(() => expect(client.liveStats().connected).toBe(0), { timeout: 10_000, interval: 5 });
      // A ping at most keepAliveMs after the last pong, and half as long for its pong.
      expect(performance.now() - frozen).toBeLessThan(keepAliveMs * 1.5 + 1000);
      const fromMemory = await client.check(accountId, 'export_csv');
      expect(fromMemory).toMatchObject({ allowed: false, reason: 'NOT_IN_PLAN', stale: true });
      expect(operations).toEqual(['TollgateEntitlement']);

      // The link is back (new connections get through; the frozen one stays dead).
      await grantExport(accountId);
      proxy.thaw();
      await synced(client, 1, 10_000);
      expect(await client.check(accountId, 'export_csv')).toMatchObject({ allowed: true, reason: 'GRANTED_BY_OVERRIDE', stale: false });
      expect(operations).toEqual(['TollgateEntitlement']);
    } finally {
      await proxy.close();
    }
  }, 30_000);

  it('keeps the decisions of at most maxAccounts accounts, least recently checked dropped first', async () => {
    const { client, operations } = countingClient({ live: { maxAccounts: 3 } });
    const ids = [];
    for (let i = 0; i < 4; i += 1) ids.push(await newAccount());
    for (const id of ids.slice(0, 3)) await client.check(id, 'seats');
    await synced(client, 3);
    await client.check(ids[0]!, 'seats'); // from memory, and now the most recently used
    expect(operations).toHaveLength(3);

    await client.check(ids[3]!, 'seats'); // a fourth account drops the least recently checked: ids[1]
    await synced(client, 3);
    expect(client.liveStats()).toMatchObject({ accounts: 3, maxAccounts: 3, synced: 3 });
    for (const id of [ids[0]!, ids[2]!, ids[3]!]) await client.check(id, 'seats');
    expect(operations).toHaveLength(4);
    await client.check(ids[1]!, 'seats');
    expect(operations).toHaveLength(5);
    expect(client.liveStats().accounts).toBe(3);
  });

  it('stops answering from memory at once when Tollgate closes the socket for a revoked key', async () => {
    const { createApiKey } = await t.admin.request(`mutation { createApiKey(input: { name: "revoked live backend", role: SERVER }) { secret apiKey { id } } }`);
    const accountId = await newAccount('pro');
    const errors: Error[] = [];
    const { client } = countingClient({ apiKey: createApiKey.secret, live: { staleAfterMs: 60_000, onError: (error) => errors.push(error) } });
    await client.check(accountId, 'export_csv');
    await synced(client);
    await t.admin.request(`mutation ($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: createApiKey.apiKey.id });
    await vi.waitFor(() => expect(errors.map((error) => error.message).join('\n')).toMatch(/closed with 4401 \(API key revoked\)/), { timeout: 2000, interval: 5 });
    await expect(client.check(accountId, 'export_csv')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
