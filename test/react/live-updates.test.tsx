// @vitest-environment jsdom
import { gql, type ApolloClient, type TypedDocumentNode } from '@apollo/client';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { useEffect, useLayoutEffect } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  Feature,
  TollgateProvider,
  UsageMeter,
  useCurrentPlan,
  useEntitlement,
  useTollgate,
  type LiveMode,
  type TollgateProviderProps,
} from '../../client-sdk/dist/react/index.js';
import { startGraphQLRequestLog, type GraphQLRequestLog } from './graphql-request-log.js';
import { startTollgateForReact, type ReactAccount, type TollgateForReact } from './tollgate-for-react.js';
import { budget } from '../support/time-budget.js';

/**
 * The provider's live updates against a real Tollgate process, through a recording proxy that
 * counts the page's POSTs and forwards (or refuses) its WebSocket: in live mode every hook follows
 * a change with no request (and only the queries a push does not carry, such as the current plan,
 * are refetched when a decision changed); without a socket (live={false}, or one that cannot open) the hooks
 * refetch on focus and on an interval, and `useTollgate().live` says which; a short-lived token's
 * socket, closed by Tollgate with 4401 at expiry, is reopened with a fresh token; a longer-lived
 * one is replaced before expiry; an older query answer never takes a hook back from a newer push.
 */
let tollgate: TollgateForReact;
let log: GraphQLRequestLog;
let noWebSockets: GraphQLRequestLog;

beforeAll(async () => {
  tollgate = await startTollgateForReact();
  log = await startGraphQLRequestLog(tollgate.graphqlUrl);
  noWebSockets = await startGraphQLRequestLog(tollgate.graphqlUrl, { webSockets: false });
});
afterEach(cleanup);
afterAll(async () => {
  await log?.close();
  await noWebSockets?.close();
  await tollgate?.stop();
});

/** Every mode the provider reported, in order, and the current one on screen. */
function LiveProbe({ modes }: { modes?: LiveMode[] }) {
  const { live } = useTollgate();
  // A layout effect runs in the commit that writes the mode into the page, so a test that has seen
  // a mode on the page finds it in `modes` too (a passive effect may run after the test looked).
  useLayoutEffect(() => {
    if (modes && modes.at(-1) !== live) modes.push(live);
  }, [live, modes]);
  return <p data-testid="live">{live}</p>;
}

/** The export gate, without a paywall (whose offers would be a query of their own). */
function ExportGate() {
  return (
    <Feature name="export_csv" fallback={<p>Locked</p>}>
      <button type="button">Export CSV</button>
    </Feature>
  );
}

/** What the hooks' shared query holds about each feature, read from the cache. */
const EXPORT_DECISION: TypedDocumentNode<{ entitlements: { feature: string; allowed: boolean; asOf: string }[] }, { accountId: string }> = gql`
  query TollgateEntitlements($accountId: ID!) {
    entitlements(accountId: $accountId) { feature allowed asOf }
  }
`;

function renderProvider(account: ReactAccount, props: Partial<TollgateProviderProps>, children: React.ReactNode) {
  return render(
    <TollgateProvider accountId={account.accountId} url={log.graphqlUrl} token={account.token} {...props}>
      {children}
    </TollgateProvider>,
  );
}

const mode = () => screen.getByTestId('live').textContent;

async function inMode(expected: LiveMode, timeout = budget(5000)) {
  await waitFor(() => expect(mode()).toBe(expected), { timeout });
}

const grantExport = (accountId: string) =>
  tollgate.admin.request(`mutation ($input: GrantOverrideInput!) { grantOverride(input: $input) { id } }`, {
    input: { accountId, feature: 'export_csv', effect: 'GRANT', permanent: true, reason: 'live test', approvedBy: 'QA' },
  });

const setNotes = (accountId: string, value: number) =>
  tollgate.admin.request(`mutation ($id: ID!, $value: Quantity!) { setUsage(input: { accountId: $id, feature: "notes", value: $value, reason: "test" }) { used } }`, {
    id: accountId,
    value,
  });

/** A token function minting tokens of `ttlSeconds`, counting them. */
function shortLivedTokens(account: ReactAccount, ttlSeconds: number) {
  let minted = 0;
  const token = async () => {
    minted += 1;
    const { createClientToken } = await tollgate.admin.request(`mutation ($id: ID!, $ttl: Int!) { createClientToken(accountId: $id, ttlSeconds: $ttl) { token expiresAt } }`, {
      id: account.accountId,
      ttl: ttlSeconds,
    });
    return createClientToken as { token: string; expiresAt: string };
  };
  return { token, minted: () => minted };
}

