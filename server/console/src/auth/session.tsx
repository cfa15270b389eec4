import { createContext, useContext, type ReactNode } from 'react';
import type { ConsoleMeQuery, Permission } from '../generated/graphql.js';

/** The person signed in, what their role may do, and the override policy their grants are held to. */
export type Session = ConsoleMeQuery['me'];

const SessionContext = createContext<Session | null>(null);

/** Provides the signed-in session to every page below it. */
export function SessionProvider({ session, children }: { session: Session; children: ReactNode }) {
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

/** The signed-in session (only inside a signed-in page). */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession is used outside a signed-in page.');
  return session;
}

/**
 * Whether the signed-in operator's role may do `permission` (the server's own list, `me.permissions`):
 * controls it may not use are not drawn. The server refuses them anyway.
 */
export function useMay(permission: Permission): boolean {
  return useSession().permissions.includes(permission);
}
