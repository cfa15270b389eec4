/** Who is calling, as established from the request's bearer credential. */
export type Principal =
  | { kind: 'admin'; name: string; keyId: string | null }
  | { kind: 'server'; name: string; keyId: string }
  | { kind: 'client'; accountId: string; expiresAt: Date }
  | { kind: 'anonymous'; problem: CredentialProblem };

/** A principal that carries a usable credential: who every resolver acts for (requests without one are refused first). */
export type Caller = Exclude<Principal, { kind: 'anonymous' }>;

/** Why a request carries no usable credential; named in the UNAUTHENTICATED message. */
export type CredentialProblem = 'missing' | 'malformed' | 'unknown' | 'revoked' | 'expired' | 'invalid-token';

/** The name written to the audit log for changes this principal makes. */
export function actorName(principal: Principal): string {
  switch (principal.kind) {
    case 'admin':
    case 'server':
      return principal.name;
    case 'client':
      return `client token of ${principal.accountId}`;
    case 'anonymous':
      return 'anonymous';
  }
}
