import type { Caller } from '../access/index.js';
import type { EntitlementsService } from './entitlements.service.js';

/**
 * What the entitlements resolver read from a request's context: the caller, and only the services they call.
 * Named here rather than taken from the composition root, so this domain depends on nothing above
 * it; services.ts checks that the context the transports build covers it.
 */
export interface EntitlementsContext {
  principal: Caller;
  services: {
    entitlements: EntitlementsService;
  };
}
