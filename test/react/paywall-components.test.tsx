// @vitest-environment jsdom
import { ApolloClient, ApolloLink, gql, HttpLink, InMemoryCache } from '@apollo/client';
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  Feature,
  TollgateProvider,
  UsageMeter,
  createPaywallLink,
  openPaywall,
  useConsume,
  useEntitlement,
  useEntitlements,
  useUpgradeOffers,
  useTollgate,
  useUsage,
} from '../../client-sdk/dist/react/index.js';
import { freshDatabase, type FreshDatabase } from '../support/database.js';
import { createAccount, createFeature, createPublishedPlan } from '../support/fixtures.js';
import { GraphQLTestClient } from '../support/graphql-client.js';
import { spawnHostApi, spawnServer, type ServerProcess } from '../support/process.js';
import { TEST_ADMIN_KEY } from '../support/server.js';

/**
 * The React SDK in jsdom against a real Tollgate server and the real example host API, each its
 * own process (outside jsdom's globals): no mocked client, no mocked server.
 */
let database: FreshDatabase;
let tollgate: ServerProcess;
let notes: ServerProcess;
const t = { admin: null as unknown as GraphQLTestClient, graphqlUrl: '' };
let accountSequence = 0;

beforeAll(async () => {
  database = await freshDatabase();
  tollgate = await spawnServer({ DATABASE_URL: database.url, TOLLGATE_ADMIN_KEY: TEST_ADMIN_KEY, TOLLGATE_DEMO_DATA: 'off' });
  t.graphqlUrl = tollgate.graphqlUrl;
  t.admin = new GraphQLTestClient(tollgate.graphqlUrl, TEST_ADMIN_KEY);
  await createFeature(t.admin, { key: 'notes', name: 'Notes', kind: 'QUANTITY', unit: 'notes' });
  await createFeature(t.admin, { key: 'export_csv', name: 'CSV export', kind: 'SWITCH' });
  await createFeature(t.admin, { key: 'api_calls', name: 'API calls', kind: 'METERED', unit: 'calls' });
  await createPublishedPlan(t.admin, { key: 'free', rank: 0, isDefault: true }, [
    { feature: 'notes', limit: 2 },
    { feature: 'api_calls', limit: 100, softLimitPercent: 50 },
  ]);
  await createPublishedPlan(t.admin, { key: 'pro', rank: 10, price: 2900 }, [
    { feature: 'notes', limit: 100 }, { feature: 'export_csv' }, { feature: 'api_calls', limit: 10000 },
  ]);
  await createPublishedPlan(t.admin, { key: 'enterprise', rank: 20, price: 49900 }, [
    { feature: 'notes', limit: null }, { feature: 'export_csv' }, { feature: 'api_calls', limit: null },
  ]);
  const { createApiKey } = await t.admin.request(`mutation { createApiKey(input: { name: "notes backend", role: SERVER }) { secret } }`);
  notes = await spawnHostApi({ TOLLGATE_URL: tollgate.graphqlUrl, TOLLGATE_SERVER_KEY: createApiKey.secret, PORT: '0' });
});
afterEach(cleanup);
afterAll(async () => {
  await notes?.stop();
  await tollgate?.stop();
  await database?.drop();
});

/** A new account on the free plan, and what the provider needs for it. */
async function newAccount(ttlSeconds = 120) {
  const accountId = `web-${++accountSequence}`;
  await createAccount(t.admin, accountId);
  let tokensMinted = 0;
  const token = async () => {
    tokensMinted += 1;
    const { createClientToken } = await t.admin.request(
      `mutation ($id: ID!, $ttl: Int!) { createClientToken(accountId: $id, ttlSeconds: $ttl) { token expiresAt } }`,
      { id: accountId, ttl: ttlSeconds },
    );
    return createClientToken as { token: string; expiresAt: string };
  };
  const upgrades: string[] = [];
  const onUpgrade = async (offer: { key: string }) => {
    upgrades.push(offer.key);
    await t.admin.request(`mutation ($id: ID!, $plan: String!) { changePlan(input: { accountId: $id, plan: $plan }) { id } }`, {
      id: accountId,
      plan: offer.key,
    });
  };
  return { accountId, token, onUpgrade, upgrades, tokensMinted: () => tokensMinted };
}

function Entitlement({ feature, amount }: { feature: string; amount?: number }) {
  const { loading, allowed, reason, remaining, limit, used } = useEntitlement(feature, { amount });
  if (loading) return <p>loading</p>;
  return <p data-testid={`entitlement-${feature}`}>{`${allowed} ${reason} ${used}/${limit} left ${remaining}`}</p>;
}

