import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { changePlan, createAccount, publishVersion, seedBasicCatalog } from '../support/fixtures.js';
import { decisionOf, liveClient, type LiveClient, type Push } from '../support/live-client.js';
import { startTestServer, TEST_ADMIN_KEY, type TestServer } from '../support/server.js';
import { budget } from '../support/time-budget.js';

/**
 * Timed boundaries reach subscribers at their instant, with no write and no polling job. The
 * server's clock is the real one shifted by `offset`, so it runs at real speed (real timers
 * fire at real instants) while a test can stand half a second before a boundary a month away: the
 * shift is set before the account is first watched, so its one timer is armed for that boundary.
 * Every wait is for a push, with a deadline; none is a sleep. How far ahead a boundary is set
 * ({@link LEAD_MS}) grows with the machine's load, so that subscribing and the first push always come
 * before it; the guarantee itself (at the instant, within a second) is asserted as it stands.
 */
let offset = 0;
/** How far ahead of now a boundary is set: half a second on an idle machine, more on a busy one. */
const LEAD_MS = budget(500);
/** A push's deadline after its boundary's lead: the boundary, plus the second the guarantee allows, plus slack. */
const PUSH_DEADLINE_MS = LEAD_MS + 2000;
const now = () => new Date(Date.now() + offset);
let t: TestServer;
let clients: LiveClient[] = [];

beforeAll(async () => {
  t = await startTestServer({ clock: now });
  await seedBasicCatalog(t.admin);
  // A plan whose trials keep their access for two days after they end.
  await t.admin.request(`mutation { createPlan(input: { key: "graced", name: "Graced", rank: 5 }) { key } }`);
  await publishVersion(t.admin, 'graced', [{ feature: 'export_csv' }], { price: 900, trialDays: 14 });
  await t.admin.request(`mutation { createPlanVersion(input: { plan: "graced", price: { amount: 900, currency: "USD" }, trialDays: 14, trialGraceDays: 2,
    entitlements: [{ feature: "export_csv" }] }) { version } }`);
  await t.admin.request(`mutation { publishPlanVersion(plan: "graced", version: 2) { version } }`);
});
afterEach(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
  clients = [];
  offset = 0;
});
afterAll(() => t?.stop());

/** Subscribes to the account and returns its first push and the subscription. */
async function watch(accountId: string) {
  const client = liveClient(t.server.graphqlUrl, TEST_ADMIN_KEY);
  clients.push(client);
  const live = client.subscribe(accountId);
  const first = await live.until(() => true, budget(2000), 'the first push');
  return { live, first };
}

/** Moves the server's clock so that it reads `instant - before` now. */
function standBefore(instant: Date | string, before = LEAD_MS): Date {
  const at = new Date(instant);
  offset = at.getTime() - before - Date.now();
  return at;
}

/** The push arrived at or after the boundary (by the server's clock) and within a second of it. */
function expectAtBoundary(push: Push, boundary: Date): void {
  const arrived = push.receivedWallAt + offset;
  expect(Date.parse(push.at)).toBeGreaterThanOrEqual(boundary.getTime());
  expect(arrived).toBeGreaterThanOrEqual(boundary.getTime());
  expect(arrived - boundary.getTime()).toBeLessThan(1000);
}

const grant = (input: Record<string, unknown>) =>
  t.admin.request(`mutation ($input: GrantOverrideInput!) { grantOverride(input: $input) { id } }`, {
    input: { feature: 'export_csv', effect: 'GRANT', reason: 'boundary test', approvedBy: 'QA', ...input },
  });

