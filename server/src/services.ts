import type { MikroORM } from '@mikro-orm/postgresql';
import type { Caller } from './access/index.js';
import { AccountsService, loadAccountState, type AccountsContext } from './accounts/index.js';
import { AuditService, type AuditContext } from './audit/index.js';
import { AuthService, type AuthContext } from './auth/index.js';
import { BillingService, createStripeGateway, ReconciliationService, type BillingContext } from './billing/index.js';
import { CatalogService, loadCatalogSnapshot, type CatalogContext } from './catalog/index.js';
import type { Clock } from './clock.js';
import type { TollgateConfig } from './config/index.js';
import type { ChangeFeed } from './db/index.js';
import { EntitlementReadModel, EntitlementsService, type EntitlementsContext } from './entitlements/index.js';
import { LiveEntitlements, LiveOverrideRequests, nodeTimers, type LiveErrorLog, type Timers, type LiveContext } from './live/index.js';
import { LedgerHorizon, MeteringService, UsageHistoryReader, UsageReader, type MeteringContext, type UsageHistoryContext } from './metering/index.js';
import { OffersService, type OffersContext } from './offers/index.js';
import { OperatorsService, SingleSignOn, type OperatorsContext } from './operators/index.js';
import { OverridesService, type OverridesContext } from './overrides/index.js';
import { PlanMigrationsService, type PlanMigrationsContext } from './plan-migrations/index.js';
import { ShadowService, type ShadowContext } from './shadow/index.js';

/**
 * Accounts recomputed at once when one change touches many (a catalog change reaching every
 * watched account): enough to keep the pool busy, few enough that HTTP requests still get
 * connections in between.
 */
const LIVE_CONCURRENCY = 8;

/** The domain services, built once per process by {@link createServices}. */
export interface Services {
  auth: AuthService;
  catalog: CatalogService;
  accounts: AccountsService;
  overrides: OverridesService;
  entitlements: EntitlementsService;
  metering: MeteringService;
  /** The usage ledger per day (the console's usage chart). */
  usageHistory: UsageHistoryReader;
  /** Creates the usage ledger's partitions ahead and drops those past the retention; server.ts starts and stops it. */
  ledgerHorizon: LedgerHorizon;
  offers: OffersService;
  audit: AuditService;
  billing: BillingService;
  reconciliation: ReconciliationService;
  /** Shadow mode; holds a write buffer, so server.ts closes it on shutdown. */
  shadow: ShadowService;
  /** Live updates: each account's decisions pushed to its subscribers. */
  live: LiveEntitlements;
  /** Override requests as they are made and decided (the console's approvals inbox). */
  liveOverrideRequests: LiveOverrideRequests;
  planMigrations: PlanMigrationsService;
  /** Operators: people, their sign-in and sessions. */
  operators: OperatorsService;
  /** Single sign-on through the OpenID Connect provider of TOLLGATE_OIDC_*; null when not set up. */
  singleSignOn: SingleSignOn | null;
  clock: Clock;
}

/** What a process hands the services beyond the database, feed, clock and config. */
export interface ServiceOptions {
  /** The timers live updates wait with (coalescing, boundaries); Node's by default. */
  timers?: Timers;
  /** Where a failed live recomputation is reported (it is retried a second later). */
  logLiveError?: LiveErrorLog;
  /** Where a failed hourly ledger maintenance is reported (it is tried again the next hour). */
  logLedgerError?: (error: unknown) => void;
}

/**
 * What every resolver receives: who is calling, and the services to call. Never anonymous:
 * requests without a usable credential are refused while the context is built.
 */
export interface GraphQLContext {
  principal: Caller;
  services: Services;
}

/**
 * Every domain names the slice of the context its resolvers read (`BillingContext`, ...), so no
 * domain imports this file. This type is where the slices meet the whole: it fails to compile
 * when the context the transports build stops covering one of them.
 */
export type DomainContexts = AccountsContext & AuditContext & AuthContext & BillingContext & CatalogContext & EntitlementsContext &
  LiveContext & MeteringContext & UsageHistoryContext & OffersContext & OperatorsContext & OverridesContext & PlanMigrationsContext & ShadowContext;

