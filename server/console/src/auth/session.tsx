import { createContext, useContext, type ReactNode } from 'react';
import { roleMay, type Capability, type OperatorRole } from './permissions.js';

/** The person signed in to the console. */
export interface SignedInOperator {
  id: string;
  email: string;
  name: string;
  role: OperatorRole;
}

const SessionContext = createContext<SignedInOperator | null>(null);

/** Provides the signed-in operator to every page below it. */
export function SessionProvider({ operator, children }: { operator: SignedInOperator; children: ReactNode }) {
  return <SessionContext.Provider value={operator}>{children}</SessionContext.Provider>;
}

/** The signed-in operator (only inside a signed-in page). */
export function useOperator(): SignedInOperator {
  const operator = useContext(SessionContext);
  if (!operator) throw new Error('useOperator is used outside a signed-in page.');
  return operator;
}

/** Whether the signed-in operator's role may do `capability`: controls it may not use are not drawn. */
export function useMay(capability: Capability): boolean {
  return roleMay(useOperator().role, capability);
}
