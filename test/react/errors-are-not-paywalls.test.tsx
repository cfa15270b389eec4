// @vitest-environment jsdom
import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { createHmac } from 'node:crypto';
import type { ReactNode } from 'react';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { Feature, Paywall, TollgateProvider, tollgateErrorCode, useEntitlement, UsageMeter } from '../../client-sdk/dist/react/index.js';
import { freshDatabase, type FreshDatabase } from '../support/database.js';
import { createAccount, createFeature, createPublishedPlan } from '../support/fixtures.js';
import { GraphQLTestClient } from '../support/graphql-client.js';
import { spawnServer, type ServerProcess } from '../support/process.js';
import { TEST_ADMIN_KEY } from '../support/server.js';

/**
 * An error is never a paywall: with Tollgate stopped, a token of another account, an expired
 * token or a mistyped key, the hooks say `status: 'error'` with the error and leave `allowed`
 * undefined; gates render their errorFallback (nothing by default) and log one warning naming
 * the cause and the fix. Every case against a real Tollgate process.
 */
const SECRET = 'errors-are-not-paywalls-secret-0123456789';
let database: FreshDatabase;
let tollgate: ServerProcess;
let admin: GraphQLTestClient;
let warn: MockInstance<typeof console.warn>;
let accountSequence = 0;

