import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changePlan, createAccount, seedBasicCatalog } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { deliver, stripeEvent, stripeSubscription, TEST_WEBHOOK_SECRET } from '../support/stripe.js';
import { publishPricedVersion } from '../support/stripe-catalog.js';

/**
 * The account desk's filters: "has active overrides", "over a limit" and "has a sync issue", on
 * both databases. Over a limit is what the account's own entitlements say (a feature with a limit
 * whose used is above 0 and at least the limit): a property holds the filter to that oracle for
 * generated usage and lowered limits, through pages of one. The orders (id, name, creation, either
 * way) hold over every page, whatever the page size. Stripe here is signed test events
 * (the `stripe` package's helpers); Stripe's API is not reached.
 */
const DAY = 86_400_000;
const SEARCH = `query ($search: String, $first: Int, $after: String, $hasActiveOverrides: Boolean, $overLimit: Boolean, $hasSyncIssue: Boolean, $plan: String, $sort: AccountSort, $descending: Boolean) {
  accounts(search: $search, first: $first, after: $after, hasActiveOverrides: $hasActiveOverrides, overLimit: $overLimit, hasSyncIssue: $hasSyncIssue, plan: $plan, sort: $sort, descending: $descending) {
    edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`;
const ENTITLEMENTS = `query ($accountId: ID!) { entitlements(accountId: $accountId) { feature limit used } }`;
const CONSUME = `mutation ($input: ConsumeInput!) { consume(input: $input) { ok } }`;
const GRANT = `mutation ($input: GrantOverrideInput!) { grantOverride(input: $input) { id } }`;

