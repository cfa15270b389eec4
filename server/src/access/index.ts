/**
 * Who is calling and what they may do: the principal behind a request and the rules every
 * resolver applies. Pure (no database): every domain's GraphQL face may use it without
 * depending on how credentials are stored. Other domains import from here, never from the files.
 */
export { requireAccountRead, requireAdmin, requireAnyCredential, requireBackend } from './access-rules.js';
export { forbidden, unauthenticated } from './access.errors.js';
export { actorName, type Caller, type CredentialProblem, type Principal } from './principal.js';
