import { lazy, Suspense } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { AccountsPage } from '../accounts/accounts-page.js';
import { ApprovalsPage } from '../approvals/approvals-page.js';
import { SessionProvider, type SignedInOperator } from '../auth/session.js';
import { Skeleton } from '../ui/index.js';
import { NotFoundPage } from './not-found-page.js';
import { Shell } from './shell.js';

const AccountPage = lazy(() => import('../accounts/account/account-page.js').then((module) => ({ default: module.AccountPage })));

/** The console's pages, under /console. Every view's state is in its path and query string. */
export function App({ operator }: { operator: SignedInOperator }) {
  return (
    <BrowserRouter basename="/console">
      <SessionProvider operator={operator}>
        <Routes>
          <Route element={<Shell />}>
            <Route index element={<Navigate to="/accounts" replace />} />
            <Route path="accounts" element={<AccountsPage />} />
            <Route
              path="accounts/:accountId/:tab?"
              element={
                <Suspense fallback={<Skeleton lines={4} label="Loading the account" />}>
                  <AccountPage />
                </Suspense>
              }
            />
            <Route path="approvals" element={<ApprovalsPage />} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </SessionProvider>
    </BrowserRouter>
  );
}
