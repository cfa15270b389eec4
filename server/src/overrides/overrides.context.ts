import type { Caller } from '../access/index.js';
import type { Clock } from '../clock.js';
import type { OverridesService } from './overrides.service.js';

/**
 * What overrides' resolver read from a request's context: the caller, and only the services they call.
 * Named here rather than taken from the composition root, so this domain depends on nothing above
 * it; services.ts checks that the context the transports build covers it.
 */
export interface OverridesContext {
  principal: Caller;
  services: {
    overrides: OverridesService;
    clock: Clock;
  };
}
