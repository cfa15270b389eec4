// @vitest-environment jsdom
import { act, cleanup, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { isValidElement, type ReactElement, type ReactNode } from 'react';
import { hydrateRoot, type Root } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EntitlementsPrefetchError, prefetchEntitlements } from '../../client-sdk/dist/index.js';
import { Feature, TollgateProvider, UsageMeter, useTollgate, type TollgateProviderProps } from '../../client-sdk/dist/react/index.js';
import { freshDatabase, type FreshDatabase } from '../support/database.js';
import { changePlan, createAccount, createFeature, createPublishedPlan } from '../support/fixtures.js';
import { GraphQLTestClient } from '../support/graphql-client.js';
import { spawnServer, type ServerProcess } from '../support/process.js';
import { TEST_ADMIN_KEY } from '../support/server.js';
import { startGraphQLRequestLog, type GraphQLRequestLog } from './graphql-request-log.js';

/**
 * Server rendering as the Next.js app router does it, with the recipe of next-app-recipe/: the
 * layout (a server component) prefetches on the server, `renderToString` makes the first HTML,
 * and the browser hydrates it. The browser's requests go through a recording proxy in front of
 * a real Tollgate process, so "no request before hydration" is counted, not assumed.
 */
let database: FreshDatabase;
let tollgate: ServerProcess;
let browserLog: GraphQLRequestLog;
let admin: GraphQLTestClient;
let recipe: {
  AccountLayout: (props: { children: ReactNode }) => Promise<ReactElement<TollgateProviderProps>>;
  signIn: (accountId: string) => void;
};
const roots: Root[] = [];
let accountSequence = 0;

beforeAll(async () => {
  database = await freshDatabase();
  tollgate = await spawnServer({ DATABASE_URL: database.url, TOLLGATE_ADMIN_KEY: TEST_ADMIN_KEY, TOLLGATE_DEMO_DATA: 'off' });
  browserLog = await startGraphQLRequestLog(tollgate.graphqlUrl);
  admin = new GraphQLTestClient(tollgate.graphqlUrl, TEST_ADMIN_KEY);
  await createFeature(admin, { key: 'notes', name: 'Notes', kind: 'QUANTITY', unit: 'notes' });
  await createFeature(admin, { key: 'export_csv', name: 'CSV export', kind: 'SWITCH' });
  await createPublishedPlan(admin, { key: 'free', rank: 0, isDefault: true }, [{ feature: 'notes', limit: 2 }]);
  await createPublishedPlan(admin, { key: 'pro', rank: 10, price: 2900 }, [{ feature: 'notes', limit: 100 }, { feature: 'export_csv' }]);
  const { createApiKey } = await admin.request(`mutation { createApiKey(input: { name: "next app", role: SERVER }) { secret } }`);
  // The recipe's environment: the server reaches Tollgate directly, the browser through the proxy.
  process.env.TOLLGATE_URL = tollgate.graphqlUrl;
  process.env.TOLLGATE_SERVER_KEY = createApiKey.secret;
  process.env.TOLLGATE_BROWSER_URL = browserLog.graphqlUrl;
  const [layout, session] = await Promise.all([import('./next-app-recipe/layout.js'), import('./next-app-recipe/session.js')]);
  recipe = { AccountLayout: layout.default as typeof recipe.AccountLayout, signIn: session.signIn };
});
afterEach(() => {
  for (const root of roots.splice(0)) act(() => root.unmount());
  cleanup();
  document.body.innerHTML = '';
});
afterAll(async () => {
  await browserLog?.close();
  await tollgate?.stop();
  await database?.drop();
});

async function newAccount(plan: 'free' | 'pro'): Promise<string> {
  const accountId = `ssr-${++accountSequence}`;
  await createAccount(admin, accountId);
  if (plan === 'pro') await changePlan(admin, { accountId, plan });
  return accountId;
}

function Page() {
  const { refresh } = useTollgate();
  return (
    <main>
      <Feature name="export_csv">
        <button type="button">Export CSV</button>
      </Feature>
      <UsageMeter feature="notes" />
      <button type="button" onClick={() => void refresh()}>Refresh</button>
    </main>
  );
}

/**
 * What the browser gets from the server component: its props as they cross to the client (JSON
 * for data, the server action as a function), and the HTML rendered from them.
 */
async function serverRender(accountId: string) {
  recipe.signIn(accountId);
  const layout = await recipe.AccountLayout({ children: <Page /> });
  expect(isValidElement(layout)).toBe(true);
  const html = renderToString(layout);
  const { token, children: _children, ...data } = layout.props;
  const props = { ...(JSON.parse(JSON.stringify(data)) as Omit<TollgateProviderProps, 'token' | 'children'>), token };
  return { html, browserTree: <TollgateProvider {...props}><Page /></TollgateProvider> };
}

