import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, seedBasicCatalog } from '../support/fixtures.js';
import type { GraphQLResult } from '../support/graphql-client.js';
import { liveClient } from '../support/live-client.js';
import { asSession, GOOD_PASSWORD, postAuth, signedInOperator } from '../support/operators.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Every root field against every kind of caller: no credential, revoked and expired ones, client
 * tokens, server and admin keys, an operator of each role, and ended and deactivated sessions.
 * The permission table of DESIGN.md ("Operators: people, roles, sessions, approvals") is written
 * out again here, independently of the server's copy, and each field names the row it needs. A
 * new root field fails the first test until it is added to `operations` (or, for a subscription,
 * `subscriptions`) with its rule, so nothing ships unguarded.
 */
type Permission =
  | 'READ' | 'READ_OPERATIONS' | 'REQUEST_OVERRIDE' | 'GRANT_OVERRIDE' | 'APPROVE_OVERRIDE'
  | 'MANAGE_SUBSCRIPTIONS' | 'MANAGE_BILLING' | 'EDIT_CATALOG' | 'MANAGE_ACCESS';
/** A permission row; `account` one account's reads; `anyCredential`; `program` a host backend's work (keys only); `operator` one's own session. */
type Rule = Permission | 'account' | 'anyCredential' | 'program' | 'operator';
type Role = 'VIEWER' | 'SUPPORT' | 'BILLING' | 'PRICING' | 'OWNER';

const ROLES: Role[] = ['VIEWER', 'SUPPORT', 'BILLING', 'PRICING', 'OWNER'];
/** DESIGN.md's table: which operator roles hold each row. */
const TABLE: Record<Permission, Role[]> = {
  READ: ROLES,
  READ_OPERATIONS: ROLES,
  REQUEST_OVERRIDE: ['SUPPORT', 'BILLING', 'OWNER'],
  GRANT_OVERRIDE: ['SUPPORT', 'BILLING', 'OWNER'],
  APPROVE_OVERRIDE: ['BILLING', 'OWNER'],
  MANAGE_SUBSCRIPTIONS: ['BILLING', 'OWNER'],
  MANAGE_BILLING: ['BILLING', 'OWNER'],
  EDIT_CATALOG: ['PRICING', 'OWNER'],
  MANAGE_ACCESS: ['OWNER'],
};
/** What a server key held before operators existed, and still holds. */
const SERVER_KEY: Permission[] = ['READ', 'MANAGE_SUBSCRIPTIONS'];

