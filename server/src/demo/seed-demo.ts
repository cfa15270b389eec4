import type { MikroORM } from '@mikro-orm/postgresql';
import type { Principal } from '../access/index.js';
import type { AccountsService } from '../accounts/index.js';
import type { AuthService } from '../auth/index.js';
import type { CatalogService } from '../catalog/index.js';
import type { Clock } from '../clock.js';
import type { OperatorsService } from '../operators/index.js';
import type { OverridesService } from '../overrides/index.js';
import { demoAccount, demoAccounts, demoAddOns, demoFeatures, demoOwner, demoPlans } from './demo-catalog.js';

const DAY_MS = 86_400_000;

/** The keys and link made for a new demo database, printed once at start. */
export interface DemoCredentials {
  adminKey: string;
  serverKey: string;
  accountId: string;
  /** The demo OWNER's email and one-time sign-in link (`/console/invite/<token>`, relative until the server knows its address). */
  ownerEmail: string;
  ownerLink: string;
}

/** What seeding calls: the same services an admin's requests go through. */
export interface DemoSeedServices {
  catalog: CatalogService;
  accounts: AccountsService;
  auth: AuthService;
  overrides: OverridesService;
  operators: OperatorsService;
  clock: Clock;
}

const seeder: Principal = { kind: 'admin', name: 'demo seed', keyId: null };

/**
 * Seeds the demo catalog, account and keys when the database has no catalog and no keys, so a
 * first `npm start` has something to query. Returns the new keys, or null when it did nothing.
 * Goes through the services, so the seed is validated and audited like any admin's work.
 */
export async function seedDemoIfEmpty(orm: MikroORM, services: DemoSeedServices): Promise<DemoCredentials | null> {
  const em = orm.em.fork();
  const [{ count }] = await em.execute<{ count: string }[]>(
    'select (select count(*) from feature) + (select count(*) from plan) + (select count(*) from api_key) as count',
  );
  if (Number(count) > 0) return null;
  // Several processes may start on one new database: only the one that claims the marker seeds.
  const claimed = await em.execute('insert into demo_seed (id, seeded_at) values (1, ?) on conflict (id) do nothing returning id', [
    services.clock(),
  ]);
  if (!claimed.length) return null;

  for (const feature of demoFeatures) await services.catalog.createFeature(seeder, feature);
  for (const { plan, version } of demoPlans) {
    await services.catalog.createPlan(seeder, plan);
    const draft = await services.catalog.createPlanVersion(seeder, { plan: plan.key, ...version });
    await services.catalog.publishPlanVersion(seeder, plan.key, draft.version);
  }
  for (const addOn of demoAddOns) await services.catalog.createAddOn(seeder, addOn);
  await services.accounts.upsertAccount(seeder, demoAccount);
  await seedAccountsToOperate(services);

  const admin = await services.auth.createApiKey(seeder, { name: 'demo admin', role: 'ADMIN' });
  const server = await services.auth.createApiKey(seeder, { name: 'demo backend', role: 'SERVER' });
  const owner = await services.operators.invite(seeder, demoOwner);
  return { adminKey: admin.secret, serverKey: server.secret, accountId: demoAccount.id, ownerEmail: demoOwner.email, ownerLink: owner.link };
}

/**
 * Accounts in every phase worth showing, an override with its approver, and a request waiting
 * for a second person (the demo OWNER may approve it: the seed asked, not them).
 */
async function seedAccountsToOperate(services: DemoSeedServices): Promise<void> {
  const now = services.clock().getTime();
  for (const { account, plan, phase } of demoAccounts) {
    await services.accounts.upsertAccount(seeder, account);
    await services.accounts.changePlan(seeder, { accountId: account.id, plan, trial: phase === 'TRIAL' });
    if (phase === 'PAST_DUE') {
      await services.accounts.updateSubscriptionStatus(seeder, {
        accountId: account.id, status: 'PAST_DUE', graceEndsAt: new Date(now + 7 * DAY_MS), reason: 'Card declined (demo)',
      });
    }
    if (phase === 'CANCELING') await services.accounts.cancelSubscription(seeder, { accountId: account.id, atPeriodEnd: true, reason: 'Moving to an in-house tool (demo)' });
  }
  await services.overrides.grantOverride(seeder, {
    accountId: 'globex', feature: 'sso', effect: 'GRANT', endsAt: new Date(now + 14 * DAY_MS),
    reason: 'Evaluating single sign-on before moving to Enterprise (demo)', approvedBy: 'Dana Whitfield (sales)',
  });
  await services.overrides.requestOverride(seeder, {
    accountId: 'initech', feature: 'seats', effect: 'SET_LIMIT', value: 40, endsAt: new Date(now + 60 * DAY_MS),
    reason: 'Rolling out to two more teams during the trial (demo)',
  });
}
