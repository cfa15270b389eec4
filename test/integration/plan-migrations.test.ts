import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotDatabase, snapshotDifferences } from '../support/database-snapshot.js';
import { createAccount, createFeature, createPublishedPlan, ENTITLEMENT_QUERY, publishVersion } from '../support/fixtures.js';
import { CONSUME, RELEASE, sql } from '../support/metering.js';
import { allChanges, holdings, MIGRATION, PREVIEW, START, type PreviewChange } from '../support/plan-migrations.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Plan migrations on PostgreSQL, through the real HTTP API: the preview writes nothing and says
 * exactly what the migration then does, account by account; usage is kept; pinned accounts are
 * skipped unless named; nobody is migrated twice; PERIOD_END waits for each account's period end.
 * Each test builds its own plan and accounts (a "cohort") on one server whose clock it controls.
 */

const DAY = 86_400_000;
const START_OF_TESTS = new Date('2026-03-10T12:00:00.000Z');
let t: TestServer;
let now = START_OF_TESTS;

/** pro-like plan versions: v1 the legacy one, v2 the new one (sso instead of CSV export, fewer seats, unlimited calls, $10 more). */
const V1 = [{ feature: 'export_csv' }, { feature: 'seats', limit: 20 }, { feature: 'api_calls', limit: 10000, period: 'MONTH' }, { feature: 'projects', limit: 10 }];
const V2 = [{ feature: 'sso' }, { feature: 'seats', limit: 10 }, { feature: 'api_calls', limit: null, period: 'MONTH' }, { feature: 'projects', limit: 10 }];


const changePlan = (input: Record<string, unknown>) =>
  t.admin.request(`mutation ($input: ChangePlanInput!) { changePlan(input: $input) { subscription { pinned } } }`, { input });
const consume = (accountId: string, feature: string, amount: number) =>
  t.admin.request(CONSUME, { input: { accountId, feature, amount, idempotencyKey: `${accountId}-${feature}-${amount}-${Math.random()}` } });

/**
 * A plan `key` with v1 and v2 published (v2 the newest) and accounts on it:
 * busy (v1, 15 seats and 500 calls used), calm (v1, 3 seats), contract (v1, pinned), trial (a v1 trial),
 * special (v1, seats raised to 50 by an override) and newer (already on v2).
 */
async function cohort(key: string) {
  await createPublishedPlan(t.admin, { key, rank: 10, price: 2900, trialDays: 14 }, V1);
  await publishVersion(t.admin, key, V2, { price: 3900 });
  const id = (name: string) => `${key}-${name}`;
  for (const name of ['busy', 'calm', 'contract', 'trial', 'special', 'newer']) await createAccount(t.admin, id(name));
  for (const name of ['busy', 'calm', 'special']) await changePlan({ accountId: id(name), plan: key, version: 1 });
  await changePlan({ accountId: id('contract'), plan: key, version: 1, pinned: true });
  await changePlan({ accountId: id('trial'), plan: key, version: 1, trial: true });
  await changePlan({ accountId: id('newer'), plan: key, version: 2 });
  await consume(id('busy'), 'seats', 15);
  await consume(id('busy'), 'api_calls', 500);
  await consume(id('calm'), 'seats', 3);
  await t.admin.request(`mutation ($input: GrantOverrideInput!) { grantOverride(input: $input) { id } }`, {
    input: { accountId: id('special'), feature: 'seats', effect: 'SET_LIMIT', value: 50, permanent: true, reason: 'negotiated', approvedBy: 'Sales' },
  });
  return id;
}

/** The audit entries of an account with this action. */
async function auditEntries(accountId: string, action: string) {
  const { auditLog } = await t.admin.request(
    `query ($id: ID) { auditLog(accountId: $id, first: 100) { edges { node { action actor reason before after } } } }`,
    { id: accountId },
  );
  return auditLog.edges.map((edge: { node: any }) => edge.node).filter((entry: { action: string }) => entry.action === action);
}

/** The diff the API's own entitlements show between two readings of an account, in the preview's shape. */
function observedDiff(before: Awaited<ReturnType<typeof holdings>>, after: Awaited<ReturnType<typeof holdings>>) {
  const features = [...before.keys()].sort();
  return {
    featuresGained: features.filter((feature) => after.get(feature)!.held && !before.get(feature)!.held),
    featuresLost: features.filter((feature) => before.get(feature)!.held && !after.get(feature)!.held),
    limitChanges: features
      .filter((feature) => ['seats', 'projects', 'api_calls'].includes(feature))
      .filter((feature) => before.get(feature)!.held && after.get(feature)!.held && before.get(feature)!.limit !== after.get(feature)!.limit)
      .map((feature) => ({ feature, from: before.get(feature)!.limit, to: after.get(feature)!.limit, used: after.get(feature)!.used })),
  };
}

