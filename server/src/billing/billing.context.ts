import type { Caller } from '../access/index.js';
import type { Clock } from '../clock.js';
import type { BillingService } from './billing.service.js';
import type { ReconciliationService } from './reconciliation.service.js';

/**
 * What billing's resolver read from a request's context: the caller, and only the services they call.
 * Named here rather than taken from the composition root, so this domain depends on nothing above
 * it; services.ts checks that the context the transports build covers it.
 */
export interface BillingContext {
  principal: Caller;
  services: {
    billing: BillingService;
    reconciliation: ReconciliationService;
    clock: Clock;
  };
}