/** The proof {@link DomainContexts} describes, checked by the compiler: a GraphQLContext is every domain's context. */
export const everyDomainContext = (context: GraphQLContext): DomainContexts => context;

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
export async function createServices(
  orm: MikroORM,
  feed: ChangeFeed,
  clock: Clock,
  config: TollgateConfig,
  options: ServiceOptions = {},
): Promise<Services> {
  const auth = new AuthService(orm, feed, clock, config.bootstrapAdminKey, config.tokenSecret, { maxAgeMs: config.feed.cacheMaxAgeMs });
  await auth.start();
  const readModel = new EntitlementReadModel(orm, feed, clock, { catalogSnapshot: loadCatalogSnapshot, accountState: loadAccountState }, {
    maxAgeMs: config.feed.cacheMaxAgeMs,
  });
  const usage = new UsageReader(orm, feed);
  const entitlements = new EntitlementsService(readModel, clock, usage);
  const catalog = new CatalogService(orm, feed, clock);
  const accounts = new AccountsService(orm, feed, clock, config.operators.overridePolicyDays);
  const billing = new BillingService(orm, feed, clock, accounts, {
    pastDueGraceDays: config.pastDueGraceDays,
    stripe: config.stripe.apiKey ? createStripeGateway(config.stripe.apiKey, config.stripe.apiBase) : null,
  });
  // Stripe events that waited for a price are replayed once a plan version or add-on maps it.
  catalog.onBillingPricesMapped((mapped) => billing.replayForPrices(mapped));
  // A Stripe-billed plan is changed in Stripe: accounts and plan migrations reach billing through this port.
  accounts.useBilledPlanChanges(billing.billedPlanChanges);
  const planMigrations = new PlanMigrationsService(orm, feed, clock, billing.billedPlanChanges);
  return {
    auth,
    catalog,
    accounts,
    overrides: new OverridesService(orm, feed, clock, { policyDays: config.operators.overridePolicyDays }),
    entitlements,
    metering: new MeteringService(orm, entitlements, usage, clock, feed),
    usageHistory: new UsageHistoryReader(orm, clock),
    ledgerHorizon: new LedgerHorizon(orm, config.usageRetentionDays, options.logLedgerError),
    offers: new OffersService(entitlements, clock),
    audit: new AuditService(orm),
    billing,
    reconciliation: new ReconciliationService(orm, billing, clock),
    shadow: new ShadowService(orm, entitlements, () => readModel.catalogSnapshot(), clock),
    live: new LiveEntitlements(entitlements, feed, clock, options.timers ?? nodeTimers, {
      coalesceMs: config.live.coalesceMs,
      maxSubscriptions: config.live.maxSubscriptions,
      maxSubscriptionsPerKey: config.live.maxSubscriptionsPerKey,
      maxSubscriptionsPerAccountToken: config.live.maxSubscriptionsPerAccountToken,
      maxSocketsPerAddress: config.live.maxSocketsPerAddress,
      maxSocketsPerAccountToken: config.live.maxSocketsPerAccountToken,
      concurrency: LIVE_CONCURRENCY,
    }, options.logLiveError),
    liveOverrideRequests: new LiveOverrideRequests(feed, clock),
    planMigrations,
    operators: new OperatorsService(orm, feed, clock, {
      sessionIdleMs: config.operators.sessionIdleMinutes * 60_000,
      sessionMaxMs: config.operators.sessionMaxHours * 3600_000,
      maxFailuresPerEmail: config.operators.maxFailuresPerEmail,
      maxFailuresPerEmailAllAddresses: config.operators.maxFailuresPerEmailAllAddresses,
      maxFailuresPerAddress: config.operators.maxFailuresPerAddress,
      lockoutMs: config.operators.lockoutMinutes * 60_000,
      publicUrl: config.publicUrl,
      overridePolicyDays: config.operators.overridePolicyDays,
    }),
    singleSignOn: config.oidc ? new SingleSignOn(config.oidc, clock) : null,
    clock,
  };
}