describe('timed boundaries reach subscribers at their instant', () => {
  it('pushes when an override ends, about half a second from now on the real clock', async () => {
    await createAccount(t.admin, 'override-end');
    const endsAt = new Date(Date.now() + LEAD_MS);
    await grant({ accountId: 'override-end', endsAt: endsAt.toISOString() });
    const { live, first } = await watch('override-end');
    expect(decisionOf(first, 'export_csv')).toMatchObject({ allowed: true, reason: 'GRANTED_BY_OVERRIDE', expiresAt: endsAt.toISOString() });
    const ended = await live.until((push) => !decisionOf(push, 'export_csv').allowed, PUSH_DEADLINE_MS, 'the override ended');
    expectAtBoundary(ended, endsAt);
  });

  it('pushes when an override starts', async () => {
    await createAccount(t.admin, 'override-start');
    const startsAt = new Date(Date.now() + LEAD_MS);
    await grant({ accountId: 'override-start', startsAt: startsAt.toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString() });
    const { live, first } = await watch('override-start');
    expect(decisionOf(first, 'export_csv').allowed).toBe(false);
    expectAtBoundary(await live.until((push) => decisionOf(push, 'export_csv').allowed, PUSH_DEADLINE_MS, 'the override started'), startsAt);
  });

  it('pushes when a trial ends, and when its grace ends', async () => {
    await createAccount(t.admin, 'trial');
    await changePlan(t.admin, { accountId: 'trial', plan: 'graced', trial: true });
    const { account } = await t.admin.request(`{ account(id: "trial") { subscription { trialEndsAt } } }`);
    const trialEnd = standBefore(account.subscription.trialEndsAt);
    const { live, first } = await watch('trial');
    expect(decisionOf(first, 'export_csv').reason).toBe('TRIAL');
    expectAtBoundary(await live.until((push) => decisionOf(push, 'export_csv').reason === 'TRIAL_GRACE', PUSH_DEADLINE_MS, 'TRIAL_GRACE'), trialEnd);

    const graceEnd = new Date(trialEnd.getTime() + 2 * 86_400_000);
    await Promise.all(clients.map((client) => client.dispose()));
    standBefore(graceEnd);
    const again = await watch('trial');
    expect(decisionOf(again.first, 'export_csv')).toMatchObject({ reason: 'TRIAL_GRACE', expiresAt: graceEnd.toISOString() });
    expectAtBoundary(await again.live.until((push) => decisionOf(push, 'export_csv').reason === 'TRIAL_EXPIRED', PUSH_DEADLINE_MS, 'TRIAL_EXPIRED'), graceEnd);
  });

  it('pushes when a past-due grace ends', async () => {
    await createAccount(t.admin, 'past-due');
    await changePlan(t.admin, { accountId: 'past-due', plan: 'pro' });
    const graceEndsAt = new Date(Date.now() + LEAD_MS);
    await t.admin.request(`mutation ($input: UpdateSubscriptionStatusInput!) { updateSubscriptionStatus(input: $input) { id } }`, {
      input: { accountId: 'past-due', status: 'PAST_DUE', graceEndsAt: graceEndsAt.toISOString(), reason: 'card declined' },
    });
    const { live, first } = await watch('past-due');
    expect(decisionOf(first, 'export_csv').allowed).toBe(true);
    expectAtBoundary(await live.until((push) => decisionOf(push, 'export_csv').reason === 'SUBSCRIPTION_INACTIVE', PUSH_DEADLINE_MS, 'inactive'), graceEndsAt);
  });

  it('pushes when a cancellation at period end takes effect', async () => {
    await createAccount(t.admin, 'canceling');
    await changePlan(t.admin, { accountId: 'canceling', plan: 'pro' });
    const { cancelSubscription } = await t.admin.request(`mutation { cancelSubscription(input: { accountId: "canceling", reason: "too dear" }) {
      subscription { phase currentPeriodEnd } } }`);
    expect(cancelSubscription.subscription.phase).toBe('CANCELING');
    const periodEnd = standBefore(cancelSubscription.subscription.currentPeriodEnd);
    const { live, first } = await watch('canceling');
    expect(decisionOf(first, 'export_csv')).toMatchObject({ allowed: true, expiresAt: periodEnd.toISOString() });
    const canceled = await live.until((push) => !decisionOf(push, 'export_csv').allowed, PUSH_DEADLINE_MS, 'canceled');
    expectAtBoundary(canceled, periodEnd);
    expect(decisionOf(canceled, 'export_csv').plan?.key).toBe('free');
  });

  it('pushes when a scheduled plan change takes effect', async () => {
    await createAccount(t.admin, 'downgrading');
    await changePlan(t.admin, { accountId: 'downgrading', plan: 'pro' });
    const { changePlan: scheduled } = await t.admin.request(`mutation { changePlan(input: { accountId: "downgrading", plan: "free", at: PERIOD_END }) {
      subscription { scheduledChange { at } } } }`);
    const at = standBefore(scheduled.subscription.scheduledChange.at);
    const { live, first } = await watch('downgrading');
    expect(decisionOf(first, 'seats').plan?.key).toBe('pro');
    expectAtBoundary(await live.until((push) => decisionOf(push, 'seats').plan?.key === 'free', PUSH_DEADLINE_MS, 'on free'), at);
  });

  it('pushes when a metered period resets, with the usage back at 0', async () => {
    await createAccount(t.admin, 'metered');
    const current = now();
    const monthEnd = new Date(Date.UTC(current.getUTCFullYear(), current.getUTCMonth() + 1, 1));
    standBefore(monthEnd, 800);
    for (let call = 0; call < 3; call++) {
      await t.admin.request(`mutation ($key: String!) { consume(input: { accountId: "metered", feature: "api_calls", idempotencyKey: $key }) { ok } }`, { key: `m-${call}` });
    }
    const { live, first } = await watch('metered');
    expect(decisionOf(first, 'api_calls')).toMatchObject({ used: 3, resetsAt: monthEnd.toISOString() });
    const reset = await live.until((push) => decisionOf(push, 'api_calls').used === 0, 2000, 'used back at 0');
    expectAtBoundary(reset, monthEnd);
    expect(decisionOf(reset, 'api_calls').resetsAt).toBe(new Date(Date.UTC(monthEnd.getUTCFullYear(), monthEnd.getUTCMonth() + 1, 1)).toISOString());
  });
});