describe('live mode', () => {
  it('opens one socket and updates every mounted hook from the push, within a second and with no request', async () => {
    const account = await tollgate.newAccount();
    const sockets = log.webSockets();
    renderProvider(account, {}, (
      <>
        <LiveProbe />
        <ExportGate />
        <UsageMeter feature="notes" />
      </>
    ));
    await screen.findByText('Locked');
    await inMode('live');
    expect(log.webSockets() - sockets).toBe(1);
    log.clear();

    const granted = performance.now();
    await grantExport(account.accountId);
    await screen.findByRole('button', { name: 'Export CSV' }, { timeout: 1000 });
    expect(performance.now() - granted).toBeLessThan(1000);

    await setNotes(account.accountId, 2);
    await waitFor(() => expect(screen.getByRole('progressbar', { name: 'Notes' }).getAttribute('aria-valuenow')).toBe('2'), { timeout: 1000 });
    expect(log.requests).toEqual([]);
    expect(log.webSockets() - sockets).toBe(1);
    expect(mode()).toBe('live');
  });

  it('refetches the queries a push does not carry (the current plan) when a push changes a decision, and only those', async () => {
    const account = await tollgate.newAccount();
    function PlanName() {
      const { plan } = useCurrentPlan();
      return <p data-testid="plan">{plan?.name ?? ''}</p>;
    }
    renderProvider(account, {}, (
      <>
        <LiveProbe />
        <PlanName />
        <ExportGate />
      </>
    ));
    await waitFor(() => expect(screen.getByTestId('plan').textContent).toBe('Free'));
    await inMode('live');
    log.clear();
    await account.changePlan('pro');
    await screen.findByRole('button', { name: 'Export CSV' }, { timeout: 1000 });
    await waitFor(() => expect(screen.getByTestId('plan').textContent).toBe('Pro'), { timeout: 1000 });
    expect(log.requests.map((request) => request.operationName)).toEqual(['TollgateCurrentPlan']);
  });

  it('keeps the newer state when a query answer made before a push arrives after it', async () => {
    const account = await tollgate.newAccount();
    const seen: string[] = [];
    function Export() {
      const { status, entitlement } = useEntitlement('export_csv');
      useEffect(() => {
        if (entitlement) seen.push(`${status} ${entitlement.asOf}`);
      }, [status, entitlement]);
      return <p data-testid="export">{status}</p>;
    }
    let tollgateClient!: ApolloClient;
    let refresh: () => Promise<void> = async () => {};
    function Handles() {
      const context = useTollgate();
      tollgateClient = context.client;
      refresh = context.refresh;
      return null;
    }
    renderProvider(account, {}, (
      <>
        <LiveProbe />
        <Export />
        <Handles />
      </>
    ));
    await inMode('live');
    await waitFor(() => expect(screen.getByTestId('export').textContent).toBe('denied'));

    // A refetch reads the account before the grant; its answer is held on the way back.
    const hold = log.holdAnswers();
    try {
      let refreshed!: Promise<void>;
      act(() => {
        refreshed = refresh();
      });
      await hold.answered();
      await grantExport(account.accountId);
      // The push is in the cache (Apollo shows it to a cache-first query once its request is back).
      const cached = () =>
        tollgateClient.readQuery({ query: EXPORT_DECISION, variables: { accountId: account.accountId } })?.entitlements.find((entitlement) => entitlement.feature === 'export_csv');
      await waitFor(() => expect(cached()?.allowed).toBe(true), { timeout: 1000 });
      hold.release();
      await act(() => refreshed);
    } finally {
      hold.release();
    }

    // The older answer arrived last and changed nothing.
    expect(screen.getByTestId('export').textContent).toBe('allowed');
    const statuses = seen.map((entry) => entry.split(' ')[0]);
    expect(statuses.at(-1)).toBe('allowed');
    expect(statuses.slice(statuses.indexOf('allowed'))).not.toContain('denied');
    const stamps = seen.map((entry) => Date.parse(entry.split(' ')[1]!));
    expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
  });
});

describe('fallback mode', () => {
  it('opens no socket with live={false}, says fallback, and refetches when the window regains focus', async () => {
    const account = await tollgate.newAccount();
    const sockets = log.webSockets();
    renderProvider(account, { live: false, refetchIntervalMs: 0 }, (
      <>
        <LiveProbe />
        <ExportGate />
      </>
    ));
    await screen.findByText('Locked');
    expect(mode()).toBe('fallback');
    log.clear();

    await grantExport(account.accountId);
    act(() => {
      fireEvent.focus(window);
    });
    await screen.findByRole('button', { name: 'Export CSV' }, { timeout: 2000 });
    expect(log.requests.map((request) => request.operationName)).toEqual(['TollgateEntitlements']);
    expect(log.webSockets()).toBe(sockets);
  });

  it('falls back when the socket cannot open, and refetches on its interval', async () => {
    const account = await tollgate.newAccount();
    const modes: LiveMode[] = [];
    render(
      <TollgateProvider accountId={account.accountId} url={noWebSockets.graphqlUrl} token={account.token} refetchIntervalMs={200} refetchOnFocus={false}>
        <LiveProbe modes={modes} />
        <ExportGate />
      </TollgateProvider>,
    );
    await screen.findByText('Locked');
    await inMode('fallback');
    expect(modes).toEqual(['connecting', 'fallback']);

    noWebSockets.clear();
    await grantExport(account.accountId);
    await screen.findByRole('button', { name: 'Export CSV' }, { timeout: 2000 });
    expect(noWebSockets.requests.length).toBeGreaterThanOrEqual(1);
    expect(new Set(noWebSockets.requests.map((request) => request.operationName))).toEqual(new Set(['TollgateEntitlements']));
    expect(noWebSockets.webSockets()).toBe(0);
  });

  it('refetches again once a live socket is lost, and is live again when it comes back', async () => {
    const account = await tollgate.newAccount();
    const modes: LiveMode[] = [];
    renderProvider(account, { refetchIntervalMs: 0 }, (
      <>
        <LiveProbe modes={modes} />
        <ExportGate />
      </>
    ));
    await inMode('live');
    log.dropWebSockets();
    await inMode('fallback', 2000);
    // graphql-ws reconnects by itself (the first pause is at most a second); its first push is the current state.
    await grantExport(account.accountId);
    await inMode('live', 5000);
    await screen.findByRole('button', { name: 'Export CSV' }, { timeout: 1000 });
    expect(modes).toEqual(['connecting', 'live', 'fallback', 'live']);
  });
});

