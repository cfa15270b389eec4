// @vitest-environment jsdom
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { useEffect } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TollgateProvider, useEntitlements, useTollgate, type EntitlementFields } from '../../client-sdk/dist/react/index.js';
import { freshDatabase, type FreshDatabase } from '../support/database.js';
import { changePlan, createAccount, seedBasicCatalog } from '../support/fixtures.js';
import { GraphQLTestClient } from '../support/graphql-client.js';
import { spawnServer, type ServerProcess } from '../support/process.js';
import { TEST_ADMIN_KEY } from '../support/server.js';
import { startGraphQLRequestLog, type GraphQLRequestLog } from './graphql-request-log.js';

/**
 * Issue 15's propagation test, on the hook's side: two server processes on one PostgreSQL; the
 * provider's socket (a browser-side subscription) on process A; 100 changes of each kind (plan,
 * add-on, override, catalog, usage through consume, release, reportUsage and setUsage) made
 * through process B. After each burst the hook shows its last state, within a second of the last
 * change, from pushes alone (no request to A), and never goes back: every state it rendered is
 * as new as or newer than the one before (`asOf`). The server's side of the same bursts is
 * test/integration/live-propagation.test.ts.
 */
let database: FreshDatabase;
let first: ServerProcess;
let second: ServerProcess;
let viaSecond: GraphQLTestClient;
let toFirst: GraphQLRequestLog;

beforeAll(async () => {
  database = await freshDatabase();
  const env = { DATABASE_URL: database.url, TOLLGATE_ADMIN_KEY: TEST_ADMIN_KEY, TOLLGATE_DEMO_DATA: 'off' };
  [first, second] = await Promise.all([spawnServer(env), spawnServer(env)]);
  toFirst = await startGraphQLRequestLog(first.graphqlUrl);
  viaSecond = new GraphQLTestClient(second.graphqlUrl, TEST_ADMIN_KEY);
  await seedBasicCatalog(viaSecond);
  await viaSecond.request(`mutation { createAddOn(input: { key: "seat_pack", name: "Seat pack", price: { amount: 500, currency: "USD" },
    grants: [{ feature: "seats", limitIncrement: 1 }] }) { key } }`);
  for (const id of ['plans', 'add-ons', 'overrides', 'catalog', 'usage']) await createAccount(viaSecond, `hook-${id}`);
  for (const id of ['add-ons', 'usage']) await changePlan(viaSecond, { accountId: `hook-${id}`, plan: 'pro' });
}, 60_000);
afterEach(cleanup);
afterAll(async () => {
  await toFirst?.close();
  await first?.stop();
  await second?.stop();
  await database?.drop();
});

/** One state the hook rendered: the newest asOf of its decisions, and the decisions. */
interface Rendered {
  asOf: number;
  entitlements: EntitlementFields[];
}

/** Renders every feature's decision and records each state the hook rendered. */
function Recorder({ states }: { states: Rendered[] }) {
  const { entitlements } = useEntitlements();
  const { live } = useTollgate();
  useEffect(() => {
    if (entitlements.length === 0) return;
    states.push({ asOf: Math.max(...entitlements.map((entitlement) => Date.parse(entitlement.asOf))), entitlements });
  }, [entitlements, states]);
  return <p data-testid="live">{live}</p>;
}

const decision = (state: Rendered | undefined, feature: string) => state?.entitlements.find((entitlement) => entitlement.feature === feature);

/**
 * Mounts the provider for `accountId` against process A, waits for its socket, makes `changes`
 * through process B one after another, and waits (at most a second after the last) for the hook
 * to render the state `final` accepts. Checks it came from pushes and never went back.
 */
async function burst(accountId: string, changes: (() => Promise<unknown>)[], final: (state: Rendered) => boolean): Promise<Rendered> {
  expect(changes).toHaveLength(100);
  const token = async () => {
    const { createClientToken } = await viaSecond.request(`mutation ($id: ID!) { createClientToken(accountId: $id, ttlSeconds: 600) { token expiresAt } }`, { id: accountId });
    return createClientToken as { token: string; expiresAt: string };
  };
  const states: Rendered[] = [];
  const sockets = toFirst.webSockets();
  render(
    <TollgateProvider accountId={accountId} url={toFirst.graphqlUrl} token={token} refetchIntervalMs={0} refetchOnFocus={false}>
      <Recorder states={states} />
    </TollgateProvider>,
  );
  await waitFor(() => expect(screen.getByTestId('live').textContent).toBe('live'), { timeout: 5000 });
  toFirst.clear();
  const before = states.length;

  let lastSent = 0;
  for (const change of changes) {
    lastSent = Date.now();
    await change();
  }
  const done = performance.now();
  // The last state, made after the last change was sent (so not an earlier one that looks alike).
  await waitFor(() => expect(final(states.at(-1)!) && states.at(-1)!.asOf >= lastSent).toBe(true), { timeout: 1000, interval: 5 });
  expect(performance.now() - done).toBeLessThan(1000);

  // From pushes alone, on the provider's one socket.
  expect(toFirst.requests).toEqual([]);
  expect(toFirst.webSockets() - sockets).toBe(1);
  expect(screen.getByTestId('live').textContent).toBe('live');
  // Never back: each rendered state is at least as new as the one before.
  const stamps = states.map((state) => state.asOf);
  expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
  expect(states.length).toBeGreaterThan(before);
  return states.at(-1)!;
}

