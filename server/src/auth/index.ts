/** Credentials and who may do what. Other domains import from here, never from the files. */
export { requireAccountRead, requireAdmin, requireBackend } from './access-rules.js';
export { AuthService } from './auth.service.js';
export { type Principal, actorName } from './principal.js';
