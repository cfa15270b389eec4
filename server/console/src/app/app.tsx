import { useApolloClient } from '@apollo/client/react';
import { lazy, Suspense } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { AccountsPage } from '../accounts/accounts-page.js';
import { postAuth } from '../auth/auth-routes.js';
import { SetPasswordPage } from '../auth/set-password-page.js';
import { SignInPage } from '../auth/sign-in-page.js';
import { SignedIn } from '../auth/signed-in.js';
import { beginSignOut } from '../auth/signing-out.js';
import { Skeleton } from '../ui/index.js';
import { NotFoundPage } from './not-found-page.js';
import { Shell } from './shell.js';

const AccountPage = lazy(() => import('../accounts/account/account-page.js').then((module) => ({ default: module.AccountPage })));
const ApprovalsPage = lazy(() => import('../approvals/approvals-page.js'));
const CatalogPage = lazy(() => import('../catalog/catalog-page.js'));
const VersionPage = lazy(() => import('../catalog/version-page.js'));
const MigrationsPage = lazy(() => import('../migrations/migrations-page.js'));
const NewMigrationPage = lazy(() => import('../migrations/new-migration-page.js'));
const MigrationPage = lazy(() => import('../migrations/migration-page.js'));
const ShadowPage = lazy(() => import('../shadow/shadow-page.js'));
const BillingPage = lazy(() => import('../billing/billing-page.js'));
const AuditPage = lazy(() => import('../audit/audit-page.js'));
const SettingsPage = lazy(() => import('../settings/settings-page.js'));

/** Signs out everywhere this session is used, forgets what was cached, and shows sign-in. */
function useSignOut(): () => void {
  const client = useApolloClient();
  return () => {
    beginSignOut();
    void postAuth('/auth/logout').finally(async () => {
      await client.clearStore();
      location.assign('/console/sign-in?signedOut=1');
    });
  };
}

function SignedInShell() {
  const signOut = useSignOut();
  return (
    <SignedIn>
      <Shell signOut={signOut} />
    </SignedIn>
  );
}

/** The console's pages, under /console. Every view's state is in its path and query string. */
export function App() {
  return (
    <BrowserRouter basename="/console">
      <Routes>
        <Route path="sign-in" element={<SignInPage />} />
        <Route path="invite/:token" element={<SetPasswordPage purpose="invite" />} />
        <Route path="reset/:token" element={<SetPasswordPage purpose="reset" />} />
        <Route element={<SignedInShell />}>
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
          <Route
            path="approvals"
            element={
              <Suspense fallback={<Skeleton lines={4} label="Loading approvals" />}>
                <ApprovalsPage />
              </Suspense>
            }
          />
          <Route
            path="catalog"
            element={
              <Suspense fallback={<Skeleton lines={4} label="Loading the catalog" />}>
                <CatalogPage />
              </Suspense>
            }
          />
          <Route
            path="catalog/:plan/:version"
            element={
              <Suspense fallback={<Skeleton lines={4} label="Loading the version" />}>
                <VersionPage />
              </Suspense>
            }
          />
          <Route
            path="migrations"
            element={
              <Suspense fallback={<Skeleton lines={4} label="Loading migrations" />}>
                <MigrationsPage />
              </Suspense>
            }
          />
          <Route
            path="migrations/new"
            element={
              <Suspense fallback={<Skeleton lines={4} label="Loading the migration form" />}>
                <NewMigrationPage />
              </Suspense>
            }
          />
          <Route
            path="migrations/:migrationId"
            element={
              <Suspense fallback={<Skeleton lines={4} label="Loading the migration" />}>
                <MigrationPage />
              </Suspense>
            }
          />
          <Route
            path="shadow"
            element={
              <Suspense fallback={<Skeleton lines={4} label="Loading the shadow report" />}>
                <ShadowPage />
              </Suspense>
            }
          />
          <Route
            path="billing"
            element={
              <Suspense fallback={<Skeleton lines={4} label="Loading billing" />}>
                <BillingPage />
              </Suspense>
            }
          />
          <Route
            path="audit"
            element={
              <Suspense fallback={<Skeleton lines={4} label="Loading the audit log" />}>
                <AuditPage />
              </Suspense>
            }
          />
          <Route
            path="settings"
            element={
              <Suspense fallback={<Skeleton lines={4} label="Loading settings" />}>
                <SettingsPage />
              </Suspense>
            }
          />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </BrowserRouter>
  );
}
