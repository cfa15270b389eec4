import type { AccountsService } from '../accounts/index.js';
import type { AuditService } from '../audit/index.js';
import type { AuthService } from '../auth/index.js';
import type { Principal } from '../access/index.js';
import type { Clock } from '../clock.js';
import type { CatalogService } from '../catalog/index.js';
import type { EntitlementsService } from '../entitlements/index.js';
import type { MeteringService } from '../metering/index.js';
import type { OffersService } from '../offers/index.js';
import type { OverridesService } from '../overrides/index.js';

/** The domain services, built once per process. */
export interface Services {
  auth: AuthService;
  catalog: CatalogService;
  accounts: AccountsService;
  overrides: OverridesService;
  entitlements: EntitlementsService;
  metering: MeteringService;
  offers: OffersService;
  audit: AuditService;
  clock: Clock;
}

/**
 * What every resolver receives: who is calling, and the services to call. Never anonymous:
 * requests without a usable credential are refused while the context is built.
 */
export interface GraphQLContext {
  principal: Exclude<Principal, { kind: 'anonymous' }>;
  services: Services;
}