describe.each(['postgresql', 'embedded'] as const)('the accounts filters and orders on the %s database', (database) => {
  let now = new Date('2026-06-01T12:00:00.000Z');
  let t: TestServer;
  /** Every id the filter finds, following pages of `first`. */
  const all = async (variables: Record<string, unknown>, first = 100): Promise<string[]> => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 200; pages++) {
      const { accounts }: any = await t.admin.request(SEARCH, { first, after, ...variables });
      seen.push(...accounts.edges.map((edge: any) => edge.node.id));
      if (!accounts.pageInfo.hasNextPage) return seen;
      after = accounts.pageInfo.endCursor;
    }
    throw new Error('more than 200 pages');
  };
  const consume = (accountId: string, amount: number, key: string) =>
    t.admin.request(CONSUME, { input: { accountId, feature: 'api_calls', amount, idempotencyKey: key } });
  const lowerLimit = (accountId: string, value: number, endsAt = new Date(now.getTime() + 30 * DAY)) =>
    t.admin.request(GRANT, { input: { accountId, feature: 'api_calls', effect: 'SET_LIMIT', value, endsAt: endsAt.toISOString(), reason: 'a lower limit, for the filter test', approvedBy: 'Dana (support lead)' } });

  beforeAll(async () => {
    t = await startTestServer({ database, clock: () => new Date(now), stripe: { webhookSecret: TEST_WEBHOOK_SECRET } });
    await seedBasicCatalog(t.admin);
    for (const id of ['f-plain', 'f-at-limit', 'f-over', 'f-zero', 'f-override', 'f-expired', 'f-revoked', 'f-future', 'f-issue', 'f-linked']) await createAccount(t.admin, id);
    // At the free plan's 100 calls; over a lowered limit of 10; a limit of 0 with nothing used is withheld, not hit.
    await consume('f-at-limit', 100, 'at-1');
    await consume('f-over', 40, 'over-1');
    await lowerLimit('f-over', 10);
    await lowerLimit('f-zero', 0);
    await consume('f-plain', 3, 'plain-1');
    await t.admin.request(GRANT, { input: { accountId: 'f-override', feature: 'export_csv', effect: 'GRANT', endsAt: new Date(now.getTime() + 14 * DAY).toISOString(), reason: 'a trial of exports', approvedBy: 'Dana (support lead)' } });
    await t.admin.request(GRANT, { input: { accountId: 'f-expired', feature: 'export_csv', effect: 'GRANT', endsAt: new Date(now.getTime() + DAY).toISOString(), reason: 'ends tomorrow', approvedBy: 'Dana (support lead)' } });
    const { grantOverride: revoked } = await t.admin.request(GRANT, { input: { accountId: 'f-revoked', feature: 'export_csv', effect: 'GRANT', endsAt: new Date(now.getTime() + 14 * DAY).toISOString(), reason: 'granted by mistake', approvedBy: 'Dana (support lead)' } });
    await t.admin.request(`mutation ($id: ID!) { revokeOverride(id: $id, reason: "granted by mistake") { id } }`, { id: revoked.id });
    await t.admin.request(GRANT, { input: { accountId: 'f-future', feature: 'export_csv', effect: 'GRANT', startsAt: new Date(now.getTime() + 3 * DAY).toISOString(), endsAt: new Date(now.getTime() + 14 * DAY).toISOString(), reason: 'from the renewal on', approvedBy: 'Dana (support lead)' } });
    // A subscription with a price no plan version maps: the customer is linked, the event kept as an open issue.
    const event = stripeEvent('evt_filters_unknown_price', 'customer.subscription.created', now.toISOString(), stripeSubscription({
      id: 'sub_filters1', customer: 'cus_filters1', status: 'active', account: 'f-issue', items: [{ price: 'price_nothing_maps' }],
      periodStart: '2026-06-01T00:00:00Z', periodEnd: '2026-07-01T00:00:00Z',
    }));
    expect((await deliver(t.url, event, { now })).body).toMatchObject({ outcome: 'UNMAPPED' });
    await t.admin.request(`mutation { linkBillingCustomer(accountId: "f-linked", customerId: "cus_filters2") { id } }`);
    // Two days on: f-expired's override has ended.
    now = new Date(now.getTime() + 2 * DAY);
  }, 120_000);
  afterAll(() => t?.stop());

  it('finds accounts with an override in force now, not ended, revoked or future ones', async () => {
    expect(await all({ search: 'f-', hasActiveOverrides: true })).toEqual(['f-over', 'f-override', 'f-zero']);
    expect(await all({ search: 'f-', hasActiveOverrides: false })).toEqual(['f-at-limit', 'f-expired', 'f-future', 'f-issue', 'f-linked', 'f-plain', 'f-revoked']);
  });

  it('finds accounts at or over a limit, as their entitlements say', async () => {
    expect(await all({ search: 'f-', overLimit: true })).toEqual(['f-at-limit', 'f-over']);
    expect(await all({ search: 'f-', overLimit: true }, 1)).toEqual(['f-at-limit', 'f-over']);
    expect(await all({ search: 'f-', overLimit: false }, 2)).toEqual(['f-expired', 'f-future', 'f-issue', 'f-linked', 'f-override', 'f-plain', 'f-revoked', 'f-zero']);
    expect(await all({ search: 'f-', overLimit: true, plan: 'pro' })).toEqual([]);
  });

  it('finds accounts an open sync issue is about, and drops them once it is resolved', async () => {
    expect(await all({ search: 'f-', hasSyncIssue: true })).toEqual(['f-issue']);
    expect(await all({ search: 'f-', hasSyncIssue: false })).not.toContain('f-issue');
    expect(await all({ search: 'f-', hasSyncIssue: true, hasActiveOverrides: true })).toEqual([]);
    // Once a plan version maps the price, the kept event is replayed and its issue resolved.
    await t.admin.request(`mutation { createPlan(input: { key: "filters-plan", name: "Filters", rank: 40 }) { key } }`);
    await publishPricedVersion(t.admin, { plan: 'filters-plan', price: 1_000, interval: 'MONTH', billingPriceIds: ['price_nothing_maps'], entitlements: [{ feature: 'export_csv' }] });
    expect(await all({ search: 'f-', hasSyncIssue: true })).toEqual([]);
  });

  it('reads in every order across all pages, whatever their size, each order the reverse of its descending one (property)', async () => {
    const upsert = `mutation ($input: UpsertAccountInput!) { upsertAccount(input: $input) { id } }`;
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.stringMatching(/^[a-zA-Z]{1,6}$/), { minLength: 1, maxLength: 7, selector: (name) => name }),
        fc.integer({ min: 1, max: 4 }),
        async (names, pageSize) => {
          run += 1;
          const prefix = `o${run}x`;
          // Ids in the opposite order of the names, so the name order is not the id order.
          const accounts = names.map((name, index) => ({ id: `${prefix}${String(names.length - index).padStart(2, '0')}`, name: `${prefix} ${name}` }));
          for (const account of accounts) await t.admin.request(upsert, { input: account });
          for (const sort of ['ID', 'NAME', 'CREATED'] as const) {
            const ascending = await all({ search: prefix, sort }, 100);
            expect(ascending.slice().sort()).toEqual(accounts.map((account) => account.id).sort());
            expect(await all({ search: prefix, sort }, pageSize), `${sort} in pages of ${pageSize}`).toEqual(ascending);
            expect(await all({ search: prefix, sort, descending: true }, pageSize), `${sort} descending`).toEqual(ascending.slice().reverse());
          }
          const byName = accounts.slice().sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : a.name.toLowerCase() > b.name.toLowerCase() ? 1 : a.id < b.id ? -1 : 1));
          expect(await all({ search: prefix, sort: 'NAME' }, pageSize)).toEqual(byName.map((account) => account.id));
        },
      ),
      { numRuns: Number(process.env.FC_RUNS ?? 8), seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined },
    );
  }, 300_000);

  it('refuses a cursor of another order instead of misreading it', async () => {
    const { accounts }: any = await t.admin.request(SEARCH, { first: 1, sort: 'NAME' });
    const cursor = accounts.pageInfo.endCursor;
    expect((await t.admin.request(SEARCH, { first: 1, sort: 'NAME', after: cursor })).accounts.edges).toHaveLength(1);
    await expect(t.admin.request(SEARCH, { first: 1, after: cursor })).rejects.toThrow(/BAD_USER_INPUT.*after: is not a cursor from this list in this order/);
    await expect(t.admin.request(SEARCH, { first: 1, sort: 'NAME', descending: true, after: cursor })).rejects.toThrow(/BAD_USER_INPUT/);
    const forged = Buffer.from('account:NAME:asc:["x\\u0000", "acme"]').toString('base64url');
    await expect(t.admin.request(SEARCH, { first: 1, sort: 'NAME', after: forged })).rejects.toThrow(/BAD_USER_INPUT/);
  });

  it('answers bad input with BAD_USER_INPUT', async () => {
    await expect(t.admin.request(SEARCH, { overLimit: 'yes' })).rejects.toThrow(/Boolean/);
  });

  it('over a limit agrees with the entitlements of generated accounts, through pages of one (property)', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ used: fc.integer({ min: 0, max: 100 }), lowered: fc.option(fc.integer({ min: 0, max: 120 }), { nil: null }), pro: fc.boolean() }), { minLength: 1, maxLength: 6 }),
        async (accounts) => {
          run += 1;
          const prefix = `p${run}-`;
          for (const [index, spec] of accounts.entries()) {
            const id = `${prefix}${index}`;
            await createAccount(t.admin, id);
            if (spec.pro) await changePlan(t.admin, { accountId: id, plan: 'pro' });
            if (spec.used) await consume(id, spec.used, `${id}-use`);
            if (spec.lowered !== null) await lowerLimit(id, spec.lowered);
          }
          const oracle: string[] = [];
          for (const index of accounts.keys()) {
            const id = `${prefix}${index}`;
            const { entitlements } = await t.admin.request(ENTITLEMENTS, { accountId: id });
            if (entitlements.some((entry: any) => entry.limit !== null && entry.used > 0 && entry.used >= entry.limit)) oracle.push(id);
          }
          oracle.sort();
          expect(await all({ search: prefix, overLimit: true }, 1)).toEqual(oracle);
          expect((await all({ search: prefix, overLimit: false })).length).toBe(accounts.length - oracle.length);
        },
      ),
      { numRuns: Number(process.env.FC_RUNS ?? 8), seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined },
    );
  }, 300_000);
});