const times = (count: number) => Array.from({ length: count }, (_, index) => index + 1);

describe('a live hook on process A while 100 changes of each kind go through process B', () => {
  it('ends on the last of 100 plan changes', async () => {
    const last = await burst(
      'hook-plans',
      times(100).map((i) => () => changePlan(viaSecond, { accountId: 'hook-plans', plan: i % 2 === 0 ? 'pro' : 'free' })),
      (state) => decision(state, 'seats')?.plan?.key === 'pro' && decision(state, 'seats')?.limit === 20,
    );
    expect(decision(last, 'export_csv')?.allowed).toBe(true);
  }, 60_000);

  it('ends on the last of 100 add-on changes', async () => {
    await burst(
      'hook-add-ons',
      times(100).map((quantity) => () =>
        viaSecond.request(`mutation ($q: Int!) { setAddOn(accountId: "hook-add-ons", addOn: "seat_pack", quantity: $q) { id } }`, { q: quantity })),
      (state) => decision(state, 'seats')?.limit === 120,
    );
  }, 60_000);

  it('ends on the last of 100 overrides', async () => {
    await burst(
      'hook-overrides',
      times(100).map((value) => () =>
        viaSecond.request(`mutation ($input: GrantOverrideInput!) { grantOverride(input: $input) { id } }`, {
          input: { accountId: 'hook-overrides', feature: 'seats', effect: 'SET_LIMIT', value: 1000 + value, permanent: true, reason: 'burst', approvedBy: 'QA' },
        })),
      (state) => decision(state, 'seats')?.limit === 1100,
    );
  }, 60_000);

  it('ends on the last of 100 catalog changes', async () => {
    const last = await burst(
      'hook-catalog',
      times(100).map((n) => () =>
        viaSecond.request(`mutation ($input: CreateFeatureInput!) { createFeature(input: $input) { key } }`, {
          input: { key: `hook_feature_${String(n).padStart(3, '0')}`, name: `Feature ${n}`, kind: 'SWITCH' },
        })),
      (state) => decision(state, 'hook_feature_100') !== undefined,
    );
    expect(last.entitlements.filter((entitlement) => entitlement.feature.startsWith('hook_feature_'))).toHaveLength(100);
  }, 60_000);

  it('ends on the last of 100 usage changes: consume, release, reportUsage and setUsage', async () => {
    const usage = (document: string, variables: Record<string, unknown>) => () => viaSecond.request(document, variables);
    const consume = `mutation ($input: ConsumeInput!) { consume(input: $input) { ok } }`;
    const release = `mutation ($input: ReleaseInput!) { release(input: $input) { ok } }`;
    const report = `mutation ($events: [UsageEventInput!]!) { reportUsage(events: $events) { accepted } }`;
    const set = `mutation ($input: SetUsageInput!) { setUsage(input: $input) { used } }`;
    const accountId = 'hook-usage';
    await burst(
      accountId,
      [
        ...times(20).map((i) => usage(consume, { input: { accountId, feature: 'seats', idempotencyKey: `hook-c-${i}` } })),
        ...times(15).map((i) => usage(release, { input: { accountId, feature: 'seats', idempotencyKey: `hook-r-${i}` } })),
        ...times(30).map((i) => usage(report, { events: [{ accountId, feature: 'api_calls', amount: 1, idempotencyKey: `hook-e-${i}` }] })),
        ...times(35).map((i) => usage(set, { input: { accountId, feature: 'api_calls', value: 100 + i, reason: 'correction' } })),
      ],
      (state) => decision(state, 'seats')?.used === 5 && decision(state, 'api_calls')?.used === 135,
    );
  }, 60_000);
});
