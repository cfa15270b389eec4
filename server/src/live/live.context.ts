import type { Caller } from '../access/index.js';
import type { LiveEntitlements } from './live-entitlements.js';
import type { LiveOverrideRequests } from './live-override-requests.js';

/**
 * What the live subscription's resolver read from a request's context: the caller, and only the services they call.
 * Named here rather than taken from the composition root, so this domain depends on nothing above
 * it; services.ts checks that the context the transports build covers it.
 */
export interface LiveContext {
  principal: Caller;
  services: {
    live: LiveEntitlements;
    liveOverrideRequests: LiveOverrideRequests;
  };
}
