import { useQuery } from '@apollo/client/react';
import { Navigate, useLocation } from 'react-router';
import { ConsoleMeDocument } from '../generated/graphql.js';
import { ErrorNote, Skeleton, serverProblems } from '../ui/index.js';
import { SessionProvider } from './session.js';
import { SessionWatch } from './session-watch.js';
import type { ReactNode } from 'react';

/**
 * The gate in front of every console page: asks `me` (who the session cookie belongs to), sends a
 * visitor without a session to sign-in with the page they wanted in `?next=`, and provides the
 * session below. Nothing is drawn before the answer, so no control flashes for a role that lacks it.
 */
export function SignedIn({ children }: { children: ReactNode }) {
  const location = useLocation();
  const me = useQuery(ConsoleMeDocument, { fetchPolicy: 'network-only' });
  if (me.data) {
    return (
      <SessionProvider session={me.data.me}>
        <SessionWatch />
        {children}
      </SessionProvider>
    );
  }
  if (me.error) {
    const codes = serverProblems(me.error).map((problem) => problem.code);
    if (codes.includes('UNAUTHENTICATED') || codes.includes('FORBIDDEN')) {
      const next = `${location.pathname}${location.search}`;
      return <Navigate to={`/sign-in?next=${encodeURIComponent(next)}`} replace />;
    }
    return (
      <main className="auth-page" id="main">
        <ErrorNote error={me.error} title="The console could not reach Tollgate" />
      </main>
    );
  }
  return (
    <main className="auth-page" id="main" aria-busy="true">
      <Skeleton lines={3} label="Signing in" />
    </main>
  );
}
