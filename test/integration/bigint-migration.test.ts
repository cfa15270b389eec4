import { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrmConfig } from '../../server/dist/db/index.js';
import { entities } from '../../server/dist/entities.js';
import { freshDatabase, type FreshDatabase } from '../support/database.js';
import { changePlan, createAccount, createFeature, createPublishedPlan, ENTITLEMENT_QUERY } from '../support/fixtures.js';
import { CONSUME } from '../support/metering.js';
import { startTestServer } from '../support/server.js';

const COLUMNS = `select table_name || '.' || column_name as name, data_type from information_schema.columns
  where (table_name, column_name) in (('usage_counter', 'used'), ('usage_event', 'amount'), ('plan_entitlement', 'limit_value'), ('override', 'value'))
  order by 1`;

describe('the 64-bit meters migration', () => {
  let database: FreshDatabase;

  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(() => database?.drop());

  it('converts existing 32-bit data without changing a value, and the counters then pass 2^31', async () => {
    // A database with data, taken back to the 32-bit schema it had before the migration.
    const before = await startTestServer({ databaseUrl: database.url });
    await createFeature(before.admin, { key: 'tokens', kind: 'METERED' });
    await createPublishedPlan(before.admin, { key: 'scale', rank: 1 }, [{ feature: 'tokens', limit: 2_000_000_000, period: 'MONTH', overage: 'ALLOW' }]);
    await createAccount(before.admin, 'acme');
    await changePlan(before.admin, { accountId: 'acme', plan: 'scale' });
    await before.admin.request(`mutation ($input: GrantOverrideInput!) { grantOverride(input: $input) { id } }`, {
      input: { accountId: 'acme', feature: 'tokens', effect: 'ADD_LIMIT', value: 100_000_000, permanent: true, reason: 'pilot', approvedBy: 'Kim' },
    });
    await before.admin.request(CONSUME, { input: { accountId: 'acme', feature: 'tokens', amount: 2_147_483_000, idempotencyKey: 'k-1' } });
    await before.stop();

    const orm = await MikroORM.init(createOrmConfig({ clientUrl: database.url, poolMax: 2, entities }));
    try {
      // Back to the last 32-bit migration: the 64-bit one and every later one are undone.
      await orm.migrator.down({ to: 'Migration20261125035813' });
      expect(await orm.em.fork().execute(COLUMNS)).toEqual([
        { name: 'override.value', data_type: 'integer' },
        { name: 'plan_entitlement.limit_value', data_type: 'integer' },
        { name: 'usage_counter.used', data_type: 'integer' },
        { name: 'usage_event.amount', data_type: 'integer' },
      ]);
    } finally {
      await orm.close(true);
    }

    // Starting the server runs the migration again on the 32-bit data.
    const after = await startTestServer({ databaseUrl: database.url });
    try {
      expect((await after.server.orm.em.fork().execute(COLUMNS)).map((column: any) => column.data_type)).toEqual(['bigint', 'bigint', 'bigint', 'bigint']);
      const { entitlement } = await after.admin.request(ENTITLEMENT_QUERY, { accountId: 'acme', feature: 'tokens' });
      expect(entitlement).toMatchObject({ limit: 2_100_000_000, used: 2_147_483_000 });
      const past = await after.admin.request(CONSUME, { input: { accountId: 'acme', feature: 'tokens', amount: 1_000_000, idempotencyKey: 'k-2' } });
      expect(past.consume).toMatchObject({ ok: true, entitlement: { used: 2_148_483_000 } });
    } finally {
      await after.stop();
    }
  });
});
