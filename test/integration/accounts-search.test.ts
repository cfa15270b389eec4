import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchAccountIds } from '../../server/dist/accounts/account-search.js';
import { subscriptionAt, subscriptionPhase } from '../../server/dist/entitlements/index.js';
import { changePlan, seedBasicCatalog } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';

const DAY = 86_400_000;
const SEARCH = `query ($search: String, $plan: String, $phase: SubscriptionPhase, $first: Int, $after: String) {
  accounts(search: $search, plan: $plan, phase: $phase, first: $first, after: $after) {
    edges { cursor node { id name subscription { phase plan } } } pageInfo { hasNextPage endCursor } } }`;

describe.each(['postgresql', 'embedded'] as const)('finding accounts on the %s database', (database) => {
  const now = new Date('2026-06-01T12:00:00.000Z');
  let t: TestServer;
  const ids = async (variables: Record<string, unknown>) =>
    (await t.admin.request(SEARCH, { first: 100, ...variables })).accounts.edges.map((edge: any) => edge.node.id);

  beforeAll(async () => {
    t = await startTestServer({ database, clock: () => new Date(now) });
    await seedBasicCatalog(t.admin);
    const upsert = `mutation ($input: UpsertAccountInput!) { upsertAccount(input: $input) { id } }`;
    await t.admin.request(upsert, { input: { id: 'acme', name: 'Acme Inc.', metadata: { region: 'EMEA', crm: { owner: 'Wile E. Coyote', tier: 2 } } } });
    await t.admin.request(upsert, { input: { id: 'globex', name: 'Globex Corporation', metadata: { region: 'US' } } });
    await t.admin.request(upsert, { input: { id: 'initech', name: 'Initech', metadata: { note: '100% organic_tps' } } });
    await t.admin.request(upsert, { input: { id: 'ACME-EU', name: 'Acme Europe GmbH' } });
    await changePlan(t.admin, { accountId: 'globex', plan: 'pro' });
    await changePlan(t.admin, { accountId: 'initech', plan: 'pro', trial: true });
    await t.admin.request(`mutation { linkBillingCustomer(accountId: "globex", customerId: "cus_Q1w2e3R4") { id } }`);
  });
  afterAll(() => t?.stop());

  it('matches any part of the id, the name and metadata values, whatever the case, but not metadata keys', async () => {
    expect(await ids({ search: 'acm' })).toEqual(['ACME-EU', 'acme']);
    expect(await ids({ search: 'ACME INC' })).toEqual(['acme']);
    expect(await ids({ search: 'coyote' })).toEqual(['acme']);
    expect(await ids({ search: 'emea' })).toEqual(['acme']);
    expect(await ids({ search: 'corporation' })).toEqual(['globex']);
    expect(await ids({ search: 'region' })).toEqual([]);
    expect(await ids({ search: 'owner' })).toEqual([]);
  });

  it('finds an account by its billing customer id, whole', async () => {
    expect(await ids({ search: 'cus_Q1w2e3R4' })).toEqual(['globex']);
    expect(await ids({ search: ' cus_Q1w2e3R4 ' })).toEqual(['globex']);
  });

  it('matches the start of an id or name for one or two characters', async () => {
    expect(await ids({ search: 'gl' })).toEqual(['globex']);
    expect(await ids({ search: 'I' })).toEqual(['initech']);
    expect(await ids({ search: 'me' })).toEqual([]);
  });

  it('takes % and _ literally', async () => {
    expect(await ids({ search: '100%' })).toEqual(['initech']);
    expect(await ids({ search: '%%%' })).toEqual([]);
    // "n_c" would match the "nic" of "organic" if _ were a wildcard.
    expect(await ids({ search: 'n_c' })).toEqual([]);
    expect(await ids({ search: 'c_t' })).toEqual(['initech']);
    expect(await ids({ search: '%' })).toEqual([]);
  });

  it('filters by the plan the account is on now (the default plan without a subscription) and by phase', async () => {
    expect(await ids({ plan: 'free' })).toEqual(['ACME-EU', 'acme']);
    expect(await ids({ plan: 'pro' })).toEqual(['globex', 'initech']);
    expect(await ids({ phase: 'TRIAL' })).toEqual(['initech']);
    expect(await ids({ phase: 'ACTIVE', plan: 'pro', search: 'glo' })).toEqual(['globex']);
    expect(await ids({ plan: 'nothing-like-it' })).toEqual([]);
  });

  it('pages by id', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const { accounts }: any = await t.admin.request(SEARCH, { first: 1, after });
      seen.push(...accounts.edges.map((edge: any) => edge.node.id));
      after = accounts.pageInfo.hasNextPage ? accounts.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toHaveLength(4);
    expect(new Set(seen).size).toBe(4);
  });

  it('answers bad input with BAD_USER_INPUT', async () => {
    for (const variables of [
      { search: 'a\u0000b' }, { search: 'x'.repeat(201) }, { search: '   ' }, { plan: 'Not A Key' }, { first: 0 }, { first: 101 },
      { after: 'bm90IGEgY3Vyc29y' }, { after: 'x'.repeat(10_000) },
    ]) {
      const answer = await t.admin.raw(SEARCH, variables);
      expect(answer.errors[0]?.extensions?.code, JSON.stringify(variables).slice(0, 60)).toBe('BAD_USER_INPUT');
    }
  });

  it('reads through the trigram and prefix indexes, not the whole table', async () => {
    const em = t.server.orm.em.fork();
    await em.execute(`insert into account (id, name, metadata, created_at, updated_at)
      select 'bulk-' || g, 'Company ' || g, jsonb_build_object('owner', 'Person ' || g), now(), now() from generate_series(1, 20000) g`);
    await em.execute(`insert into account (id, name, metadata, created_at, updated_at) values ('rare', 'Zq7x Holdings', '{}', now(), now())`);
    await em.execute('analyze account');
    const plans: string[] = [];
    const explaining = { execute: async (sql: string, params: unknown[]) => {
      const rows = await em.execute(`explain ${sql}`, params);
      plans.push(rows.map((row: Record<string, string>) => Object.values(row)[0]).join('\n'));
      return [];
    } };
    const search = (term: string) => searchAccountIds(explaining as never, { search: term, plan: null, phase: null, hasActiveOverrides: null, hasSyncIssue: null, hasUsage: false, sort: 'ID', descending: false, first: 20, after: null }, now);
    await search('zq7x hold');
    await search('zq');
    expect(plans[0]).toMatch(/account_search_text_trgm/);
    // A name prefix reads either name index: the pattern one, or the (lower(name), id) order one
    // where the database's collation lets a range on it stand for the prefix.
    expect(plans[1]).toMatch(/account_name_lower_prefix|account_name_order/);
    expect(plans[1]).toMatch(/account_id_lower_prefix/);
    expect(plans.join('\n')).not.toMatch(/Seq Scan on account/);
    expect(await ids({ search: 'zq7x hold' })).toEqual(['rare']);
    expect(await ids({ search: 'zq' })).toEqual(['rare']);
  });

  /**
   * Property: for any subscription (status, trial and grace ends, cancellation at period end, a
   * scheduled change, the versions' grace days, each around `now`), `accounts(phase: X)` finds
   * the account exactly when the evaluator's subscriptionPhase(subscriptionAt(…)) says X.
   */
  it('filters by phase exactly as the evaluator computes it', async () => {
    await changePlan(t.admin, { accountId: 'acme', plan: 'pro' });
    const em = t.server.orm.em.fork();
    const [{ pro, free }] = await em.execute(`select
      (select pv.id from plan_version pv join plan p on p.id = pv.plan_id where p.key = 'pro') as pro,
      (select pv.id from plan_version pv join plan p on p.id = pv.plan_id where p.key = 'free') as free`);
    const offset = fc.oneof(fc.constantFrom(-1, 0, 1), fc.integer({ min: -20 * DAY, max: 20 * DAY }));
    const shape = fc.record({
      status: fc.constantFrom('TRIALING', 'ACTIVE', 'PAST_DUE', 'CANCELED', 'EXPIRED'),
      trialEnd: fc.option(offset),
      graceEnd: fc.option(offset),
      cancelAtPeriodEnd: fc.boolean(),
      periodEnd: offset,
      scheduledAt: fc.option(offset),
      proGraceDays: fc.integer({ min: 0, max: 5 }),
      freeGraceDays: fc.integer({ min: 0, max: 5 }),
    });
    await fc.assert(fc.asyncProperty(shape, async (s) => {
      const at = (ms: number | null) => (ms === null ? null : new Date(now.getTime() + ms));
      await em.execute('update plan_version set trial_grace_days = ? where id = ?', [s.proGraceDays, pro]);
      await em.execute('update plan_version set trial_grace_days = ? where id = ?', [s.freeGraceDays, free]);
      const periodEnd = at(s.periodEnd)!;
      await em.execute(`update subscription set status = ?, trial_ends_at = ?, grace_ends_at = ?, cancel_at_period_end = ?,
        current_period_start = ?, current_period_end = ?, scheduled_plan_version_id = ?, scheduled_change_at = ?, plan_version_id = ?
        where account_id = 'acme'`, [
        s.status, at(s.trialEnd), at(s.graceEnd), s.cancelAtPeriodEnd, new Date(periodEnd.getTime() - 30 * DAY), periodEnd,
        s.scheduledAt === null ? null : free, at(s.scheduledAt), pro,
      ]);
      const state = {
        planVersionId: pro, status: s.status, trialEndsAt: at(s.trialEnd), graceEndsAt: at(s.graceEnd), cancelAtPeriodEnd: s.cancelAtPeriodEnd,
        currentPeriodStart: new Date(periodEnd.getTime() - 30 * DAY), currentPeriodEnd: periodEnd,
        scheduledChange: s.scheduledAt === null ? null : { planVersionId: free, at: at(s.scheduledAt)! },
      };
      const current = subscriptionAt(state, () => 'MONTH', now);
      const expected = subscriptionPhase(current, current.planVersionId === free ? s.freeGraceDays : s.proGraceDays, now).phase;
      const found = await ids({ search: 'acme inc', phase: expected });
      expect(found, JSON.stringify({ ...s, expected })).toEqual(['acme']);
    }), { numRuns: 60 });
  });
});