/** Puts the server's HTML in the document and hydrates it; resolves with hydration's errors. */
async function hydrate(html: string, tree: ReactElement) {
  const container = document.createElement('div');
  container.innerHTML = html;
  document.body.append(container);
  const errors: unknown[] = [];
  await act(async () => {
    roots.push(hydrateRoot(container, tree, { onRecoverableError: (error) => errors.push(error) }));
  });
  return { container, errors };
}

describe('server rendering', () => {
  it('puts the gated content in the first HTML and hydrates it without a request', async () => {
    const accountId = await newAccount('pro');
    const { html, browserTree } = await serverRender(accountId);
    expect(html).toContain('>Export CSV</button>');
    expect(html).toContain('aria-valuetext="0 of 100 notes used"');

    browserLog.clear();
    const { container, errors } = await hydrate(html, browserTree);
    const button = within(container).getByRole('button', { name: 'Export CSV' });
    expect(errors).toEqual([]);
    expect(browserLog.requests).toEqual([]);

    // The first request the page makes is the one a person asks for, with the server's token.
    await userEvent.setup().click(within(container).getByRole('button', { name: 'Refresh' }));
    await waitFor(() => expect(browserLog.requests.map((request) => request.operationName)).toEqual(['TollgateEntitlements']));
    expect(within(container).getByRole('button', { name: 'Export CSV' })).toBe(button);
    expect(within(container).getByRole('progressbar', { name: 'Notes' })).toHaveAttribute('aria-valuemax', '100');
  });

  it('puts a paywall\'s words in the first HTML and loads only its offers after hydration', async () => {
    const accountId = await newAccount('free');
    const { html, browserTree } = await serverRender(accountId);
    expect(html).toContain('Upgrade to use CSV export');
    expect(html).toContain('Your current plan does not include CSV export.');
    expect(html).not.toContain('Export CSV</button>');

    browserLog.clear();
    const { container, errors } = await hydrate(html, browserTree);
    expect(errors).toEqual([]);
    await within(container).findByRole('button', { name: 'Choose PRO' });
    expect(browserLog.requests.map((request) => request.operationName)).toEqual(['TollgateUpgradeOffers']);
  });

  it('refreshes a token the server rendered with through the token function (a server action) when it is about to expire', async () => {
    const accountId = await newAccount('pro');
    // 30 seconds: inside the minute before expiry in which the provider asks for the next one.
    const { createClientToken: initialToken } = await admin.request(`mutation ($id: ID!) { createClientToken(accountId: $id, ttlSeconds: 30) { token expiresAt } }`, {
      id: accountId,
    });
    const snapshot = await prefetchEntitlements({ url: tollgate.graphqlUrl, accountId, token: initialToken.token });
    let actionCalls = 0;
    const getClientToken = async () => {
      actionCalls += 1;
      const { createClientToken } = await admin.request(`mutation ($id: ID!) { createClientToken(accountId: $id) { token expiresAt } }`, { id: accountId });
      return createClientToken as { token: string; expiresAt: string };
    };
    const tree = (
      <TollgateProvider accountId={accountId} url={browserLog.graphqlUrl} token={getClientToken} initialToken={initialToken.token} initialEntitlements={snapshot}>
        <Page />
      </TollgateProvider>
    );
    const html = renderToString(tree);
    browserLog.clear();
    const { container } = await hydrate(html, tree);
    expect(actionCalls).toBe(0);
    await userEvent.setup().click(within(container).getByRole('button', { name: 'Refresh' }));
    await waitFor(() => expect(browserLog.requests).toHaveLength(1));
    expect(actionCalls).toBe(1);
    expect(within(container).getByRole('button', { name: 'Export CSV' })).toBeInTheDocument();
  });

  it('says why when the prefetch is refused, so the page can render without a snapshot', async () => {
    const accountId = await newAccount('free');
    const other = await newAccount('free');
    const { createClientToken } = await admin.request(`mutation ($id: ID!) { createClientToken(accountId: $id) { token } }`, { id: other });
    const refused = await prefetchEntitlements({ url: tollgate.graphqlUrl, accountId, token: createClientToken.token }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(EntitlementsPrefetchError);
    expect(refused).toMatchObject({ code: 'FORBIDDEN', message: 'Forbidden: a client token may only read the account it was minted for.' });
  });
});
