import type { Caller } from '../access/index.js';
import type { AuthService } from './auth.service.js';

/**
 * What API keys' and client tokens' resolver read from a request's context: the caller, and only the services they call.
 * Named here rather than taken from the composition root, so this domain depends on nothing above
 * it; services.ts checks that the context the transports build covers it.
 */
export interface AuthContext {
  principal: Caller;
  services: {
    auth: AuthService;
  };
}