describe('hooks', () => {
  it('answers useEntitlement, useEntitlements, useUsage and useUpgradeOffers from the server', async () => {
    const account = await newAccount();
    function Everything() {
      const all = useEntitlements();
      const usage = useUsage('notes');
      const offers = useUpgradeOffers('export_csv');
      return (
        <>
          <Entitlement feature="notes" />
          <Entitlement feature="notes" amount={3} />
          <p data-testid="all">{all.entitlements.map((entitlement) => `${entitlement.feature}:${entitlement.allowed}`).join(',')}</p>
          <p data-testid="usage">{`${usage.used}/${usage.limit}`}</p>
          <p data-testid="offers">{offers.offers.map((offer) => `${offer.key}:${offer.price.formatted}:${offer.recommended}`).join(',')}</p>
        </>
      );
    }
    render(
      <TollgateProvider accountId={account.accountId} url={t.graphqlUrl} token={account.token}>
        <Everything />
      </TollgateProvider>,
    );
    await waitFor(() => {
      expect(screen.getAllByTestId('entitlement-notes').map((node) => node.textContent)).toEqual([
        'true INCLUDED_IN_PLAN 0/2 left 2',
        'false LIMIT_REACHED 0/2 left 2',
      ]);
      expect(screen.getByTestId('all').textContent).toBe('api_calls:true,export_csv:false,notes:true');
      expect(screen.getByTestId('usage').textContent).toBe('0/2');
      expect(screen.getByTestId('offers').textContent).toBe('pro:$29.00:true,enterprise:$499.00:false');
    });
  });

  it('asks for a new client token before the current one expires', async () => {
    const account = await newAccount();
    function Twice() {
      const first = useEntitlement('notes');
      const second = useUsage('api_calls');
      return <p data-testid="done">{first.entitlement && second.usage ? 'done' : ''}</p>;
    }
    render(
      <TollgateProvider accountId={account.accountId} url={t.graphqlUrl} token={account.token}>
        <Twice />
      </TollgateProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('done').textContent).toBe('done'));
    // Tokens live 120 s and are renewed within 60 s of expiry: both requests shared one token.
    expect(account.tokensMinted()).toBe(1);
  });

  it('uses an Apollo Client the app already has', async () => {
    const account = await newAccount();
    const { token } = await account.token();
    const client = new ApolloClient({
      link: new HttpLink({ uri: t.graphqlUrl, headers: { authorization: `Bearer ${token}` } }),
      cache: new InMemoryCache(),
    });
    render(
      <TollgateProvider accountId={account.accountId} client={client}>
        <Entitlement feature="notes" />
      </TollgateProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('entitlement-notes').textContent).toBe('true INCLUDED_IN_PLAN 0/2 left 2'));
  });

  it('calls the token function again when the token is about to expire', async () => {
    const account = await newAccount(30);
    function Reader() {
      const { entitlement, refetch } = useEntitlement('notes');
      return (
        <>
          <p data-testid="state">{entitlement ? 'loaded' : ''}</p>
          <button type="button" onClick={() => refetch()}>Again</button>
        </>
      );
    }
    render(
      <TollgateProvider accountId={account.accountId} url={t.graphqlUrl} token={account.token}>
        <Reader />
      </TollgateProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('state').textContent).toBe('loaded'));
    await userEvent.setup().click(screen.getByRole('button', { name: 'Again' }));
    // A 30-second token is inside the one-minute renewal window: every request gets a fresh one.
    await waitFor(() => expect(account.tokensMinted()).toBeGreaterThanOrEqual(2));
  });
});

