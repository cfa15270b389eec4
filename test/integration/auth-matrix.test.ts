import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, seedBasicCatalog } from '../support/fixtures.js';
import type { GraphQLTestClient } from '../support/graphql-client.js';
import { liveClient } from '../support/live-client.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Every root field against every kind of caller. A new root field fails the first test until
 * it is added to `operations` (or, for a subscription, `subscriptions`) with its rule, so nothing
 * ships unguarded.
 */
type Rule = 'admin' | 'backend' | 'account' | 'anyCredential';

const NOBODY = '00000000-0000-4000-8000-000000000000';
const operations: Record<string, { rule: Rule; document: string }> = {
  entitlement: { rule: 'account', document: `{ entitlement(accountId: "acme", feature: "seats") { allowed } }` },
  entitlements: { rule: 'account', document: `{ entitlements(accountId: "acme") { allowed } }` },
  upgradeOffers: { rule: 'account', document: `{ upgradeOffers(accountId: "acme", feature: "seats") { key } }` },
  usage: { rule: 'account', document: `{ usage(accountId: "acme", feature: "seats") { used } }` },
  usageHistory: { rule: 'account', document: `{ usageHistory(accountId: "acme", feature: "seats", days: 1) { days { counted } } }` },
  currentPlan: { rule: 'account', document: `{ currentPlan(accountId: "acme") { plan { key } subscription { status } } }` },
  account: { rule: 'backend', document: `{ account(id: "acme") { id } }` },
  features: { rule: 'backend', document: `{ features { key } }` },
  plans: { rule: 'backend', document: `{ plans { key } }` },
  publishedPlans: { rule: 'anyCredential', document: `{ publishedPlans { key version } }` },
  addOns: { rule: 'backend', document: `{ addOns { key } }` },
  auditLog: { rule: 'admin', document: `{ auditLog(first: 1) { edges { cursor } } }` },
  apiKeys: { rule: 'admin', document: `{ apiKeys { id } }` },
  billingSyncIssues: { rule: 'admin', document: `{ billingSyncIssues(first: 1) { edges { cursor } } }` },
  createFeature: { rule: 'admin', document: `mutation { createFeature(input: { key: "BAD", name: "x", kind: SWITCH }) { key } }` },
  createPlan: { rule: 'admin', document: `mutation { createPlan(input: { key: "BAD", name: "x", rank: 1 }) { key } }` },
  createPlanVersion: {
    rule: 'admin',
    document: `mutation { createPlanVersion(input: { plan: "ghost", price: { amount: 1, currency: "USD" }, entitlements: [] }) { id } }`,
  },
  updatePlanVersion: { rule: 'admin', document: `mutation { updatePlanVersion(input: { plan: "ghost", version: 1 }) { id } }` },
  publishPlanVersion: { rule: 'admin', document: `mutation { publishPlanVersion(plan: "ghost", version: 1) { id } }` },
  createAddOn: {
    rule: 'admin',
    document: `mutation { createAddOn(input: { key: "BAD", name: "x", price: { amount: 1, currency: "USD" }, grants: [] }) { key } }`,
  },
  upsertAccount: { rule: 'backend', document: `mutation { upsertAccount(input: { id: "", name: "x" }) { id } }` },
  changePlan: { rule: 'backend', document: `mutation { changePlan(input: { accountId: "ghost", plan: "pro" }) { id } }` },
  setAddOn: { rule: 'backend', document: `mutation { setAddOn(accountId: "ghost", addOn: "x", quantity: 1) { id } }` },
  updateSubscriptionStatus: {
    rule: 'backend',
    document: `mutation { updateSubscriptionStatus(input: { accountId: "ghost", status: ACTIVE, reason: "x" }) { id } }`,
  },
  extendTrial: {
    rule: 'admin',
    document: `mutation { extendTrial(input: { accountId: "ghost", endsAt: "2030-01-01T00:00:00Z", reason: "x", approvedBy: "y" }) { id } }`,
  },
  reconcileBilling: { rule: 'admin', document: `mutation { reconcileBilling { fixed } }` },
  cancelSubscription: {
    rule: 'backend',
    document: `mutation { cancelSubscription(input: { accountId: "ghost", reason: "x" }) { id } }`,
  },
  grantOverride: {
    rule: 'admin',
    document: `mutation { grantOverride(input: { accountId: "ghost", feature: "seats", effect: GRANT, permanent: true, reason: "x", approvedBy: "y" }) { id } }`,
  },
  revokeOverride: { rule: 'admin', document: `mutation { revokeOverride(id: "${NOBODY}", reason: "x") { id } }` },
  consume: { rule: 'backend', document: `mutation { consume(input: { accountId: "ghost", feature: "seats", idempotencyKey: "k" }) { ok } }` },
  release: { rule: 'backend', document: `mutation { release(input: { accountId: "ghost", feature: "seats", idempotencyKey: "k" }) { ok } }` },
  setUsage: { rule: 'backend', document: `mutation { setUsage(input: { accountId: "ghost", feature: "seats", value: 1, reason: "x" }) { used } }` },
  reportUsage: { rule: 'backend', document: `mutation { reportUsage(events: []) { accepted } }` },
  createApiKey: { rule: 'admin', document: `mutation { createApiKey(input: { name: "", role: SERVER }) { secret } }` },
  revokeApiKey: { rule: 'admin', document: `mutation { revokeApiKey(id: "${NOBODY}") { id } }` },
  createClientToken: { rule: 'backend', document: `mutation { createClientToken(accountId: "ghost") { token } }` },
  linkBillingCustomer: { rule: 'admin', document: `mutation { linkBillingCustomer(accountId: "ghost", customerId: "cus_Ghost") { id } }` },
  compareEntitlement: {
    rule: 'backend',
    document: `mutation { compareEntitlement(input: { accountId: "acme", feature: "seats", legacyAllowed: true }) { agreed } }`,
  },
  compareEntitlements: {
    rule: 'backend',
    document: `mutation { compareEntitlements(inputs: [{ accountId: "acme", feature: "seats", legacyAllowed: true }]) { compared } }`,
  },
  shadowReport: { rule: 'backend', document: `{ shadowReport { compared byFeature { feature samples { agreed } } } }` },
  previewPlanMigration: { rule: 'admin', document: `{ previewPlanMigration(input: { plan: "pro" }) { accounts } }` },
  planMigration: { rule: 'admin', document: `{ planMigration(id: "${NOBODY}") { id } }` },
  startPlanMigration: { rule: 'admin', document: `mutation { startPlanMigration(input: { plan: "ghost" }, reason: "x") { id } }` },
};