describe.each(['postgresql', 'embedded'] as const)('plan migrations on the %s database', (database) => {
  beforeAll(async () => {
    now = START_OF_TESTS;
    t = await startTestServer({ database, clock: () => new Date(now) });
    await createFeature(t.admin, { key: 'export_csv', kind: 'SWITCH' });
    await createFeature(t.admin, { key: 'sso', kind: 'SWITCH' });
    await createFeature(t.admin, { key: 'seats', kind: 'QUANTITY' });
    await createFeature(t.admin, { key: 'projects', kind: 'QUANTITY' });
    await createFeature(t.admin, { key: 'api_calls', kind: 'METERED' });
    await createPublishedPlan(t.admin, { key: 'free', rank: 0, isDefault: true }, [{ feature: 'seats', limit: 2 }, { feature: 'api_calls', limit: 100 }]);
  });
  afterAll(() => t?.stop());

  describe('previewing and running', () => {
    it('previews how many accounts move, the monthly revenue change and each account\'s diff, writing nothing', async () => {
      const id = await cohort('preview');
      const before = await snapshotDatabase(t);
      const { previewPlanMigration: preview } = await t.admin.request(PREVIEW, { input: { plan: 'preview' }, first: 10 });
      expect(snapshotDifferences(before, await snapshotDatabase(t))).toEqual([]);

      expect(preview).toMatchObject({ plan: 'preview', fromVersions: null, toPlan: 'preview', toVersion: 2, effective: 'NOW', selected: 6, accounts: 4, skipped: 2 });
      expect(preview.skippedByReason).toEqual([{ reason: 'ALREADY_ON_TARGET', accounts: 1 }, { reason: 'PINNED', accounts: 1 }]);
      expect(preview.skippedAccounts.edges.map((edge: any) => edge.node)).toEqual([
        { accountId: id('contract'), fromVersion: 1, outcome: 'SKIPPED', reason: 'PINNED' },
        { accountId: id('newer'), fromVersion: 2, outcome: 'SKIPPED', reason: 'ALREADY_ON_TARGET' },
      ]);
      // busy, calm and special pay $29 and will pay $39; the trial pays nothing yet.
      expect(preview.monthlyRevenueChange).toEqual([{ amount: 3000, currency: 'USD', formatted: '$30.00' }]);

      const changes = await allChanges(t.admin, { plan: 'preview' }, 2);
      expect(changes.map((change) => change.accountId)).toEqual([id('busy'), id('calm'), id('special'), id('trial')]);
      expect(changes[0]).toEqual({
        accountId: id('busy'),
        fromVersion: 1,
        toVersion: 2,
        effectiveAt: now.toISOString(),
        featuresGained: ['sso'],
        featuresLost: ['export_csv'],
        limitChanges: [
          { feature: 'api_calls', from: 10000, to: null, used: 500 },
          { feature: 'seats', from: 20, to: 10, used: 15 },
        ],
        wouldBeOverLimit: true,
        priceChange: [{ amount: 1000, currency: 'USD' }],
      } satisfies PreviewChange);
      // The override's limit applies on both sides: seats do not change for special.
      expect(changes[2]!.limitChanges).toEqual([{ feature: 'api_calls', from: 10000, to: null, used: 0 }]);
      expect(changes[2]!.wouldBeOverLimit).toBe(false);

      const foreign = await t.admin.raw(PREVIEW, { input: { plan: 'preview' }, first: 2, after: 'not-a-cursor' });
      expect(foreign.errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('moves each account exactly as its preview said: the same gains, losses, limits and usage, one audit entry each with the migration id', async () => {
      const id = await cohort('match');
      const previewed = await allChanges(t.admin, { plan: 'match' }, 3);
      const { previewPlanMigration } = await t.admin.request(PREVIEW, { input: { plan: 'match' } });
      const before = new Map(await Promise.all(previewed.map(async (change) => [change.accountId, await holdings(t.admin, change.accountId)] as const)));

      const { startPlanMigration: migration } = await t.admin.request(START, { input: { plan: 'match' }, reason: 'Pro v2 launch' });
      // Six accounts fit in one batch: the migration has finished by its answer.
      expect(migration).toMatchObject({ status: 'COMPLETED', total: 6, migrated: 4, skipped: 2, failed: 0, pending: 0, reason: 'Pro v2 launch', actor: 'bootstrap admin (TOLLGATE_ADMIN_KEY)' });

      for (const change of previewed) {
        const after = await holdings(t.admin, change.accountId);
        expect(observedDiff(before.get(change.accountId)!, after), change.accountId).toEqual({
          featuresGained: change.featuresGained,
          featuresLost: change.featuresLost,
          limitChanges: change.limitChanges,
        });
        const { entitlement } = await t.admin.request(ENTITLEMENT_QUERY, { accountId: change.accountId, feature: 'seats' });
        expect(entitlement.plan.version).toBe(change.toVersion);

        const entries = await auditEntries(change.accountId, 'subscription.migrate');
        expect(entries).toHaveLength(1);
        expect(entries[0]).toMatchObject({ actor: 'bootstrap admin (TOLLGATE_ADMIN_KEY)', reason: 'Pro v2 launch', before: { plan: 'match', version: 1 } });
        expect(entries[0].after).toMatchObject({ plan: 'match', version: 2, migrationId: migration.id, effective: 'NOW' });
        // The same shape as the entries changePlan writes, dates in the same form.
        const [changed] = await auditEntries(change.accountId, 'subscription.change_plan');
        expect(Object.keys(entries[0].before).sort()).toEqual(Object.keys(changed.after).sort());
        expect(entries[0].before.currentPeriodStart).toBe(changed.after.currentPeriodStart);
      }

      // The migration's own record of each account agrees with the preview's lists.
      const { planMigration } = await t.admin.request(MIGRATION, { id: migration.id });
      const outcomes = planMigration.accounts.edges.map((edge: any) => edge.node);
      expect(outcomes.filter((node: any) => node.outcome === 'MIGRATED').map((node: any) => node.accountId)).toEqual(previewed.map((change) => change.accountId));
      expect(outcomes.filter((node: any) => node.outcome === 'SKIPPED')).toEqual(previewPlanMigration.skippedAccounts.edges.map((edge: any) => edge.node));
      // A trial stays a trial, with its end; the kept billing period keeps this month's metered usage.
      const { account } = await t.admin.request(`query ($id: ID!) { account(id: $id) { subscription { status trialEndsAt planVersion { version } } } }`, { id: id('trial') });
      expect(account.subscription).toEqual({ status: 'TRIALING', trialEndsAt: new Date(now.getTime() + 14 * DAY).toISOString(), planVersion: { version: 2 } });
    });

    it('keeps usage above a new lower limit: the entitlement says LIMIT_REACHED with used > limit until units are released', async () => {
      const id = await cohort('downgrade');
      const [busy] = await allChanges(t.admin, { plan: 'downgrade', accountIds: [id('busy')] });
      expect(busy).toMatchObject({ wouldBeOverLimit: true, limitChanges: expect.arrayContaining([{ feature: 'seats', from: 20, to: 10, used: 15 }]) });
      await t.admin.request(START, { input: { plan: 'downgrade', accountIds: [id('busy')] }, reason: 'downgrade' });

      const seats = async () => (await t.admin.request(ENTITLEMENT_QUERY, { accountId: id('busy'), feature: 'seats' })).entitlement;
      expect(await seats()).toMatchObject({ allowed: false, reason: 'LIMIT_REACHED', limit: 10, used: 15, remaining: 0 });
      const refused = await consume(id('busy'), 'seats', 1);
      expect(refused.consume).toMatchObject({ ok: false, entitlement: { reason: 'LIMIT_REACHED', used: 15 } });
      await t.admin.request(RELEASE, { input: { accountId: id('busy'), feature: 'seats', amount: 6, idempotencyKey: 'back-under' } });
      expect(await seats()).toMatchObject({ allowed: true, reason: 'INCLUDED_IN_PLAN', limit: 10, used: 9, remaining: 1 });
    });

    it('migrates nobody twice: the same input again moves nobody, and a finished cross-plan migration finds nobody left', async () => {
      const id = await cohort('twice');
      const first = (await t.admin.request(START, { input: { plan: 'twice' }, reason: 'first' })).startPlanMigration;
      expect(first).toMatchObject({ status: 'COMPLETED', migrated: 4 });
      const second = (await t.admin.request(START, { input: { plan: 'twice', toVersion: 2 }, reason: 'again' })).startPlanMigration;
      expect(second.id).not.toBe(first.id);
      expect(second).toMatchObject({ status: 'COMPLETED', total: 6, migrated: 0, skipped: 6, failed: 0 });
      const { planMigration } = await t.admin.request(MIGRATION, { id: second.id });
      expect(planMigration.accounts.edges.map((edge: any) => edge.node.reason).sort()).toEqual([
        'ALREADY_ON_TARGET', 'ALREADY_ON_TARGET', 'ALREADY_ON_TARGET', 'ALREADY_ON_TARGET', 'ALREADY_ON_TARGET', 'PINNED',
      ]);
      for (const name of ['busy', 'calm', 'trial', 'special']) expect(await auditEntries(id(name), 'subscription.migrate')).toHaveLength(1);

      await createPublishedPlan(t.admin, { key: 'twice-legacy', rank: 5, price: 1900 }, V1);
      for (const name of ['old-1', 'old-2']) {
        await createAccount(t.admin, id(name));
        await changePlan({ accountId: id(name), plan: 'twice-legacy' });
      }
      const retire = { plan: 'twice-legacy', toPlan: 'twice' };
      expect((await t.admin.request(START, { input: retire, reason: 'retire legacy' })).startPlanMigration).toMatchObject({ status: 'COMPLETED', migrated: 2 });
      const again = await t.admin.raw(START, { input: retire, reason: 'retire legacy' });
      expect(again.errors[0]?.extensions?.code).toBe('EMPTY_MIGRATION_SELECTION');
      for (const name of ['old-1', 'old-2']) expect(await auditEntries(id(name), 'subscription.migrate')).toHaveLength(1);
    });

    it('skips pinned accounts unless they are named; changePlan pinned true pins, omitted keeps, false unpins', async () => {
      const id = await cohort('pinned');
      expect((await changePlan({ accountId: id('calm'), plan: 'pinned', version: 1 })).changePlan.subscription.pinned).toBe(false);
      expect((await changePlan({ accountId: id('contract'), plan: 'pinned', version: 1 })).changePlan.subscription.pinned).toBe(true);

      const everyone = (await t.admin.request(START, { input: { plan: 'pinned' }, reason: 'v2 for all' })).startPlanMigration;
      const { planMigration } = await t.admin.request(MIGRATION, { id: everyone.id, outcome: 'SKIPPED' });
      expect(planMigration.accounts.edges.map((edge: any) => edge.node)).toContainEqual({ accountId: id('contract'), fromVersion: 1, outcome: 'SKIPPED', reason: 'PINNED' });
      expect((await holdings(t.admin, id('contract'))).get('export_csv')!.held).toBe(true);

      const named = { plan: 'pinned', accountIds: [id('contract')] };
      expect((await t.admin.request(PREVIEW, { input: named })).previewPlanMigration).toMatchObject({ selected: 1, accounts: 1, skipped: 0 });
      expect((await t.admin.request(START, { input: named, reason: 'contract renewed on v2' })).startPlanMigration).toMatchObject({ migrated: 1 });
      const { account } = await t.admin.request(`query ($id: ID!) { account(id: $id) { subscription { pinned planVersion { version } } } }`, { id: id('contract') });
      expect(account.subscription).toEqual({ pinned: true, planVersion: { version: 2 } });

      expect((await changePlan({ accountId: id('contract'), plan: 'pinned', pinned: false })).changePlan.subscription.pinned).toBe(false);
    });

    it('refuses a target that is not published and a selection of nobody, each with its code, writing nothing', async () => {
      await cohort('refused');
      await t.admin.request(`mutation { createPlanVersion(input: { plan: "refused", price: { amount: 4900, currency: "USD" }, entitlements: [] }) { version } }`);
      await createPublishedPlan(t.admin, { key: 'refused-empty', rank: 1 }, []);
      const before = await snapshotDatabase(t);
      for (const [input, code, message] of [
        [{ plan: 'refused', toVersion: 3 }, 'MIGRATION_TARGET_NOT_PUBLISHED', /version 3 is DRAFT; a migration moves accounts only to a PUBLISHED version/],
        [{ plan: 'refused', toPlan: 'refused-empty', fromVersions: [1], accountIds: ['nobody'] }, 'EMPTY_MIGRATION_SELECTION', /No account of the 1 named has a subscription on plan "refused"/],
        [{ plan: 'refused-empty' }, 'EMPTY_MIGRATION_SELECTION', /No account has a subscription on plan "refused-empty"/],
        [{ plan: 'refused', fromVersions: [7] }, 'PLAN_VERSION_NOT_FOUND', /has no version 7/],
        [{ plan: 'refused', accountIds: [] }, 'BAD_USER_INPUT', /accountIds: name at least one account/],
      ] as const) {
        for (const result of [await t.admin.raw(PREVIEW, { input }), await t.admin.raw(START, { input, reason: 'try' })]) {
          expect(result.errors[0]?.extensions?.code, JSON.stringify(input)).toBe(code);
          expect(result.errors[0]?.message).toMatch(message);
        }
      }
      expect(snapshotDifferences(before, await snapshotDatabase(t))).toEqual([]);
    });

    it('retires a yearly legacy plan priced in another currency into a monthly one: revenue per currency, each total rounded once', async () => {
      await cohort('monthly');
      await t.admin.request(`mutation { createPlan(input: { key: "yearly", name: "Yearly", rank: 6 }) { key } }`);
      await t.admin.request(`mutation { createPlanVersion(input: { plan: "yearly", price: { amount: 29900, currency: "EUR" }, interval: YEAR, entitlements: [] }) { version } }`);
      await t.admin.request(`mutation { publishPlanVersion(plan: "yearly", version: 1) { status } }`);
      for (const name of ['yearly-1', 'yearly-2', 'yearly-3']) {
        await createAccount(t.admin, name);
        await changePlan({ accountId: name, plan: 'yearly' });
      }
      const { previewPlanMigration } = await t.admin.request(PREVIEW, { input: { plan: 'yearly', toPlan: 'monthly' } });
      // 3 × €299/12 = €74.75 a month less; 3 × $39 more. Per account: €24.9166… rounds to €24.92.
      expect(previewPlanMigration.monthlyRevenueChange).toEqual([
        { amount: -7475, currency: 'EUR', formatted: '-€74.75' },
        { amount: 11700, currency: 'USD', formatted: '$117.00' },
      ]);
      const [change] = (await t.admin.request(PREVIEW, { input: { plan: 'yearly', toPlan: 'monthly' }, first: 1 })).previewPlanMigration.changes.edges;
      expect(change.node.priceChange).toEqual([{ amount: -2492, currency: 'EUR' }, { amount: 3900, currency: 'USD' }]);
    });
  });

  describe('at PERIOD_END', () => {
    it('schedules each account\'s change for its own period end (subscription.scheduledChange), which takes effect at that instant as previewed', async () => {
      const start = now;
      const id = await cohort('boundary');
      now = new Date(start.getTime() + 5 * DAY);
      const periodEnd = new Date('2026-04-10T12:00:00.000Z'); // a month after changePlan
      const input = { plan: 'boundary', accountIds: [id('busy'), id('calm')], effective: 'PERIOD_END' };
      const previewed = await allChanges(t.admin, input);
      expect(previewed.map((change) => change.effectiveAt)).toEqual([periodEnd.toISOString(), periodEnd.toISOString()]);
      const before = new Map(await Promise.all(previewed.map(async (change) => [change.accountId, await holdings(t.admin, change.accountId)] as const)));

      const { startPlanMigration } = await t.admin.request(START, { input, reason: 'v2 at renewal' });
      expect(startPlanMigration).toMatchObject({ status: 'COMPLETED', migrated: 2, effective: 'PERIOD_END' });
      const subscription = async (accountId: string) =>
        (await t.admin.request(`query ($id: ID!) { account(id: $id) { subscription { planVersion { version } scheduledChange { plan version at } } } }`, { id: accountId })).account.subscription;
      expect(await subscription(id('busy'))).toEqual({ planVersion: { version: 1 }, scheduledChange: { plan: 'boundary', version: 2, at: periodEnd.toISOString() } });

      now = new Date(periodEnd.getTime() - 1);
      for (const change of previewed) expect(observedDiff(before.get(change.accountId)!, await holdings(t.admin, change.accountId))).toEqual({ featuresGained: [], featuresLost: [], limitChanges: [] });

      now = periodEnd;
      for (const change of previewed) {
        expect(observedDiff(before.get(change.accountId)!, await holdings(t.admin, change.accountId)), change.accountId).toEqual({
          featuresGained: change.featuresGained,
          featuresLost: change.featuresLost,
          limitChanges: change.limitChanges,
        });
        expect(await subscription(change.accountId)).toEqual({ planVersion: { version: 2 }, scheduledChange: null });
        expect(await auditEntries(change.accountId, 'subscription.apply_scheduled_change')).toHaveLength(1);
        expect(await auditEntries(change.accountId, 'subscription.migrate')).toHaveLength(1);
      }
      // The seats gauge is kept across the boundary: busy is over its new limit.
      expect((await t.admin.request(ENTITLEMENT_QUERY, { accountId: id('busy'), feature: 'seats' })).entitlement).toMatchObject({ reason: 'LIMIT_REACHED', used: 15, limit: 10 });
      expect((await sql<{ n: number }>(t, `select count(*)::int as n from subscription where scheduled_plan_version_id is not null and account_id like 'boundary-%'`))[0]!.n).toBe(0);
    });
  });
});
