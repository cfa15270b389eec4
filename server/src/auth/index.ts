/** Credentials and who may do what. Other domains import from here, never from the files. */
export { requireAccountRead, requireAdmin, requireBackend } from './access-rules.js';
export { unauthenticated } from './auth.errors.js';
export { AuthService } from './auth.service.js';
export { type CredentialProblem, type Principal, actorName } from './principal.js';
