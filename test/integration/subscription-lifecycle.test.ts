import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changePlan, createAccount, createFeature, createPublishedPlan, ENTITLEMENT_QUERY } from '../support/fixtures.js';
import { CONSUME, RELEASE } from '../support/metering.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Cancellation at period end, plan changes scheduled for the period's end, and downgrades, on the
 * real server with a pinned clock: each boundary is crossed by moving the clock, never by a job.
 */
describe('the subscription lifecycle', () => {
  let t: TestServer;
  let now = new Date('2026-03-10T09:00:00.000Z');
  const periodEnd = new Date('2026-04-10T09:00:00.000Z');

  const ACCOUNT = `query ($id: ID!) { account(id: $id) { subscription {
    status phase plan cancelAtPeriodEnd canceledAt currentPeriodStart currentPeriodEnd scheduledChange { plan version name at } } } }`;
  const CURRENT_PLAN = `query ($accountId: ID!) { currentPlan(accountId: $accountId) {
    plan { key } subscription { phase inForce cancelAtPeriodEnd scheduledChange { plan version at } } } }`;
  const CANCEL = `mutation ($input: CancelSubscriptionInput!) { cancelSubscription(input: $input) { subscription { status phase cancelAtPeriodEnd } } }`;
  const CHANGE_PLAN = `mutation ($input: ChangePlanInput!) { changePlan(input: $input) { subscription { plan scheduledChange { plan version at } } } }`;
  const AUDIT = `query ($accountId: ID!) { auditLog(accountId: $accountId, first: 100) { edges { node { actor action before after reason } } } }`;

  const decide = async (accountId: string, feature: string) =>
    (await t.admin.request(ENTITLEMENT_QUERY, { accountId, feature })).entitlement;
  const subscriptionOf = async (id: string) => (await t.admin.request(ACCOUNT, { id })).account.subscription;
  const audit = async (accountId: string): Promise<{ actor: string; action: string; before: any; after: any; reason: string | null }[]> =>
    (await t.admin.request(AUDIT, { accountId })).auditLog.edges.map((edge: { node: unknown }) => edge.node);
  const consume = (accountId: string, feature: string, amount: number) =>
    t.admin.request(CONSUME, { input: { accountId, feature, amount, idempotencyKey: randomUUID() } });

  /** Each test gets its own account on pro, paid, with a period from `now` to `periodEnd`. */
  const newProAccount = async (id: string) => {
    now = new Date('2026-03-10T09:00:00.000Z');
    await createAccount(t.admin, id);
    await changePlan(t.admin, { accountId: id, plan: 'pro' });
  };

  beforeAll(async () => {
    t = await startTestServer({ clock: () => new Date(now) });
    await createFeature(t.admin, { key: 'export_csv', kind: 'SWITCH' });
    await createFeature(t.admin, { key: 'seats', kind: 'QUANTITY', unit: 'seats' });
    await createFeature(t.admin, { key: 'api_calls', kind: 'METERED', unit: 'calls' });
    await createPublishedPlan(t.admin, { key: 'free', rank: 0, isDefault: true }, [{ feature: 'seats', limit: 1 }]);
    await createPublishedPlan(t.admin, { key: 'pro', rank: 10, price: 2900, trialDays: 14 }, [
      { feature: 'export_csv' },
      { feature: 'seats', limit: 10 },
      { feature: 'api_calls', limit: 1000, period: 'BILLING_PERIOD' },
    ]);
    await createPublishedPlan(t.admin, { key: 'basic', rank: 5, price: 900 }, [
      { feature: 'seats', limit: 5 },
      { feature: 'api_calls', limit: 200, period: 'BILLING_PERIOD' },
    ]);
  });
  afterAll(() => t?.stop());

  describe('cancelSubscription', () => {
    it('at period end keeps the plan (CANCELING) until the period ends, and falls back to the default plan at that instant, with no job', async () => {
      await newProAccount('cancel-later');
      const { cancelSubscription } = await t.admin.request(CANCEL, { input: { accountId: 'cancel-later', reason: 'too expensive' } });
      expect(cancelSubscription.subscription).toEqual({ status: 'ACTIVE', phase: 'CANCELING', cancelAtPeriodEnd: true });
      expect(await decide('cancel-later', 'export_csv')).toMatchObject({ allowed: true, reason: 'INCLUDED_IN_PLAN', expiresAt: periodEnd.toISOString() });
      expect((await t.admin.request(CURRENT_PLAN, { accountId: 'cancel-later' })).currentPlan.subscription).toMatchObject({ phase: 'CANCELING', inForce: true, cancelAtPeriodEnd: true });

      now = new Date(periodEnd.getTime() - 1);
      expect((await decide('cancel-later', 'export_csv')).allowed).toBe(true);

      now = periodEnd;
      expect(await decide('cancel-later', 'export_csv')).toMatchObject({ allowed: false, reason: 'SUBSCRIPTION_INACTIVE', plan: { key: 'free' } });
      expect(await decide('cancel-later', 'seats')).toMatchObject({ allowed: true, limit: 1, plan: { key: 'free' } });
    });

    it('stores the end of a canceled period the first time it is observed, audited once with the instant it took effect', async () => {
      // Continues from the account above, now past its period end.
      now = new Date(periodEnd.getTime() + 5_000);
      expect(await subscriptionOf('cancel-later')).toMatchObject({ status: 'CANCELED', phase: 'CANCELED', cancelAtPeriodEnd: false });
      await subscriptionOf('cancel-later');
      const ended = (await audit('cancel-later')).filter((entry) => entry.action === 'subscription.end_at_period_end');
      expect(ended).toHaveLength(1);
      expect(ended[0]).toMatchObject({ actor: 'lifecycle', before: { status: 'ACTIVE', cancelAtPeriodEnd: true }, after: { status: 'CANCELED', effectiveAt: periodEnd.toISOString() } });
    });

    it('is safe to retry: asking again for what is already so writes nothing', async () => {
      await newProAccount('cancel-twice');
      const input = { accountId: 'cancel-twice', reason: 'closing the company' };
      await t.admin.request(CANCEL, { input });
      await t.admin.request(CANCEL, { input });
      const cancels = (await audit('cancel-twice')).filter((entry) => entry.action === 'subscription.cancel');
      expect(cancels).toHaveLength(1);
      expect(cancels[0]).toMatchObject({ reason: 'closing the company', before: { cancelAtPeriodEnd: false }, after: { cancelAtPeriodEnd: true, atPeriodEnd: true, endsAt: periodEnd.toISOString() } });
    });

    it('at once ends access at once', async () => {
      await newProAccount('cancel-now');
      const { cancelSubscription } = await t.admin.request(CANCEL, { input: { accountId: 'cancel-now', atPeriodEnd: false, reason: 'fraud' } });
      expect(cancelSubscription.subscription).toEqual({ status: 'CANCELED', phase: 'CANCELED', cancelAtPeriodEnd: false });
      expect(await decide('cancel-now', 'export_csv')).toMatchObject({ allowed: false, reason: 'SUBSCRIPTION_INACTIVE' });
    });

    it('is withdrawn by choosing a plan, which keeps the account on it past the period end', async () => {
      await newProAccount('changes-mind');
      await t.admin.request(CANCEL, { input: { accountId: 'changes-mind', reason: 'trying' } });
      await t.admin.request(CHANGE_PLAN, { input: { accountId: 'changes-mind', plan: 'pro' } });
      now = new Date(periodEnd.getTime() + 1);
      expect((await subscriptionOf('changes-mind'))).toMatchObject({ phase: 'ACTIVE', cancelAtPeriodEnd: false });
    });

    it('refuses to run to the end a period that is not in force, and says to cancel at once', async () => {
      await createAccount(t.admin, 'expired-trial');
      await changePlan(t.admin, { accountId: 'expired-trial', plan: 'pro', trial: true });
      now = new Date(now.getTime() + 15 * 86_400_000);
      const result = await t.admin.raw(CANCEL, { input: { accountId: 'expired-trial', reason: 'x' } });
      expect(result.errors?.[0]?.extensions?.code).toBe('SUBSCRIPTION_NOT_IN_FORCE');
      expect(result.errors?.[0]?.message).toMatch(/atPeriodEnd: false/);
    });
  });

  describe('changePlan(at: PERIOD_END)', () => {
    it('waits in scheduledChange, then takes effect at the period end exactly, in a new period, with no job', async () => {
      await newProAccount('downgrade-later');
      const { changePlan: changed } = await t.admin.request(CHANGE_PLAN, {
        input: { accountId: 'downgrade-later', plan: 'basic', at: 'PERIOD_END', reason: 'customer asked' },
      });
      expect(changed.subscription).toEqual({ plan: 'pro', scheduledChange: { plan: 'basic', version: 1, at: periodEnd.toISOString() } });
      expect((await t.admin.request(CURRENT_PLAN, { accountId: 'downgrade-later' })).currentPlan).toMatchObject({
        plan: { key: 'pro' }, subscription: { scheduledChange: { plan: 'basic', version: 1, at: periodEnd.toISOString() } },
      });

      now = new Date(periodEnd.getTime() - 1);
      expect(await decide('downgrade-later', 'seats')).toMatchObject({ limit: 10, plan: { key: 'pro' } });

      now = periodEnd;
      const seats = await decide('downgrade-later', 'seats');
      expect(seats).toMatchObject({ limit: 5, plan: { key: 'basic' } });
      const calls = await decide('downgrade-later', 'api_calls');
      expect(calls).toMatchObject({ limit: 200, resetsAt: '2026-05-10T09:00:00.000Z' });
      expect((await t.admin.request(CURRENT_PLAN, { accountId: 'downgrade-later' })).currentPlan).toMatchObject({
        plan: { key: 'basic' }, subscription: { scheduledChange: null },
      });
    });

    it('is recorded in the audit log once, when first observed, with the instant it took effect', async () => {
      now = new Date(periodEnd.getTime() + 60_000);
      expect(await subscriptionOf('downgrade-later')).toMatchObject({
        plan: 'basic', scheduledChange: null, currentPeriodStart: periodEnd.toISOString(), currentPeriodEnd: '2026-05-10T09:00:00.000Z',
      });
      await subscriptionOf('downgrade-later');
      const entries = await audit('downgrade-later');
      const applied = entries.filter((entry) => entry.action === 'subscription.apply_scheduled_change');
      expect(applied).toHaveLength(1);
      expect(applied[0]).toMatchObject({ actor: 'lifecycle', before: { plan: 'pro' }, after: { plan: 'basic', effectiveAt: periodEnd.toISOString() } });
      expect(entries.find((entry) => entry.action === 'subscription.schedule_change')).toMatchObject({
        reason: 'customer asked', before: { scheduledChange: null }, after: { plan: 'pro', scheduledChange: { plan: 'basic', version: 1 } },
      });
    });

    it('is applied by any write to the account that comes first, before that write', async () => {
      await newProAccount('write-first');
      await t.admin.request(CHANGE_PLAN, { input: { accountId: 'write-first', plan: 'basic', at: 'PERIOD_END' } });
      now = new Date(periodEnd.getTime() + 1);
      await consume('write-first', 'seats', 1);
      await t.admin.request(CANCEL, { input: { accountId: 'write-first', reason: 'leaving' } });
      const actions = (await audit('write-first')).map((entry) => entry.action).reverse();
      expect(actions.slice(-2)).toEqual(['subscription.apply_scheduled_change', 'subscription.cancel']);
      expect(await subscriptionOf('write-first')).toMatchObject({ plan: 'basic', phase: 'CANCELING', currentPeriodEnd: '2026-05-10T09:00:00.000Z' });
    });

    it('is dropped by choosing the current plan again, by a change now, and by a cancellation', async () => {
      await newProAccount('undo');
      await t.admin.request(CHANGE_PLAN, { input: { accountId: 'undo', plan: 'basic', at: 'PERIOD_END' } });
      await t.admin.request(CHANGE_PLAN, { input: { accountId: 'undo', plan: 'pro', at: 'PERIOD_END' } });
      expect((await subscriptionOf('undo')).scheduledChange).toBeNull();

      await t.admin.request(CHANGE_PLAN, { input: { accountId: 'undo', plan: 'basic', at: 'PERIOD_END' } });
      await t.admin.request(CANCEL, { input: { accountId: 'undo', reason: 'leaving' } });
      expect(await subscriptionOf('undo')).toMatchObject({ scheduledChange: null, cancelAtPeriodEnd: true });
    });

    it('refuses a trial, which has no paid period to wait for, and says to change now', async () => {
      await createAccount(t.admin, 'in-trial');
      await changePlan(t.admin, { accountId: 'in-trial', plan: 'pro', trial: true });
      const result = await t.admin.raw(CHANGE_PLAN, { input: { accountId: 'in-trial', plan: 'basic', at: 'PERIOD_END' } });
      expect(result.errors?.[0]?.extensions?.code).toBe('SUBSCRIPTION_NOT_IN_FORCE');
      expect(result.errors?.[0]?.message).toMatch(/at: NOW/);
    });
  });

  describe('downgrades lose no data', () => {
    it('keeps seats above the new limit: LIMIT_REACHED with remaining 0 and used > limit, until releases bring the account under', async () => {
      await newProAccount('seats-down');
      await consume('seats-down', 'seats', 8);
      await t.admin.request(CHANGE_PLAN, { input: { accountId: 'seats-down', plan: 'basic' } });
      expect(await decide('seats-down', 'seats')).toMatchObject({ allowed: false, reason: 'LIMIT_REACHED', limit: 5, used: 8, remaining: 0 });

      const release = (amount: number) =>
        t.admin.request(RELEASE, { input: { accountId: 'seats-down', feature: 'seats', amount, idempotencyKey: randomUUID() } });
      await release(3);
      expect(await decide('seats-down', 'seats')).toMatchObject({ allowed: false, used: 5, remaining: 0 });
      await release(1);
      expect(await decide('seats-down', 'seats')).toMatchObject({ allowed: true, used: 4, remaining: 1 });
    });

    it('keeps the metered usage of the current billing period across a plan change now', async () => {
      await newProAccount('calls-down');
      await consume('calls-down', 'api_calls', 150);
      now = new Date('2026-03-20T00:00:00.000Z');
      await t.admin.request(CHANGE_PLAN, { input: { accountId: 'calls-down', plan: 'basic' } });
      expect(await subscriptionOf('calls-down')).toMatchObject({
        plan: 'basic', currentPeriodStart: '2026-03-10T09:00:00.000Z', currentPeriodEnd: periodEnd.toISOString(),
      });
      expect(await decide('calls-down', 'api_calls')).toMatchObject({ limit: 200, used: 150, remaining: 50 });
    });
  });

  it('audits every transition with before and after', async () => {
    const { auditLog } = await t.admin.request(`{ auditLog(first: 100) { edges { node { action before after } } } }`);
    const transitions = auditLog.edges
      .map((edge: { node: { action: string; before: unknown; after: unknown } }) => edge.node)
      .filter((entry: { action: string }) => entry.action.startsWith('subscription.') && entry.action !== 'subscription.change_plan');
    expect(new Set(transitions.map((entry: { action: string }) => entry.action))).toEqual(
      new Set(['subscription.cancel', 'subscription.schedule_change', 'subscription.apply_scheduled_change', 'subscription.end_at_period_end']),
    );
    for (const entry of transitions) {
      expect(entry.before).toMatchObject({ status: expect.any(String), plan: expect.any(String) });
      expect(entry.after).toMatchObject({ status: expect.any(String), plan: expect.any(String) });
    }
  });
});
