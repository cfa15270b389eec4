/**
 * Who is calling and what they may do: the principal behind a request, the permission table and
 * the rules every resolver applies. Pure (no database): every domain's GraphQL face may use it
 * without depending on how credentials are stored. Other domains import from here, never from the files.
 */
export {
  hasPermission,
  requireAccountRead,
  requireAdmin,
  requireAnyCredential,
  requireBackend,
  requireOperator,
  requirePermission,
} from './access-rules.js';
export { forbidden, unauthenticated } from './access.errors.js';
export { API_KEY_PERMISSIONS, OPERATOR_PERMISSIONS, PERMISSION_TEXT, UNBOUNDED_TRIAL_EXTENSION } from './permissions.js';
export {
  actorName,
  auditActor,
  ownApproval,
  principalIdentity,
  type AuditActor,
  type Caller,
  type CredentialProblem,
  type OperatorPrincipal,
  type Principal,
} from './principal.js';