describe('a socket whose server vanished without closing', () => {
  it('treats a missing pong as a lost connection: falls back and refetches at once, then is live again', async () => {
    const account = await tollgate.newAccount();
    const modes: LiveMode[] = [];
    const keepAliveMs = 1000;
    renderProvider(account, { refetchIntervalMs: 100, liveKeepAliveMs: keepAliveMs }, (
      <>
        <LiveProbe modes={modes} />
        <ExportGate />
      </>
    ));
    await inMode('live');
    await screen.findByText('Locked');
    log.clear();
    log.freezeWebSockets();
    const frozen = performance.now();
    await inMode('fallback', 5000);
    // A ping at most keepAliveMs after the last pong, and half as long for its pong.
    expect(performance.now() - frozen).toBeLessThan(keepAliveMs * 1.5 + 1000);
    // Meanwhile the hooks refetch (every 100 ms here), until the new socket's first push.
    await grantExport(account.accountId);
    await screen.findByRole('button', { name: 'Export CSV' }, { timeout: 5000 });
    await inMode('live', 5000);
    expect(log.requests.some((request) => request.operationName === 'TollgateEntitlements')).toBe(true);
    expect(modes).toEqual(['connecting', 'live', 'fallback', 'live']);
    // The frozen socket stays half-closed in the proxy (its close handshake cannot pass): gone with the test.
    cleanup();
    log.dropWebSockets();
  });
});

describe('the client token of the socket', () => {
  it('opens a new socket with a fresh token when Tollgate closes the old one with 4401 at expiry, and keeps updating the hooks', async () => {
    const account = await tollgate.newAccount();
    const tokens = shortLivedTokens(account, 2);
    const sockets = log.webSockets();
    const modes: LiveMode[] = [];
    renderProvider(account, { token: tokens.token, refetchIntervalMs: 0, refetchOnFocus: false }, (
      <>
        <LiveProbe modes={modes} />
        <ExportGate />
        <UsageMeter feature="notes" />
      </>
    ));
    await inMode('live');
    const mintedWhenLive = tokens.minted();

    // The 2-second token expires: Tollgate closes the socket (4401), graphql-ws does not retry
    // that by itself, and the provider mints a token and opens another socket.
    await waitFor(() => expect(log.webSockets() - sockets).toBeGreaterThanOrEqual(2), { timeout: budget(6000), interval: 20 });
    expect(modes).toContain('fallback');
    await inMode('live', 3000);
    expect(tokens.minted()).toBeGreaterThan(mintedWhenLive);

    log.clear();
    await grantExport(account.accountId);
    await screen.findByRole('button', { name: 'Export CSV' }, { timeout: 2000 });
    await setNotes(account.accountId, 1);
    await waitFor(() => expect(screen.getByRole('progressbar', { name: 'Notes' }).getAttribute('aria-valuenow')).toBe('1'), { timeout: 2000 });
    expect(log.requests).toEqual([]);
  }, 20_000);

  it('replaces the socket of a longer-lived token before it expires, the new one open before the old one closes', async () => {
    const account = await tollgate.newAccount();
    // 62 s: replaced at 60 s before expiry, so about 2 s after it opened.
    const tokens = shortLivedTokens(account, 62);
    const sockets = log.webSockets();
    const modes: LiveMode[] = [];
    renderProvider(account, { token: tokens.token, refetchIntervalMs: 0, refetchOnFocus: false }, (
      <>
        <LiveProbe modes={modes} />
        <ExportGate />
      </>
    ));
    await inMode('live');
    await waitFor(() => expect(log.webSockets() - sockets).toBe(2), { timeout: budget(6000), interval: 20 });
    await waitFor(() => expect(log.openWebSockets()).toBe(1), { timeout: budget(2000) });
    expect(modes).toEqual(['connecting', 'live']);

    await grantExport(account.accountId);
    await screen.findByRole('button', { name: 'Export CSV' }, { timeout: 1000 });
  }, 20_000);
});