const NOBODY = '00000000-0000-4000-8000-000000000000';
const operations: Record<string, { rule: Rule; document: string }> = {
  entitlement: { rule: 'account', document: `{ entitlement(accountId: "acme", feature: "seats") { allowed } }` },
  entitlements: { rule: 'account', document: `{ entitlements(accountId: "acme") { allowed } }` },
  upgradeOffers: { rule: 'account', document: `{ upgradeOffers(accountId: "acme", feature: "seats") { key } }` },
  usage: { rule: 'account', document: `{ usage(accountId: "acme", feature: "seats") { used } }` },
  usageHistory: { rule: 'account', document: `{ usageHistory(accountId: "acme", feature: "seats", days: 1) { days { counted } } }` },
  currentPlan: { rule: 'account', document: `{ currentPlan(accountId: "acme") { plan { key } subscription { status } } }` },
  account: { rule: 'READ', document: `{ account(id: "acme") { id } }` },
  accounts: { rule: 'READ', document: `{ accounts(search: "acm", first: 1) { edges { node { id } } } }` },
  features: { rule: 'READ', document: `{ features { key } }` },
  plans: { rule: 'READ', document: `{ plans { key } }` },
  publishedPlans: { rule: 'anyCredential', document: `{ publishedPlans { key version } }` },
  addOns: { rule: 'READ', document: `{ addOns { key } }` },
  auditLog: { rule: 'READ_OPERATIONS', document: `{ auditLog(first: 1) { edges { cursor } } }` },
  apiKeys: { rule: 'MANAGE_ACCESS', document: `{ apiKeys { id } }` },
  billingSyncIssues: { rule: 'READ_OPERATIONS', document: `{ billingSyncIssues(first: 1) { edges { cursor } } }` },
  createFeature: { rule: 'EDIT_CATALOG', document: `mutation { createFeature(input: { key: "BAD", name: "x", kind: SWITCH }) { key } }` },
  createPlan: { rule: 'EDIT_CATALOG', document: `mutation { createPlan(input: { key: "BAD", name: "x", rank: 1 }) { key } }` },
  createPlanVersion: {
    rule: 'EDIT_CATALOG',
    document: `mutation { createPlanVersion(input: { plan: "ghost", price: { amount: 1, currency: "USD" }, entitlements: [] }) { id } }`,
  },
  updatePlanVersion: { rule: 'EDIT_CATALOG', document: `mutation { updatePlanVersion(input: { plan: "ghost", version: 1 }) { id } }` },
  publishPlanVersion: { rule: 'EDIT_CATALOG', document: `mutation { publishPlanVersion(plan: "ghost", version: 1) { id } }` },
  createAddOn: {
    rule: 'EDIT_CATALOG',
    document: `mutation { createAddOn(input: { key: "BAD", name: "x", price: { amount: 1, currency: "USD" }, grants: [] }) { key } }`,
  },
  upsertAccount: { rule: 'MANAGE_SUBSCRIPTIONS', document: `mutation { upsertAccount(input: { id: "", name: "x" }) { id } }` },
  changePlan: { rule: 'MANAGE_SUBSCRIPTIONS', document: `mutation { changePlan(input: { accountId: "ghost", plan: "pro" }) { id } }` },
  setAddOn: { rule: 'MANAGE_SUBSCRIPTIONS', document: `mutation { setAddOn(accountId: "ghost", addOn: "x", quantity: 1) { id } }` },
  updateSubscriptionStatus: {
    rule: 'MANAGE_SUBSCRIPTIONS',
    document: `mutation { updateSubscriptionStatus(input: { accountId: "ghost", status: ACTIVE, reason: "x" }) { id } }`,
  },
  extendTrial: {
    rule: 'GRANT_OVERRIDE',
    document: `mutation { extendTrial(input: { accountId: "ghost", endsAt: "2030-01-01T00:00:00Z", reason: "x" }) { id } }`,
  },
  reconcileBilling: { rule: 'MANAGE_BILLING', document: `mutation { reconcileBilling { fixed } }` },
  cancelSubscription: {
    rule: 'MANAGE_SUBSCRIPTIONS',
    document: `mutation { cancelSubscription(input: { accountId: "ghost", reason: "x" }) { id } }`,
  },
  grantOverride: {
    rule: 'GRANT_OVERRIDE',
    document: `mutation { grantOverride(input: { accountId: "ghost", feature: "seats", effect: GRANT, permanent: true, reason: "x", approvedBy: "y" }) { id } }`,
  },
  revokeOverride: { rule: 'GRANT_OVERRIDE', document: `mutation { revokeOverride(id: "${NOBODY}", reason: "x") { id } }` },
  consume: { rule: 'program', document: `mutation { consume(input: { accountId: "ghost", feature: "seats", idempotencyKey: "k" }) { ok } }` },
  release: { rule: 'program', document: `mutation { release(input: { accountId: "ghost", feature: "seats", idempotencyKey: "k" }) { ok } }` },
  setUsage: { rule: 'program', document: `mutation { setUsage(input: { accountId: "ghost", feature: "seats", value: 1, reason: "x" }) { used } }` },
  reportUsage: { rule: 'program', document: `mutation { reportUsage(events: []) { accepted } }` },
  createApiKey: { rule: 'MANAGE_ACCESS', document: `mutation { createApiKey(input: { name: "", role: SERVER }) { secret } }` },
  revokeApiKey: { rule: 'MANAGE_ACCESS', document: `mutation { revokeApiKey(id: "${NOBODY}") { id } }` },
  createClientToken: { rule: 'program', document: `mutation { createClientToken(accountId: "ghost") { token } }` },
  linkBillingCustomer: { rule: 'MANAGE_BILLING', document: `mutation { linkBillingCustomer(accountId: "ghost", customerId: "cus_Ghost") { id } }` },
  compareEntitlement: {
    rule: 'program',
    document: `mutation { compareEntitlement(input: { accountId: "acme", feature: "seats", legacyAllowed: true }) { agreed } }`,
  },
  compareEntitlements: {
    rule: 'program',
    document: `mutation { compareEntitlements(inputs: [{ accountId: "acme", feature: "seats", legacyAllowed: true }]) { compared } }`,
  },
  shadowReport: { rule: 'READ', document: `{ shadowReport { compared byFeature { feature samples { agreed } } } }` },
  previewPlanMigration: { rule: 'READ_OPERATIONS', document: `{ previewPlanMigration(input: { plan: "pro" }) { accounts } }` },
  planMigration: { rule: 'READ_OPERATIONS', document: `{ planMigration(id: "${NOBODY}") { id } }` },
  planMigrations: { rule: 'READ_OPERATIONS', document: `{ planMigrations(first: 1) { id } }` },
  startPlanMigration: { rule: 'EDIT_CATALOG', document: `mutation { startPlanMigration(input: { plan: "ghost" }, reason: "x") { id } }` },
  me: { rule: 'operator', document: `{ me { operator { email role } permissions } }` },
  operators: { rule: 'MANAGE_ACCESS', document: `{ operators(first: 1) { edges { node { email } } } }` },
  inviteOperator: { rule: 'MANAGE_ACCESS', document: `mutation { inviteOperator(input: { email: "not an email", name: "x", role: OWNER }) { link } }` },
  setOperatorRole: { rule: 'MANAGE_ACCESS', document: `mutation { setOperatorRole(id: "${NOBODY}", role: OWNER) { id } }` },
  deactivateOperator: { rule: 'MANAGE_ACCESS', document: `mutation { deactivateOperator(id: "${NOBODY}") { id } }` },
  createPasswordResetLink: { rule: 'MANAGE_ACCESS', document: `mutation { createPasswordResetLink(id: "${NOBODY}") { link } }` },
  operatorSessions: { rule: 'MANAGE_ACCESS', document: `{ operatorSessions(operatorId: "${NOBODY}") { id } }` },
  endOperatorSession: { rule: 'MANAGE_ACCESS', document: `mutation { endOperatorSession(operatorId: "${NOBODY}", sessionId: "${'0'.repeat(32)}") { id } }` },
  overrideRequests: { rule: 'READ_OPERATIONS', document: `{ overrideRequests(first: 1) { edges { node { id } } } }` },
  requestOverride: {
    rule: 'REQUEST_OVERRIDE',
    document: `mutation { requestOverride(input: { accountId: "ghost", feature: "seats", effect: GRANT, permanent: true, reason: "x" }) { id } }`,
  },
  approveOverrideRequest: { rule: 'APPROVE_OVERRIDE', document: `mutation { approveOverrideRequest(id: "${NOBODY}") { id } }` },
  rejectOverrideRequest: { rule: 'APPROVE_OVERRIDE', document: `mutation { rejectOverrideRequest(id: "${NOBODY}", reason: "x") { id } }` },
};

