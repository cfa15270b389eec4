import type { MikroORM } from '@mikro-orm/postgresql';
import type { Principal } from './access/index.js';
import { AccountsService, loadAccountState } from './accounts/index.js';
import { AuditService } from './audit/index.js';
import { AuthService } from './auth/index.js';
import { CatalogService, loadCatalogSnapshot } from './catalog/index.js';
import type { Clock } from './clock.js';
import type { TollgateConfig } from './config/index.js';
import type { ChangeFeed } from './db/index.js';
import { EntitlementReadModel, EntitlementsService } from './entitlements/index.js';
import { MeteringService, UsageReader } from './metering/index.js';
import { OffersService } from './offers/index.js';
import { OverridesService } from './overrides/index.js';
import { PlanMigrationsService } from './plan-migrations/index.js';

/** The domain services, built once per process by {@link createServices}. */
export interface Services {
  auth: AuthService;
  catalog: CatalogService;
  accounts: AccountsService;
  overrides: OverridesService;
  entitlements: EntitlementsService;
  metering: MeteringService;
  offers: OffersService;
  audit: AuditService;
  planMigrations: PlanMigrationsService;
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

/**
 * The one composition root: builds every domain service and hands each what it needs, so no
 * domain constructs another or reaches into one above it (the entitlement read model gets the
 * catalog's and accounts' loaders here, for instance). Transports (http/) and the demo seed take
 * the result; they wire nothing themselves.
 *
 * @example
 * const services = await createServices(orm, feed, systemClock, loadConfig());
 * await services.entitlements.check('acme', 'export_csv');
 */
export async function createServices(orm: MikroORM, feed: ChangeFeed, clock: Clock, config: TollgateConfig): Promise<Services> {
  const auth = new AuthService(orm, feed, clock, config.bootstrapAdminKey, config.tokenSecret);
  await auth.start();
  const readModel = new EntitlementReadModel(orm, feed, clock, { catalogSnapshot: loadCatalogSnapshot, accountState: loadAccountState });
  const usage = new UsageReader(orm);
  const entitlements = new EntitlementsService(readModel, clock, usage);
  return {
    auth,
    catalog: new CatalogService(orm, feed, clock),
    accounts: new AccountsService(orm, feed, clock),
    overrides: new OverridesService(orm, feed, clock),
    entitlements,
    metering: new MeteringService(orm, entitlements, usage, clock),
    offers: new OffersService(entitlements, clock),
    audit: new AuditService(orm),
    planMigrations: new PlanMigrationsService(orm, feed, clock),
    clock,
  };
}
