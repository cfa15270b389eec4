import type { ActorKind, OperatorRole } from '../vocabulary/index.js';

/** Who is calling, as established from the request's credential: a bearer key or token, or an operator's session cookie. */
export type Principal =
  | { kind: 'admin'; name: string; keyId: string | null }
  | { kind: 'server'; name: string; keyId: string }
  | { kind: 'client'; accountId: string; expiresAt: Date }
  /** A person signed in to the console; `sessionHash` names the session (only its hash is stored), `expiresAt` is its absolute end. */
  | { kind: 'operator'; operatorId: string; email: string; name: string; role: OperatorRole; sessionHash: string; expiresAt: Date }
  | { kind: 'anonymous'; problem: CredentialProblem };

/** A principal that carries a usable credential: who every resolver acts for (requests without one are refused first). */
export type Caller = Exclude<Principal, { kind: 'anonymous' }>;

/** A signed-in operator. */
export type OperatorPrincipal = Extract<Principal, { kind: 'operator' }>;

/**
 * Why a request carries no usable credential; named in the UNAUTHENTICATED message. `session`:
 * the session cookie names no session in force (signed out, expired, ended by deactivation or a
 * role change).
 */
export type CredentialProblem = 'missing' | 'malformed' | 'unknown' | 'revoked' | 'expired' | 'invalid-token' | 'session';

/** The name written to the audit log (and to createdBy, revokedBy) for changes this principal makes: an operator's email, a key's name. */
export function actorName(principal: Principal): string {
  switch (principal.kind) {
    case 'admin':
    case 'server':
      return principal.name;
    case 'operator':
      return principal.email;
    case 'client':
      return `client token of ${principal.accountId}`;
    case 'anonymous':
      return 'anonymous';
  }
}

/** Who made an audited change: its kind, a stable id (operator id, API key id, migration id) and a readable name. */
export interface AuditActor {
  kind: ActorKind;
  /** The operator's or API key's id, the migration's id; null for the bootstrap admin key and for Stripe, lifecycle and reconciliation. */
  id: string | null;
  /** What the log shows as `actor`: the operator's email, the key's name, `stripe`, `lifecycle`, `reconciliation`. */
  name: string;
}

/** The audit log's actor for a change this principal makes. */
export function auditActor(principal: Principal): AuditActor {
  switch (principal.kind) {
    case 'operator':
      return { kind: 'OPERATOR', id: principal.operatorId, name: principal.email };
    case 'admin':
    case 'server':
      return { kind: 'API_KEY', id: principal.keyId, name: principal.name };
    case 'client':
    case 'anonymous':
      // Neither writes anything audited; named for completeness.
      return { kind: 'API_KEY', id: null, name: actorName(principal) };
  }
}

/**
 * Who this principal is for "the same person" checks (self-approval): the operator's id or the
 * API key's id. Stable across renames and emails.
 */
export function principalIdentity(principal: Principal): string {
  switch (principal.kind) {
    case 'operator':
      return `operator:${principal.operatorId}`;
    case 'admin':
    case 'server':
      return `api-key:${principal.keyId ?? 'bootstrap'}`;
    case 'client':
      return `client:${principal.accountId}`;
    case 'anonymous':
      return 'anonymous';
  }
}

/**
 * Who approved a change its caller makes alone (an override grant, a trial extension). An API
 * key names the person, and must; an operator acts on their own authority within their rights,
 * so it is them, and naming someone else is refused: another person's approval goes through
 * requestOverride. Answers the approver, or the problem with `approvedBy` for BAD_USER_INPUT.
 */
export function ownApproval(principal: Principal, given: string | null | undefined): { approvedBy: string } | { problem: string } {
  if (principal.kind !== 'operator') {
    return given ? { approvedBy: given } : { problem: 'is required with an API key: name the person who approved it' };
  }
  if (given && given.trim().toLowerCase() !== principal.email) {
    return { problem: `must be empty or your own email (${principal.email}): for another person's approval use requestOverride` };
  }
  return { approvedBy: principal.email };
}
