/** Credentials: API keys and client tokens, issued, revoked and turned into principals. Other domains import from here, never from the files. */
export { AuthService } from './auth.service.js';
export { AuthResolver } from './auth.resolver.js';
export { ApiKey } from './api-key.entity.js';
export { SigningSecret } from './signing-secret.entity.js';
export type { AuthContext } from './auth.context.js';
