import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type FreshDatabase } from '../support/database.js';
import { sql } from '../support/metering.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe('the demo seed on a new PostgreSQL database', () => {
  let database: FreshDatabase;
  const servers: TestServer[] = [];

  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(async () => {
    for (const server of servers) await server.stop();
    await database?.drop();
  });

  it('is seeded once when two servers start on it together, and records that in a table of its own', async () => {
    const started = await Promise.all(
      [1, 2].map(() => startTestServer({ databaseUrl: database.url, env: { TOLLGATE_DEMO_DATA: 'auto' } })),
    );
    servers.push(...started);
    expect(started.filter((t) => t.server.demo !== null)).toHaveLength(1);

    const [t] = started;
    const { features } = await t!.admin.request('{ features { key } }');
    expect(features).toHaveLength(7);
    // The paid plans carry Stripe prices, so the example app's checkout works against a fresh seed.
    const { publishedPlans } = await t!.admin.request('{ publishedPlans { key billingPriceIds } }');
    expect(publishedPlans).toEqual([
      { key: 'free', billingPriceIds: [] },
      { key: 'pro', billingPriceIds: ['price_demo_pro_monthly'] },
      { key: 'enterprise', billingPriceIds: ['price_demo_enterprise_monthly'] },
    ]);
    expect(await sql(t!, 'select id from demo_seed')).toEqual([{ id: 1 }]);
    // signing_secret holds secrets only.
    expect(await sql(t!, 'select name from signing_secret')).toEqual([{ name: 'client-token' }]);
  });
});