describe('components', () => {
  it('shows a paywall with real offers and unlocks the feature after an upgrade, without a reload', async () => {
    const account = await newAccount();
    const user = userEvent.setup();
    render(
      <TollgateProvider accountId={account.accountId} url={t.graphqlUrl} token={account.token} onUpgrade={account.onUpgrade}>
        <Feature name="export_csv">
          <button type="button">Export CSV</button>
        </Feature>
      </TollgateProvider>,
    );
    const paywall = await screen.findByRole('region', { name: 'Upgrade to use CSV export' });
    expect(within(paywall).getByText('Your current plan does not include CSV export.')).toBeInTheDocument();
    await waitFor(() => expect(within(paywall).getAllByRole('listitem')).toHaveLength(2));
    const [pro, enterprise] = within(paywall).getAllByRole('listitem');
    expect(pro).toHaveTextContent('PRO');
    expect(pro).toHaveTextContent('Recommended');
    expect(pro).toHaveTextContent('$29.00 / month');
    expect(enterprise).toHaveTextContent('$499.00 / month');
    expect(enterprise).not.toHaveTextContent('Recommended');

    await user.click(within(pro!).getByRole('button', { name: 'Choose PRO' }));
    expect(await screen.findByRole('button', { name: 'Export CSV' })).toBeInTheDocument();
    expect(account.upgrades).toEqual(['pro']);
    expect(screen.queryByRole('region')).not.toBeInTheDocument();
  });

  it('renders a usage meter as a progressbar, warns past the soft limit and says unlimited', async () => {
    const account = await newAccount();
    await t.admin.request(`mutation ($id: ID!) { setUsage(input: { accountId: $id, feature: "api_calls", value: 40, reason: "test" }) { used } }`, { id: account.accountId });
    let refresh: () => Promise<void> = async () => {};
    function Meter() {
      return <UsageMeter feature="api_calls" />;
    }
    const { container } = render(
      <TollgateProvider accountId={account.accountId} url={t.graphqlUrl} token={account.token} onUpgrade={account.onUpgrade}>
        <Meter />
        <Grab onReady={(fn) => (refresh = fn)} />
      </TollgateProvider>,
    );
    const meter = await screen.findByRole('progressbar', { name: 'API calls' });
    expect(meter).toHaveAttribute('aria-valuenow', '40');
    expect(meter).toHaveAttribute('aria-valuemax', '100');
    expect(meter).toHaveAttribute('aria-valuetext', '40 of 100 calls used');
    expect(container.querySelector('.tollgate-meter--warning')).toBeNull();

    await t.admin.request(`mutation ($id: ID!) { setUsage(input: { accountId: $id, feature: "api_calls", value: 60, reason: "test" }) { used } }`, { id: account.accountId });
    await act(() => refresh());
    await waitFor(() => expect(screen.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '60'));
    expect(container.querySelector('.tollgate-meter--warning')).not.toBeNull();

    await account.onUpgrade({ key: 'enterprise' });
    await act(() => refresh());
    expect(await screen.findByText('60 calls used · unlimited')).toBeInTheDocument();
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
  });

  it('opens an accessible upgrade prompt: labelled, focus inside and trapped, Escape closes, focus returns', async () => {
    const account = await newAccount();
    const user = userEvent.setup();
    render(
      <TollgateProvider accountId={account.accountId} url={t.graphqlUrl} token={account.token} onUpgrade={account.onUpgrade}>
        <button type="button" onClick={() => openPaywall('export_csv')}>Open</button>
      </TollgateProvider>,
    );
    const opener = screen.getByRole('button', { name: 'Open' });
    await user.click(opener);
    const dialog = await screen.findByRole('dialog', { name: 'Upgrade your plan' });
    expect(dialog).toHaveAttribute('aria-modal', 'true');
    await waitFor(() => expect(within(dialog).getAllByRole('button', { name: /Choose/ })).toHaveLength(2));
    expect(dialog.contains(document.activeElement)).toBe(true);

    for (let i = 0; i < 6; i += 1) {
      await user.tab();
      expect(dialog.contains(document.activeElement)).toBe(true);
    }
    await user.tab({ shift: true });
    expect(dialog.contains(document.activeElement)).toBe(true);

    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(opener).toHaveFocus();

    await user.click(opener);
    await user.click(await screen.findByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('turns a refusal of the host product\'s own operation into the prompt (createPaywallLink), and useConsume refreshes hooks', async () => {
    const account = await newAccount();
    const user = userEvent.setup();
    const hostClient = new ApolloClient({
      link: ApolloLink.from([createPaywallLink(), new HttpLink({ uri: notes.graphqlUrl, headers: { 'x-account-id': account.accountId } })]),
      cache: new InMemoryCache(),
    });
    const createNote = () =>
      hostClient.mutate({ mutation: gql`mutation { createNote(title: "note") { id } }` });

    function Notes() {
      const { consume } = useConsume('notes', createNote);
      const [last, setLast] = useState('');
      return (
        <>
          <UsageMeter feature="notes" />
          <button type="button" onClick={async () => setLast(JSON.stringify(await consume()))}>Add note</button>
          <p data-testid="last">{last}</p>
        </>
      );
    }
    render(
      <TollgateProvider accountId={account.accountId} url={t.graphqlUrl} token={account.token} onUpgrade={account.onUpgrade}>
        <Notes />
      </TollgateProvider>,
    );
    const add = await screen.findByRole('button', { name: 'Add note' });
    await user.click(add);
    await waitFor(() => expect(screen.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '1'));
    await user.click(add);
    await waitFor(() => expect(screen.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '2'));
    await user.click(add);
    const dialog = await screen.findByRole('dialog');
    expect(screen.getByTestId('last').textContent).toBe('{"ok":false,"refused":true}');
    await waitFor(() => expect(within(dialog).getAllByRole('listitem').length).toBeGreaterThan(0));
    expect(within(dialog).getByRole('heading')).toHaveTextContent('Upgrade for more notes');
    expect(within(dialog).getByText('You are using all 2 notes your plan includes.')).toBeInTheDocument();
    expect(within(dialog).getAllByRole('listitem')[0]).toHaveTextContent('Up to 100 notes');

    await user.click(within(dialog).getByRole('button', { name: 'Choose PRO' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    await waitFor(() => expect(screen.getByRole('progressbar')).toHaveAttribute('aria-valuemax', '100'));
    await user.click(add);
    await waitFor(() => expect(screen.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '3'));
  });
});

/** Hands the provider's refresh to the test. */
function Grab({ onReady }: { onReady: (refresh: () => Promise<void>) => void }) {
  onReady(useTollgate().refresh);
  return null;
}
