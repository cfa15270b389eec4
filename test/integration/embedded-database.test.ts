import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphQLTestClient } from '../support/graphql-client.js';
import { spawnServer } from '../support/process.js';

/**
 * `npm start` on a machine with nothing set up: the embedded database, the demo catalog, the
 * printed keys, a clean stop, and data that survives a restart.
 */
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tollgate-embedded-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

const ADMIN_KEY = /admin key:\s+(tg_admin_\S+)/;
const SERVER_KEY = /server key:\s+(tg_server_\S+)/;
const CLIENT_TOKEN = /client token for "acme" \(1 hour\): (\S+)/;

/**
 * A new embedded database starts PGlite's WebAssembly, runs every migration and seeds the demo
 * (catalog, five accounts, keys, the demo owner): seconds on a quiet machine, far more on a busy
 * one, so these tests wait for the process to say it is ready for up to this long.
 */
const START_TIMEOUT_MS = 120_000;

describe('embedded database', () => {
  let serverKey = '';
  let adminKey = '';

  it('starts on an empty folder with the demo catalog and prints keys that work', async () => {
    const server = await spawnServer({ TOLLGATE_DATA_DIR: dataDir });
    try {
      expect(server.output()).toMatch(/embedded database/);
      adminKey = ADMIN_KEY.exec(server.output())![1]!;
      serverKey = SERVER_KEY.exec(server.output())![1]!;
      const token = CLIENT_TOKEN.exec(server.output())![1]!;

      const backend = new GraphQLTestClient(server.graphqlUrl, serverKey);
      const { plans } = await backend.request(`{ plans { key isDefault currentVersion { price { formatted } } } }`);
      expect(plans.map((plan: any) => [plan.key, plan.currentVersion.price.formatted])).toEqual([
        ['free', '$0.00'], ['pro', '$29.00'], ['enterprise', '$499.00'],
      ]);
      const browser = new GraphQLTestClient(server.graphqlUrl, token);
      const { entitlement } = await browser.request(`{ entitlement(accountId: "acme", feature: "export_csv") { allowed reason plan { key } } }`);
      expect(entitlement).toEqual({ allowed: false, reason: 'NOT_IN_PLAN', plan: { key: 'free' } });
      const { entitlement: scim } = await backend.request(`{ entitlement(accountId: "acme", feature: "scim") { allowed reason } }`);
      expect(scim).toEqual({ allowed: false, reason: 'NOT_IN_PLAN' });

      const health = await fetch(server.graphqlUrl.replace('/graphql', '/readyz'));
      expect(await health.json()).toEqual({ status: 'ready', database: 'embedded' });
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, START_TIMEOUT_MS);

  it('keeps its data across a restart, and does not seed twice', async () => {
    const server = await spawnServer({ TOLLGATE_DATA_DIR: dataDir });
    try {
      expect(server.output()).not.toMatch(ADMIN_KEY);
      const admin = new GraphQLTestClient(server.graphqlUrl, adminKey);
      await admin.request(`mutation { changePlan(input: { accountId: "acme", plan: "pro", trial: true }) { id } }`);
      const { entitlement } = await admin.request(`{ entitlement(accountId: "acme", feature: "export_csv") { allowed reason } }`);
      expect(entitlement).toEqual({ allowed: true, reason: 'TRIAL' });
      const { features } = await admin.request(`{ features { key } }`);
      expect(features).toHaveLength(7);
    } finally {
      expect(await server.stop()).toBe(0);
    }
    const again = await spawnServer({ TOLLGATE_DATA_DIR: dataDir });
    try {
      const backend = new GraphQLTestClient(again.graphqlUrl, serverKey);
      const { account } = await backend.request(`{ account(id: "acme") { subscription { status plan } } }`);
      expect(account.subscription).toEqual({ status: 'TRIALING', plan: 'pro' });
    } finally {
      expect(await again.stop()).toBe(0);
    }
  }, START_TIMEOUT_MS);
});