/** Root subscription fields, asked over WebSocket (graphql-ws) with the caller's credential in connectionParams. */
const subscriptions: Record<string, { rule: Rule; document: string }> = {
  entitlementsChanged: { rule: 'account', document: `subscription { entitlementsChanged(accountId: "acme") { accountId } }` },
  overrideRequestsChanged: { rule: 'admin', document: `subscription { overrideRequestsChanged { at } }` },
};

let now = new Date();
let t: TestServer;
const callers: Record<string, GraphQLTestClient> = {};
/** Each caller's bearer credential (null: none). */
const credentials: Record<string, string | null> = {};

beforeAll(async () => {
  t = await startTestServer({ clock: () => new Date(now) });
  await seedBasicCatalog(t.admin);
  await createAccount(t.admin, 'acme');
  await createAccount(t.admin, 'other');

  const key = async (role: string, name: string) =>
    (await t.admin.request(`mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id } } }`, {
      input: { name, role },
    })).createApiKey;
  const server = await key('SERVER', 'backend');
  const admin = await key('ADMIN', 'ops');
  const revoked = await key('ADMIN', 'leaked');
  await t.admin.request(`mutation ($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`, { id: revoked.apiKey.id });

  const token = async (accountId: string) =>
    (await t.as(server.secret).request(`mutation ($id: ID!) { createClientToken(accountId: $id, ttlSeconds: 60) { token } }`, {
      id: accountId,
    })).createClientToken.token;
  now = new Date(Date.now() - 3600_000);
  const expired = await token('acme');
  now = new Date();

  Object.assign(credentials, {
    none: null,
    revokedKey: revoked.secret,
    expiredToken: expired,
    otherAccountToken: await token('other'),
    ownToken: await token('acme'),
    serverKey: server.secret,
    adminKey: admin.secret,
  });
  for (const [caller, credential] of Object.entries(credentials)) callers[caller] = t.as(credential);
});
afterAll(() => t?.stop());

function expected(caller: string, rule: Rule): 'UNAUTHENTICATED' | 'FORBIDDEN' | 'ALLOWED' {
  if (caller === 'none' || caller === 'revokedKey' || caller === 'expiredToken') return 'UNAUTHENTICATED';
  if (caller === 'adminKey' || rule === 'anyCredential') return 'ALLOWED';
  if (caller === 'serverKey') return rule === 'admin' ? 'FORBIDDEN' : 'ALLOWED';
  if (caller === 'ownToken') return rule === 'account' ? 'ALLOWED' : 'FORBIDDEN';
  return 'FORBIDDEN';
}

