// @vitest-environment jsdom
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Feature, TollgateProvider, UsageMeter, useEntitlement, useEntitlements, useTollgate } from '../../client-sdk/dist/react/index.js';
import { freshDatabase, type FreshDatabase } from '../support/database.js';
import { changePlan, createAccount, createFeature, createPublishedPlan } from '../support/fixtures.js';
import { GraphQLTestClient } from '../support/graphql-client.js';
import { spawnServer, type ServerProcess } from '../support/process.js';
import { TEST_ADMIN_KEY } from '../support/server.js';
import { startGraphQLRequestLog, type GraphQLRequestLog } from './graphql-request-log.js';

/**
 * What a page costs: one client per provider whatever its parent does, one token, and one
 * request for every gate without an amount. Requests are counted by a recording proxy in front
 * of a real Tollgate process.
 */
let database: FreshDatabase;
let tollgate: ServerProcess;
let log: GraphQLRequestLog;
let admin: GraphQLTestClient;
let accountSequence = 0;

beforeAll(async () => {
  database = await freshDatabase();
  tollgate = await spawnServer({ DATABASE_URL: database.url, TOLLGATE_ADMIN_KEY: TEST_ADMIN_KEY, TOLLGATE_DEMO_DATA: 'off' });
  log = await startGraphQLRequestLog(tollgate.graphqlUrl);
  admin = new GraphQLTestClient(tollgate.graphqlUrl, TEST_ADMIN_KEY);
  await createFeature(admin, { key: 'notes', name: 'Notes', kind: 'QUANTITY', unit: 'notes' });
  await createFeature(admin, { key: 'seats', name: 'Seats', kind: 'QUANTITY', unit: 'seats' });
  await createFeature(admin, { key: 'export_csv', name: 'CSV export', kind: 'SWITCH' });
  await createFeature(admin, { key: 'api_calls', name: 'API calls', kind: 'METERED', unit: 'calls' });
  await createPublishedPlan(admin, { key: 'free', rank: 0, isDefault: true }, [
    { feature: 'notes', limit: 2 },
    { feature: 'seats', limit: 2 },
    { feature: 'api_calls', limit: 100 },
  ]);
  await createPublishedPlan(admin, { key: 'pro', rank: 10, price: 2900 }, [
    { feature: 'notes', limit: 100 },
    { feature: 'seats', limit: 10 },
    { feature: 'export_csv' },
    { feature: 'api_calls', limit: 10000 },
  ]);
});
afterEach(cleanup);
afterAll(async () => {
  await log?.close();
  await tollgate?.stop();
  await database?.drop();
});

/** A new account on `plan`, with a token function that counts what it mints. */
async function newAccount(plan: 'free' | 'pro' = 'free', ttlSeconds = 600) {
  const accountId = `shared-${++accountSequence}`;
  await createAccount(admin, accountId);
  if (plan !== 'free') await changePlan(admin, { accountId, plan });
  let minted = 0;
  const token = async () => {
    minted += 1;
    const { createClientToken } = await admin.request(`mutation ($id: ID!, $ttl: Int!) { createClientToken(accountId: $id, ttlSeconds: $ttl) { token expiresAt } }`, {
      id: accountId,
      ttl: ttlSeconds,
    });
    return createClientToken as { token: string; expiresAt: string };
  };
  return { accountId, token, minted: () => minted };
}

function Decision({ feature }: { feature: string }) {
  const { status, remaining, refetch } = useEntitlement(feature);
  return (
    <>
      <p data-testid={`decision-${feature}`}>{`${status} ${remaining}`}</p>
      <button type="button" onClick={() => refetch()}>{`Ask again about ${feature}`}</button>
    </>
  );
}

/** Hands the provider's refresh to the test. */
function Refresh({ onReady }: { onReady: (refresh: () => Promise<void>) => void }) {
  onReady(useTollgate().refresh);
  return null;
}

