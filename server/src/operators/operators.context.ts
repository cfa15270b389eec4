import type { Caller } from '../access/index.js';
import type { OperatorsService } from './operators.service.js';

/**
 * What operators' resolver reads from a request's context: the caller, and only the services it calls.
 * Named here rather than taken from the composition root, so this domain depends on nothing above
 * it; services.ts checks that the context the transports build covers it.
 */
export interface OperatorsContext {
  principal: Caller;
  services: {
    operators: OperatorsService;
  };
}
