import { prefetchEntitlements } from '@tollgate/sdk';
import { TollgateProvider } from '@tollgate/sdk/react';
import type { ReactNode } from 'react';
import { getClientToken } from './actions.js';
import { getSession } from './session.js';
import { tollgate } from './tollgate.js';

/**
 * The recipe for server rendering with the Next.js app router, as a server component (the
 * layout of the signed-in part of the app): mint a client token and fetch every decision on the
 * server, and hand both to the provider. Gates render in the first HTML; the browser asks
 * Tollgate nothing before hydration, and calls the server action for a new token when this one
 * is about to expire.
 */
export default async function AccountLayout({ children }: { children: ReactNode }) {
  const { accountId } = await getSession();
  const token = await tollgate.createClientToken(accountId);
  // Without a snapshot (Tollgate down) the page still renders; the gates then load in the browser.
  const snapshot = await prefetchEntitlements({ url: process.env.TOLLGATE_URL!, accountId, token: token.token }).catch(() => undefined);
  return (
    <TollgateProvider
      accountId={accountId}
      url={process.env.TOLLGATE_BROWSER_URL ?? '/graphql'}
      token={getClientToken}
      initialToken={token}
      initialEntitlements={snapshot}
    >
      {children}
    </TollgateProvider>
  );
}
