import type { Caller } from '../access/index.js';
import type { Clock } from '../clock.js';
import type { EntitlementsService } from '../entitlements/index.js';
import type { AccountsService } from './accounts.service.js';

/**
 * What accounts' resolvers read from a request's context: the caller, and only the services they call.
 * Named here rather than taken from the composition root, so this domain depends on nothing above
 * it; services.ts checks that the context the transports build covers it.
 */
export interface AccountsContext {
  principal: Caller;
  services: {
    accounts: AccountsService;
    entitlements: EntitlementsService;
    clock: Clock;
  };
}
