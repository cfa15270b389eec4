import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changePlan, createAccount, createFeature, createPublishedPlan } from '../support/fixtures.js';
import { sql } from '../support/metering.js';
import { startTestServer, TEST_ADMIN_KEY, type TestServer } from '../support/server.js';

const NUL = 'a\u0000b';
const LONE_SURROGATE = 'a\uD800b';

/** Rows that any write would add to; a refused request must leave them as they were. */
async function footprint(t: TestServer): Promise<Record<string, number>> {
  const tables = ['audit_entry', 'usage_event', 'usage_counter', 'override', 'account', 'feature', 'api_key'];
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const [row] = await sql<{ count: string }>(t, `select count(*) as count from "${table}"`);
    counts[table] = Number(row!.count);
  }
  return counts;
}

describe.each(['postgresql', 'embedded'] as const)('strings PostgreSQL cannot store, on the %s database', (database) => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer({ database });
    await createFeature(t.admin, { key: 'seats', kind: 'QUANTITY' });
    await createPublishedPlan(t.admin, { key: 'team', rank: 1 }, [{ feature: 'seats', limit: 10 }]);
    await createAccount(t.admin, 'acme');
    await changePlan(t.admin, { accountId: 'acme', plan: 'team' });
  });
  afterAll(() => t?.stop());

  // One row per place a free-text string is stored, with the field the error must name.
  const places: [string, string, (text: string) => Record<string, unknown>, string][] = [
    ['an idempotency key', `mutation ($input: ConsumeInput!) { consume(input: $input) { ok } }`,
      (text) => ({ input: { accountId: 'acme', feature: 'seats', idempotencyKey: text } }), 'idempotencyKey'],
    ['a reason', `mutation ($input: SetUsageInput!) { setUsage(input: $input) { used } }`,
      (text) => ({ input: { accountId: 'acme', feature: 'seats', value: 1, reason: text } }), 'reason'],
    ['a feature name', `mutation ($input: CreateFeatureInput!) { createFeature(input: $input) { key } }`,
      (text) => ({ input: { key: 'projects', name: text, kind: 'QUANTITY' } }), 'name'],
    ['a description', `mutation ($input: CreateFeatureInput!) { createFeature(input: $input) { key } }`,
      (text) => ({ input: { key: 'projects', name: 'Projects', kind: 'QUANTITY', description: text } }), 'description'],
    ['a metadata value', `mutation ($input: UpsertAccountInput!) { upsertAccount(input: $input) { id } }`,
      (text) => ({ input: { id: 'acme', name: 'Acme', metadata: { crm: { owner: text } } } }), 'metadata.crm.owner'],
    ['a metadata key', `mutation ($input: UpsertAccountInput!) { upsertAccount(input: $input) { id } }`,
      (text) => ({ input: { id: 'acme', name: 'Acme', metadata: { [text]: 1 } } }), 'metadata.(key)'],
    ['an override approver', `mutation ($input: GrantOverrideInput!) { grantOverride(input: $input) { id } }`,
      (text) => ({ input: { accountId: 'acme', feature: 'seats', effect: 'GRANT', permanent: true, reason: 'x', approvedBy: text } }), 'approvedBy'],
  ];

  for (const [label, text] of [['a NUL character', NUL], ['an unpaired surrogate', LONE_SURROGATE]] as const) {
    it.each(places)(`refuses ${label} in %s as BAD_USER_INPUT naming the field, writing nothing`, async (_place, query, variables, field) => {
      const before = await footprint(t);
      const result = await t.admin.raw(query, variables(text));
      expect(result.errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(result.errors[0]?.extensions?.fields).toEqual(expect.arrayContaining([expect.objectContaining({ path: field })]));
      expect(await footprint(t)).toEqual(before);
    });
  }

  it('refuses metadata nested 5,000 deep as BAD_USER_INPUT, without running out of stack', async () => {
    // Built as text: JSON.stringify itself overflows the stack at this depth.
    const deep = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
    const body = `{"query":"mutation ($input: UpsertAccountInput!) { upsertAccount(input: $input) { id } }",` +
      `"variables":{"input":{"id":"acme","name":"Acme","metadata":{"tier":${deep}}}}}`;
    const before = await footprint(t);
    const response = await fetch(t.server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_ADMIN_KEY}` },
      body,
    });
    const result = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(result.errors[0]!.extensions.code).toBe('BAD_USER_INPUT');
    expect(result.errors[0]!.message).toMatch(/metadata\.tier(\.a)+: is nested more than 32 levels deep/);
    expect(await footprint(t)).toEqual(before);
  });

  it('answers reads about ids no account can have as not found, never an internal error', async () => {
    const result = await t.admin.raw(
      `query ($id: ID!) {
        account(id: $id) { id }
        auditLog(accountId: $id) { edges { cursor } }
      }`,
      { id: NUL },
    );
    expect(result.errors).toEqual([]);
    expect(result.data).toEqual({ account: null, auditLog: { edges: [] } });
    const entitlement = await t.admin.raw(`query ($id: ID!) { entitlement(accountId: $id, feature: "seats") { allowed } }`, { id: NUL });
    expect(entitlement.errors[0]?.extensions?.code).toBe('ACCOUNT_NOT_FOUND');
    const publish = await t.admin.raw(`mutation ($plan: String!) { publishPlanVersion(plan: $plan, version: 1) { version } }`, { plan: NUL });
    expect(publish.errors[0]?.extensions?.code).toBe('PLAN_NOT_FOUND');
  });

  it('refuses an audit cursor past the largest sequence number as a bad cursor', async () => {
    const cursor = Buffer.from('audit:9999999999999999999').toString('base64url');
    const result = await t.admin.raw(`query ($after: String) { auditLog(after: $after) { edges { cursor } } }`, { after: cursor });
    expect(result.errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors[0]?.message).toMatch(/after: is not a cursor from this log/);
  });
});
