import type { Caller } from '../access/index.js';
import type { CatalogService } from './catalog.service.js';

/**
 * What the catalog's resolver read from a request's context: the caller, and only the services they call.
 * Named here rather than taken from the composition root, so this domain depends on nothing above
 * it; services.ts checks that the context the transports build covers it.
 */
export interface CatalogContext {
  principal: Caller;
  services: {
    catalog: CatalogService;
  };
}