/** Root subscription fields, asked over WebSocket (graphql-ws) with the caller's credential in connectionParams, or its session cookie. */
const subscriptions: Record<string, { rule: Rule; document: string }> = {
  entitlementsChanged: { rule: 'account', document: `subscription { entitlementsChanged(accountId: "acme") { accountId } }` },
  overrideRequestsChanged: { rule: 'READ_OPERATIONS', document: `subscription { overrideRequestsChanged { at } }` },
};

let now = new Date();
let t: TestServer;
/** Each caller's way in: a bearer credential (or none), or an operator's session cookie. */
const credentials: Record<string, { bearer: string | null } | { session: string }> = {};

/** A caller's GraphQL request, over HTTP as a script (bearer) or the console (cookie) sends it. */
async function ask(caller: string, document: string): Promise<GraphQLResult<Record<string, any>>> {
  const credential = credentials[caller]!;
  if ('session' in credential) {
    const answer = await asSession(t.server.graphqlUrl, credential.session, document);
    return { data: answer.data, errors: answer.errors };
  }
  return t.as(credential.bearer).raw(document);
}

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
    none: { bearer: null },
    revokedKey: { bearer: revoked.secret },
    expiredToken: { bearer: expired },
    otherAccountToken: { bearer: await token('other') },
    ownToken: { bearer: await token('acme') },
    serverKey: { bearer: server.secret },
    adminKey: { bearer: admin.secret },
  });
  for (const role of ROLES) credentials[role] = { session: (await signedInOperator(t, `${role.toLowerCase()}@example.com`, role)).session };

  // A session after sign-out, and one of an operator deactivated since: refused like no credential.
  const leaving = await signedInOperator(t, 'leaving@example.com', 'OWNER');
  const signedOut = await postAuth(t.url, '/auth/login', { email: 'leaving@example.com', password: GOOD_PASSWORD });
  await postAuth(t.url, '/auth/logout', null, { cookie: signedOut.sessionCookie! });
  credentials.endedSession = { session: signedOut.sessionCookie! };
  await t.admin.request(`mutation ($id: ID!) { deactivateOperator(id: $id) { state } }`, { id: leaving.id });
  credentials.deactivatedSession = { session: leaving.session };
});
afterAll(() => t?.stop());