describe('who may do what', () => {
  it('has a rule for every root field of the schema', async () => {
    const { __schema } = await t.admin.request(`{ __schema {
      queryType { fields { name } } mutationType { fields { name } } subscriptionType { fields { name } } } }`);
    const fields = [...__schema.queryType.fields, ...__schema.mutationType.fields].map((field: { name: string }) => field.name);
    expect(fields.filter((field: string) => !(field in operations))).toEqual([]);
    const subscriptionFields = __schema.subscriptionType.fields.map((field: { name: string }) => field.name);
    expect(subscriptionFields.filter((field: string) => !(field in subscriptions))).toEqual([]);
  });

  const callerNames = ['none', 'revokedKey', 'expiredToken', 'otherAccountToken', 'ownToken', 'serverKey', 'adminKey'];
  for (const [field, { rule, document }] of Object.entries(operations)) {
    it(`guards ${field} (${rule}) for every caller`, async () => {
      for (const caller of callerNames) {
        const result = await callers[caller]!.raw(document);
        const codes = result.errors.map((error) => error.extensions?.code);
        const outcome = codes.includes('UNAUTHENTICATED') ? 'UNAUTHENTICATED' : codes.includes('FORBIDDEN') ? 'FORBIDDEN' : 'ALLOWED';
        expect(outcome, `${field} as ${caller}: ${JSON.stringify(result.errors)}`).toBe(expected(caller, rule));
        if (outcome !== 'ALLOWED') expect(result.data?.[field] ?? null).toBeNull();
      }
    });
  }

  for (const [field, { rule, document }] of Object.entries(subscriptions)) {
    it(`guards the subscription ${field} (${rule}) for every caller, over WebSocket`, async () => {
      for (const caller of callerNames) {
        const client = liveClient(t.server.graphqlUrl, credentials[caller]!);
        try {
          const live = client.subscribe('acme', document);
          // Whichever comes first: the socket closed, a push, or a refusal of the subscription.
          const pending = new Promise<string>(() => {});
          const closedAs = () =>
            client.closed(5000).then((closed) => (closed.code === 4401 ? 'UNAUTHENTICATED' : `closed ${closed.code}`), () => 'no answer within 5 s');
          const outcome = await Promise.race([
            live.until(() => true, 5000, 'a first push').then(() => 'ALLOWED', () => pending),
            // A refused subscription settles with its errors; a refused connection settles too,
            // with the socket's close, which says why.
            live.settled(5000).then(
              () => (live.errors.some((error) => error.extensions?.code === 'FORBIDDEN') ? 'FORBIDDEN' : closedAs()),
              () => closedAs(),
            ),
          ]);
          expect(outcome, `${field} as ${caller}`).toBe(expected(caller, rule));
          if (outcome !== 'ALLOWED') expect(live.pushes).toEqual([]);
        } finally {
          await client.dispose();
        }
      }
    });
  }

  it('says why a credential is refused', async () => {
    const missing = await callers.none!.raw(operations.features!.document);
    expect(missing.errors[0]?.message).toMatch(/Authorization: Bearer/);
    const revoked = await callers.revokedKey!.raw(operations.features!.document);
    expect(revoked.errors[0]?.message).toMatch(/revoked/);
    const expired = await callers.expiredToken!.raw(operations.entitlement!.document);
    expect(expired.errors[0]?.message).toMatch(/expired/);
    const malformed = await t.as('tg_admin_short').raw(operations.features!.document);
    expect(malformed.errors[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const forged = await t.as('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhY21lIn0.c2lnbmF0dXJl').raw(operations.entitlement!.document);
    expect(forged.errors[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses another account the same way whether it exists or not, leaking nothing', async () => {
    const existing = await callers.ownToken!.raw(`{ entitlement(accountId: "other", feature: "seats") { allowed } }`);
    const missing = await callers.ownToken!.raw(`{ entitlement(accountId: "no-such-account", feature: "seats") { allowed } }`);
    expect(existing.errors).toEqual(missing.errors);
    expect(JSON.stringify(existing)).not.toMatch(/other/);
    const existingPlan = await callers.ownToken!.raw(`{ currentPlan(accountId: "other") { plan { key } } }`);
    const missingPlan = await callers.ownToken!.raw(`{ currentPlan(accountId: "no-such-account") { plan { key } } }`);
    expect(existingPlan.errors).toEqual(missingPlan.errors);
    expect(JSON.stringify(existingPlan)).not.toMatch(/other/);
  });

  it('stops accepting a key the moment it is revoked', async () => {
    const { createApiKey } = await t.admin.request(`mutation { createApiKey(input: { name: "temp", role: SERVER }) { secret apiKey { id prefix } } }`);
    expect(createApiKey.secret).toMatch(/^tg_server_[A-Za-z0-9_-]{43}$/);
    expect(createApiKey.secret.startsWith(createApiKey.apiKey.prefix.replace('…', ''))).toBe(true);
    const client = t.as(createApiKey.secret);
    expect((await client.raw(`{ features { key } }`)).errors).toEqual([]);
    await t.admin.request(`mutation ($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: createApiKey.apiKey.id });
    expect(await client.errorCode(`{ features { key } }`)).toBe('UNAUTHENTICATED');
  });

  it('lists keys without their secrets', async () => {
    const result = await t.admin.raw(`{ apiKeys { name role prefix revokedAt secret } }`);
    expect(result.errors[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const { apiKeys } = await t.admin.request(`{ apiKeys { name role revokedAt } }`);
    expect(apiKeys.map((key: any) => key.name)).toEqual(expect.arrayContaining(['backend', 'ops', 'leaked']));
  });

  it('bounds client token lifetimes to 24 hours', async () => {
    const result = await t.admin.raw(`mutation { createClientToken(accountId: "acme", ttlSeconds: 86401) { token } }`);
    expect(result.errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const { createClientToken } = await t.admin.request(`mutation { createClientToken(accountId: "acme") { expiresAt } }`);
    const minutes = (Date.parse(createClientToken.expiresAt) - now.getTime()) / 60_000;
    expect(Math.round(minutes)).toBe(15);
  });
});
