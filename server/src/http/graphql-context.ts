import type { AccountsService } from '../accounts/accounts.service.js';
import type { AuditService } from '../audit/audit.service.js';
import type { AuthService } from '../auth/auth.service.js';
import type { Principal } from '../auth/principal.js';
import type { Clock } from '../clock.js';
import type { CatalogService } from '../catalog/catalog.service.js';
import type { EntitlementsService } from '../entitlements/entitlements.service.js';
import type { MeteringService } from '../metering/metering.service.js';
import type { OffersService } from '../offers/offers.service.js';
import type { OverridesService } from '../overrides/overrides.service.js';

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

/** What every resolver receives: who is calling, and the services to call. */
export interface GraphQLContext {
  principal: Principal;
  services: Services;
}