beforeAll(async () => {
  database = await freshDatabase();
  tollgate = await spawnServer({ DATABASE_URL: database.url, TOLLGATE_ADMIN_KEY: TEST_ADMIN_KEY, TOLLGATE_DEMO_DATA: 'off', TOLLGATE_TOKEN_SECRET: SECRET });
  admin = new GraphQLTestClient(tollgate.graphqlUrl, TEST_ADMIN_KEY);
  await createFeature(admin, { key: 'export_csv', name: 'CSV export', kind: 'SWITCH' });
  await createFeature(admin, { key: 'notes', name: 'Notes', kind: 'QUANTITY', unit: 'notes' });
  await createPublishedPlan(admin, { key: 'free', rank: 0, isDefault: true }, [{ feature: 'notes', limit: 2 }]);
  await createPublishedPlan(admin, { key: 'pro', rank: 10, price: 2900 }, [{ feature: 'notes', limit: 100 }, { feature: 'export_csv' }]);
});
beforeEach(() => {
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterEach(() => {
  cleanup();
  warn.mockRestore();
});
afterAll(async () => {
  await tollgate?.stop();
  await database?.drop();
});

async function newAccount(): Promise<string> {
  const accountId = `err-${++accountSequence}`;
  await createAccount(admin, accountId);
  return accountId;
}

async function mintToken(accountId: string): Promise<string> {
  const { createClientToken } = await admin.request(`mutation ($id: ID!) { createClientToken(accountId: $id) { token } }`, { id: accountId });
  return createClientToken.token;
}

/** A token for `accountId` signed (HS256) with the server's secret, expired a minute ago. */
function expiredToken(accountId: string): string {
  const now = Math.floor(Date.now() / 1000);
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: accountId, iss: 'tollgate', aud: 'tollgate:client', iat: now - 120, exp: now - 60 })}`;
  return `${unsigned}.${createHmac('sha256', SECRET).update(unsigned).digest('base64url')}`;
}

/** What docs/react-sdk.md's ExportButton sees, laid bare. */
function Decision({ feature }: { feature: string }) {
  const { status, allowed, error } = useEntitlement(feature);
  return <p data-testid={`decision-${feature}`}>{`${status} allowed=${String(allowed)} code=${tollgateErrorCode(error) ?? '-'}`}</p>;
}

/** A page of gates: three without an errorFallback, one with. */
function Gates({ feature }: { feature: string }) {
  return (
    <>
      <Decision feature={feature} />
      <Feature name={feature}>
        <button type="button">Gated content</button>
      </Feature>
      <Feature name={feature} errorFallback={(error) => <p role="alert">{`Unavailable: ${tollgateErrorCode(error) ?? 'no answer'}`}</p>}>
        <button type="button">Gated content</button>
      </Feature>
      <Paywall feature={feature} />
    </>
  );
}

function renderWith(props: { accountId: string; url: string; token: string | (() => Promise<string>) }, children: ReactNode) {
  return render(
    <TollgateProvider accountId={props.accountId} url={props.url} token={props.token}>
      {children}
    </TollgateProvider>,
  );
}

/** The page shows no paywall, no gated content and no "no plan unlocks this". */
function expectNoPaywall() {
  expect(screen.queryByRole('region')).not.toBeInTheDocument();
  expect(screen.queryByRole('button', { name: 'Gated content' })).not.toBeInTheDocument();
  expect(screen.queryByText(/Upgrade|No plan unlocks/)).not.toBeInTheDocument();
}

describe('an error is never a paywall', () => {
  it('says status error, allowed undefined, and warns once when Tollgate is stopped', async () => {
    const accountId = await newAccount();
    const stopped = await spawnServer({ DATABASE_URL: database.url, TOLLGATE_ADMIN_KEY: TEST_ADMIN_KEY, TOLLGATE_DEMO_DATA: 'off', TOLLGATE_TOKEN_SECRET: SECRET });
    await stopped.stop();
    renderWith({ accountId, url: stopped.graphqlUrl, token: await mintToken(accountId) }, <Gates feature="export_csv" />);

    expect(await screen.findByRole('alert')).toHaveTextContent('Unavailable: no answer');
    expect(screen.getByTestId('decision-export_csv').textContent).toBe('error allowed=undefined code=-');
    expectNoPaywall();
    await waitFor(() => expect(warn).toHaveBeenCalled());
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toBe(
      `Tollgate: the gate for "export_csv" shows nothing because Tollgate could not be reached (fetch failed). ` +
        `Check that Tollgate is running and that TollgateProvider's url (or your proxy) points at it. Pass errorFallback to <Feature> or <Paywall> to show something instead.`,
    );
  });

  it('shows a usage meter\'s errorFallback, not an empty or zero meter, when Tollgate is stopped', async () => {
    const accountId = await newAccount();
    const stopped = await spawnServer({ DATABASE_URL: database.url, TOLLGATE_ADMIN_KEY: TEST_ADMIN_KEY, TOLLGATE_DEMO_DATA: 'off', TOLLGATE_TOKEN_SECRET: SECRET });
    await stopped.stop();
    renderWith(
      { accountId, url: stopped.graphqlUrl, token: await mintToken(accountId) },
      <UsageMeter feature="notes" errorFallback={<p role="status">Usage unavailable</p>} />,
    );

    expect(await screen.findByRole('status')).toHaveTextContent('Usage unavailable');
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
    expect(warn).not.toHaveBeenCalled();
  });

  it('says FORBIDDEN for a token of another account, and warns once with the fix', async () => {
    const accountId = await newAccount();
    const other = await newAccount();
    renderWith({ accountId, url: tollgate.graphqlUrl, token: await mintToken(other) }, <Gates feature="export_csv" />);

    expect(await screen.findByRole('alert')).toHaveTextContent('Unavailable: FORBIDDEN');
    expect(screen.getByTestId('decision-export_csv').textContent).toBe('error allowed=undefined code=FORBIDDEN');
    expectNoPaywall();
    await waitFor(() => expect(warn).toHaveBeenCalled());
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toBe(
      `Tollgate: the gate for "export_csv" shows nothing because the client token may not read account "${accountId}" (it was minted for another account). ` +
        `Mint the token for the account TollgateProvider's accountId names. Pass errorFallback to <Feature> or <Paywall> to show something instead.`,
    );
  });

  it('surfaces the 401 of an expired token as a GraphQL error with code UNAUTHENTICATED, and warns once', async () => {
    const accountId = await newAccount();
    let seen: unknown;
    function Capture() {
      seen = useEntitlement('notes').error;
      return null;
    }
    renderWith({ accountId, url: tollgate.graphqlUrl, token: expiredToken(accountId) }, <><Capture /><Gates feature="export_csv" /></>);

    expect(await screen.findByRole('alert')).toHaveTextContent('Unavailable: UNAUTHENTICATED');
    expect(screen.getByTestId('decision-export_csv').textContent).toBe('error allowed=undefined code=UNAUTHENTICATED');
    expect(CombinedGraphQLErrors.is(seen)).toBe(true);
    expect((seen as CombinedGraphQLErrors).errors[0]!.extensions).toEqual({ code: 'UNAUTHENTICATED', problem: 'expired' });
    expectNoPaywall();
    await waitFor(() => expect(warn).toHaveBeenCalled());
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toBe(
      `Tollgate: the gate for "export_csv" shows nothing because the client token has expired. ` +
        `Give TollgateProvider a token function (token={() => …}) that asks your backend for a fresh token; it is called again before each token expires. ` +
        `Pass errorFallback to <Feature> or <Paywall> to show something instead.`,
    );
  });

  it('reads UNAUTHENTICATED from a 401 sent as plain JSON to an Apollo Client of the app that accepts only application/json', async () => {
    const accountId = await newAccount();
    const client = new ApolloClient({
      link: new HttpLink({ uri: tollgate.graphqlUrl, headers: { accept: 'application/json', authorization: `Bearer ${expiredToken(accountId)}` } }),
      cache: new InMemoryCache(),
    });
    let seen: unknown;
    function Capture() {
      seen = useEntitlement('export_csv').error;
      return null;
    }
    render(
      <TollgateProvider accountId={accountId} client={client}>
        <Capture />
        <Decision feature="export_csv" />
      </TollgateProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('decision-export_csv').textContent).toBe('error allowed=undefined code=UNAUTHENTICATED'));
    expect(ServerError.is(seen) && seen.statusCode).toBe(401);
  });

  it('says UNKNOWN_FEATURE for a mistyped key, warns once in development with the key, and leaves the other gates working', async () => {
    const accountId = await newAccount();
    const token = await mintToken(accountId);
    renderWith(
      { accountId, url: tollgate.graphqlUrl, token },
      <>
        <Gates feature="export_cvs" />
        <Decision feature="notes" />
      </>,
    );

    expect(await screen.findByRole('alert')).toHaveTextContent('Unavailable: UNKNOWN_FEATURE');
    expect(screen.getByTestId('decision-export_cvs').textContent).toBe('error allowed=undefined code=UNKNOWN_FEATURE');
    await waitFor(() => expect(screen.getByTestId('decision-notes').textContent).toBe('allowed allowed=true code=-'));
    expectNoPaywall();
    await waitFor(() => expect(warn).toHaveBeenCalled());
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toBe(
      `Tollgate: no decision for "export_cvs" because Tollgate's catalog has no feature "export_cvs". ` +
        `Check the key's spelling, or create the feature with createFeature.`,
    );
  });

  it('still warns about a mistyped key in development when the gate has an errorFallback', async () => {
    const accountId = await newAccount();
    renderWith(
      { accountId, url: tollgate.graphqlUrl, token: await mintToken(accountId) },
      <Feature name="nots" errorFallback={<p role="alert">Notes are unavailable</p>}>
        <button type="button">Gated content</button>
      </Feature>,
    );
    expect(await screen.findByRole('alert')).toHaveTextContent('Notes are unavailable');
    await waitFor(() => expect(warn).toHaveBeenCalledTimes(1));
    expect(warn.mock.calls[0]![0]).toContain('"nots"');
  });

  it('shows nothing and logs nothing for an error an errorFallback handles, in production', async () => {
    const accountId = await newAccount();
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      const { unmount } = renderWith(
        { accountId, url: tollgate.graphqlUrl, token: await mintToken(accountId) },
        <Feature name="nots" errorFallback={<p role="alert">Notes are unavailable</p>}>
          <button type="button">Gated content</button>
        </Feature>,
      );
      expect(await screen.findByRole('alert')).toHaveTextContent('Notes are unavailable');
      // Unmounting runs the effects of every earlier commit first: all of them saw production.
      unmount();
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
    expect(warn).not.toHaveBeenCalled();
  });
});