const REFUSED_CREDENTIALS = ['none', 'revokedKey', 'expiredToken', 'endedSession', 'deactivatedSession'];

function expected(caller: string, rule: Rule): 'UNAUTHENTICATED' | 'FORBIDDEN' | 'ALLOWED' {
  if (REFUSED_CREDENTIALS.includes(caller)) return 'UNAUTHENTICATED';
  if (rule === 'anyCredential') return 'ALLOWED';
  if (caller === 'ownToken') return rule === 'account' ? 'ALLOWED' : 'FORBIDDEN';
  if (caller === 'otherAccountToken') return 'FORBIDDEN';
  const role = ROLES.find((name) => name === caller);
  if (role) {
    if (rule === 'account' || rule === 'operator') return 'ALLOWED';
    if (rule === 'program') return 'FORBIDDEN';
    return TABLE[rule].includes(role) ? 'ALLOWED' : 'FORBIDDEN';
  }
  // API keys: no session, so `me` is refused; program work and account reads are theirs.
  if (rule === 'operator') return 'FORBIDDEN';
  if (rule === 'account' || rule === 'program') return 'ALLOWED';
  if (caller === 'adminKey') return 'ALLOWED';
  return SERVER_KEY.includes(rule) ? 'ALLOWED' : 'FORBIDDEN';
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

  const callerNames = () => Object.keys(credentials);
  for (const [field, { rule, document }] of Object.entries(operations)) {
    it(`guards ${field} (${rule}) for every caller, every operator role included`, async () => {
      expect(callerNames()).toHaveLength(REFUSED_CREDENTIALS.length + 4 + ROLES.length);
      for (const caller of callerNames()) {
        const result = await ask(caller, document);
        const codes = result.errors.map((error) => error.extensions?.code);
        const outcome = codes.includes('UNAUTHENTICATED') ? 'UNAUTHENTICATED' : codes.includes('FORBIDDEN') ? 'FORBIDDEN' : 'ALLOWED';
        expect(outcome, `${field} as ${caller}: ${JSON.stringify(result.errors)}`).toBe(expected(caller, rule));
        if (outcome !== 'ALLOWED') expect(result.data?.[field] ?? null).toBeNull();
        // Never an internal error, whoever asks.
        expect(codes, `${field} as ${caller}`).not.toContain('INTERNAL_SERVER_ERROR');
      }
    });
  }

  for (const [field, { rule, document }] of Object.entries(subscriptions)) {
    it(`guards the subscription ${field} (${rule}) for every caller, over WebSocket`, async () => {
      for (const caller of callerNames()) {
        const credential = credentials[caller]!;
        const client = 'session' in credential
          ? liveClient(t.server.graphqlUrl, null, { cookie: `tollgate_session=${credential.session}`, origin: t.url })
          : liveClient(t.server.graphqlUrl, credential.bearer);
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
    const missing = await ask('none', operations.features!.document);
    expect(missing.errors[0]?.message).toMatch(/Authorization: Bearer/);
    const revoked = await ask('revokedKey', operations.features!.document);
    expect(revoked.errors[0]?.message).toMatch(/revoked/);
    const expired = await ask('expiredToken', operations.entitlement!.document);
    expect(expired.errors[0]?.message).toMatch(/expired/);
    const malformed = await t.as('tg_admin_short').raw(operations.features!.document);
    expect(malformed.errors[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const forged = await t.as('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhY21lIn0.c2lnbmF0dXJl').raw(operations.entitlement!.document);
    expect(forged.errors[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses another account the same way whether it exists or not, leaking nothing', async () => {
    const existing = await ask('ownToken', `{ entitlement(accountId: "other", feature: "seats") { allowed } }`);
    const missing = await ask('ownToken', `{ entitlement(accountId: "no-such-account", feature: "seats") { allowed } }`);
    expect(existing.errors).toEqual(missing.errors);
    expect(JSON.stringify(existing)).not.toMatch(/other/);
    const existingPlan = await ask('ownToken', `{ currentPlan(accountId: "other") { plan { key } } }`);
    const missingPlan = await ask('ownToken', `{ currentPlan(accountId: "no-such-account") { plan { key } } }`);
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
