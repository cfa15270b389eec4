import { freshDatabase, type FreshDatabase } from '../support/database.js';
import { createAccount, createFeature, publishVersion } from '../support/fixtures.js';
import { GraphQLTestClient } from '../support/graphql-client.js';
import { spawnServer, type ServerProcess } from '../support/process.js';
import { TEST_ADMIN_KEY } from '../support/admin-key.js';

/**
 * A real Tollgate process (outside jsdom's globals) on a fresh database, with a small catalog:
 * Free (default: 2 notes, 100 API calls a month), Pro ($29 a month, 14-day trial: 100 notes,
 * CSV export), Enterprise ($499: unlimited) and the add-on "Notes pack" (+50 notes, $5).
 */
export interface TollgateForReact {
  graphqlUrl: string;
  admin: GraphQLTestClient;
  /** A new account on the default plan, and what TollgateProvider needs for it. */
  newAccount(): Promise<ReactAccount>;
  stop(): Promise<void>;
}

/** One account as a browser sees it: its id, a client token source, and a checkout. */
export interface ReactAccount {
  accountId: string;
  /** Mints a client token bound to this account, as a host backend would. */
  token(): Promise<{ token: string; expiresAt: string }>;
  /** Moves the account to a plan with the admin key, as a host backend's checkout would. */
  changePlan(plan: string, options?: { trial?: boolean }): Promise<void>;
}

export async function startTollgateForReact(): Promise<TollgateForReact> {
  const database: FreshDatabase = await freshDatabase();
  const server: ServerProcess = await spawnServer({ DATABASE_URL: database.url, TOLLGATE_ADMIN_KEY: TEST_ADMIN_KEY, TOLLGATE_DEMO_DATA: 'off' });
  const admin = new GraphQLTestClient(server.graphqlUrl, TEST_ADMIN_KEY);
  await createFeature(admin, { key: 'notes', name: 'Notes', kind: 'QUANTITY', unit: 'notes' });
  await createFeature(admin, { key: 'export_csv', name: 'CSV export', kind: 'SWITCH' });
  await createFeature(admin, { key: 'api_calls', name: 'API calls', kind: 'METERED', unit: 'calls' });
  const plan = async (key: string, name: string, rank: number, isDefault: boolean) =>
    admin.request(`mutation ($input: CreatePlanInput!) { createPlan(input: $input) { key } }`, { input: { key, name, rank, isDefault } });
  await plan('free', 'Free', 0, true);
  await publishVersion(admin, 'free', [{ feature: 'notes', limit: 2 }, { feature: 'api_calls', limit: 100, period: 'MONTH' }, { feature: 'export_csv', enabled: false }]);
  await plan('pro', 'Pro', 10, false);
  await publishVersion(admin, 'pro', [{ feature: 'notes', limit: 100 }, { feature: 'api_calls', limit: 10000, period: 'MONTH' }, { feature: 'export_csv' }], {
    price: 2900,
    trialDays: 14,
  });
  await plan('enterprise', 'Enterprise', 20, false);
  await publishVersion(admin, 'enterprise', [{ feature: 'notes', limit: null }, { feature: 'api_calls', limit: null, period: 'MONTH' }, { feature: 'export_csv' }], {
    price: 49900,
  });
  await admin.request(`mutation ($input: CreateAddOnInput!) { createAddOn(input: $input) { key } }`, {
    input: { key: 'notes_pack', name: 'Notes pack', price: { amount: 500, currency: 'USD' }, grants: [{ feature: 'notes', limitIncrement: 50 }] },
  });

  let sequence = 0;
  return {
    graphqlUrl: server.graphqlUrl,
    admin,
    async newAccount() {
      const accountId = `react-${process.pid}-${++sequence}`;
      await createAccount(admin, accountId);
      return {
        accountId,
        async token() {
          const { createClientToken } = await admin.request(
            `mutation ($id: ID!) { createClientToken(accountId: $id, ttlSeconds: 300) { token expiresAt } }`,
            { id: accountId },
          );
          return createClientToken as { token: string; expiresAt: string };
        },
        async changePlan(plan, options = {}) {
          await admin.request(`mutation ($input: ChangePlanInput!) { changePlan(input: $input) { id } }`, {
            input: { accountId, plan, trial: options.trial ?? false },
          });
        },
      };
    },
    async stop() {
      await server.stop();
      await database.drop();
    },
  };
}