describe('the provider', () => {
  it('keeps one client while its parent renders ten times with an inline token function: one token, one request', async () => {
    const account = await newAccount();
    log.clear();
    function Parent() {
      const [renders, setRenders] = useState(0);
      return (
        <>
          <button type="button" onClick={() => setRenders((n) => n + 1)}>{`Rendered ${renders}`}</button>
          <TollgateProvider accountId={account.accountId} url={log.graphqlUrl} token={() => account.token()}>
            <Decision feature="notes" />
          </TollgateProvider>
        </>
      );
    }
    const user = userEvent.setup();
    render(<Parent />);
    for (let i = 0; i < 10; i += 1) await user.click(screen.getByRole('button', { name: /^Rendered/ }));
    expect(screen.getByRole('button', { name: /^Rendered/ })).toHaveTextContent('Rendered 10');
    await waitFor(() => expect(screen.getByTestId('decision-notes').textContent).toBe('allowed 2'));
    expect(account.minted()).toBe(1);
    expect(log.requests.map((request) => request.operationName)).toEqual(['TollgateEntitlements']);
  });

  it('calls the token function it was given last when it needs a new token', async () => {
    // A 30-second token is inside the renewal window: every request needs a new one.
    const account = await newAccount('free', 30);
    const calls: string[] = [];
    // Requests only: a live socket would take a token of its own when it connects.
    const tree = (name: string) => (
      <TollgateProvider accountId={account.accountId} url={log.graphqlUrl} token={() => (calls.push(name), account.token())} live={false}>
        <Decision feature="notes" />
      </TollgateProvider>
    );
    const { rerender } = render(tree('first'));
    await waitFor(() => expect(screen.getByTestId('decision-notes').textContent).toBe('allowed 2'));
    rerender(tree('second'));
    await userEvent.setup().click(screen.getByRole('button', { name: 'Ask again about notes' }));
    await waitFor(() => expect(calls).toEqual(['first', 'second']));
  });
});

describe('one query for many hooks', () => {
  it('answers a page of six gates with one request, and refreshes it with one more', async () => {
    const account = await newAccount('pro');
    log.clear();
    let refresh: () => Promise<void> = async () => {};
    function Overview() {
      const { entitlements } = useEntitlements();
      return <p data-testid="overview">{entitlements.filter((entitlement) => entitlement.allowed).length}</p>;
    }
    render(
      <TollgateProvider accountId={account.accountId} url={log.graphqlUrl} token={account.token}>
        <Feature name="export_csv"><button type="button">Export CSV</button></Feature>
        <Feature name="notes"><button type="button">Add note</button></Feature>
        <UsageMeter feature="notes" />
        <UsageMeter feature="api_calls" />
        <Decision feature="seats" />
        <Overview />
        <Refresh onReady={(fn) => (refresh = fn)} />
      </TollgateProvider>,
    );
    await screen.findByRole('button', { name: 'Export CSV' });
    await screen.findByRole('button', { name: 'Add note' });
    await screen.findByRole('progressbar', { name: 'Notes' });
    await screen.findByRole('progressbar', { name: 'API calls' });
    await waitFor(() => expect(screen.getByTestId('decision-seats').textContent).toBe('allowed 10'));
    expect(screen.getByTestId('overview').textContent).toBe('4');
    expect(log.requests.map((request) => request.operationName)).toEqual(['TollgateEntitlements']);

    await act(() => refresh());
    expect(log.requests.map((request) => request.operationName)).toEqual(['TollgateEntitlements', 'TollgateEntitlements']);
  });

  it('asks about an amount in a request of its own, which the gate and its paywall share, and words the paywall for it', async () => {
    const account = await newAccount('free');
    log.clear();
    render(
      <TollgateProvider accountId={account.accountId} url={log.graphqlUrl} token={account.token}>
        <Feature name="seats" amount={5}><button type="button">Invite 5 people</button></Feature>
      </TollgateProvider>,
    );
    const paywall = await screen.findByRole('region', { name: 'Upgrade for more seats' });
    expect(within(paywall).getByText('Your plan includes 2 seats, with 2 left: not enough for 5 more.')).toBeInTheDocument();
    const offer = await within(paywall).findByRole('listitem');
    expect(offer).toHaveTextContent('Up to 10 seats · also unlocks CSV export');
    expect(screen.queryByRole('button', { name: 'Invite 5 people' })).not.toBeInTheDocument();
    // The amount's decision, the offers, and the shared query (the paywall names features with it).
    expect(log.requests.map((request) => request.operationName).sort()).toEqual(['TollgateEntitlement', 'TollgateEntitlements', 'TollgateUpgradeOffers']);
  });
});
