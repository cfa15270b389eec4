import type { MikroORM } from '@mikro-orm/postgresql';
import type { Principal } from '../access/index.js';
import type { AccountsService } from '../accounts/index.js';
import type { AuthService } from '../auth/index.js';
import type { CatalogService } from '../catalog/index.js';
import type { Clock } from '../clock.js';
import { demoAccount, demoAddOns, demoFeatures, demoPlans } from './demo-catalog.js';

/** The keys made for a new demo database, printed once at start. */
export interface DemoCredentials {
  adminKey: string;
  serverKey: string;
  accountId: string;
}

/** What seeding calls: the same services an admin's requests go through. */
export interface DemoSeedServices {
  catalog: CatalogService;
  accounts: AccountsService;
  auth: AuthService;
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

  const admin = await services.auth.createApiKey(seeder, { name: 'demo admin', role: 'ADMIN' });
  const server = await services.auth.createApiKey(seeder, { name: 'demo backend', role: 'SERVER' });
  return { adminKey: admin.secret, serverKey: server.secret, accountId: demoAccount.id };
}
