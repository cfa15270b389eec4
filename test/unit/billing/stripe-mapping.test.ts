import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import {
  combinedStatus,
  comparePayments,
  compareSnapshots,
  governingState,
  mirroredSubscription,
  type PriceMapping,
  type ProviderSubscriptionState,
} from '../../../server/src/billing/provider-subscription.js';
import {
  fromCheckoutSession,
  fromStripeEvent,
  fromStripeInvoice,
  fromStripeSubscription,
  MalformedStripeObject,
  STRIPE_STATUS_MAP,
  stripeStatus,
  type StripeSubscriptionObject,
} from '../../../server/src/billing/stripe-mapping.js';
import { billingPeriodEnd } from '../../../server/src/entitlements/billing-period.js';

/**
 * The pure half of billing sync, as tables: Stripe objects (shaped as Stripe sends them, API
 * 2025-03-31 and later and before) to provider subscriptions, and those to Tollgate's fields.
 */

const T = (iso: string) => Math.floor(Date.parse(iso) / 1000);
const D = (iso: string) => new Date(iso);

function subscription(overrides: Partial<StripeSubscriptionObject> = {}): StripeSubscriptionObject {
  return {
    id: 'sub_1',
    object: 'subscription',
    customer: 'cus_1',
    status: 'active',
    metadata: { tollgate_account_id: 'acme' },
    trial_end: null,
    cancel_at_period_end: false,
    cancel_at: null,
    canceled_at: null,
    ended_at: null,
    start_date: T('2026-09-01T00:00:00Z'),
    created: T('2026-09-01T00:00:00Z'),
    items: {
      data: [
        {
          id: 'si_1',
          price: { id: 'price_pro_monthly' },
          quantity: 1,
          current_period_start: T('2026-10-01T00:00:00Z'),
          current_period_end: T('2026-11-01T00:00:00Z'),
        },
      ],
    },
    ...overrides,
  };
}

describe('Stripe statuses in Tollgate words', () => {
  it.each([
    ['trialing', 'TRIALING'],
    ['active', 'ACTIVE'],
    ['past_due', 'PAST_DUE'],
    ['canceled', 'CANCELED'],
    ['incomplete_expired', 'CANCELED'],
    ['unpaid', 'EXPIRED'],
    ['incomplete', 'EXPIRED'],
    ['paused', 'PAUSED'],
    ['a_status_stripe_adds_later', null],
  ])('maps %s to %s', (stripe, tollgate) => {
    expect(stripeStatus(stripe)).toBe(tollgate);
  });

  it('covers every status the stripe package knows', () => {
    const known: Stripe.Subscription.Status[] = ['active', 'canceled', 'incomplete', 'incomplete_expired', 'past_due', 'paused', 'trialing', 'unpaid'];
    expect(Object.keys(STRIPE_STATUS_MAP).sort()).toEqual([...known].sort());
  });
});

describe('fromStripeSubscription', () => {
  it('reads the period from the plan item (API 2025-03-31 and later)', () => {
    const read = fromStripeSubscription(subscription());
    expect(read).toMatchObject({
      subscriptionId: 'sub_1',
      customerId: 'cus_1',
      accountIdHint: 'acme',
      status: 'ACTIVE',
      currentPeriodStart: null,
      items: [{ priceId: 'price_pro_monthly', quantity: 1, currentPeriodStart: D('2026-10-01T00:00:00Z'), currentPeriodEnd: D('2026-11-01T00:00:00Z') }],
    });
  });

  it('reads the subscription-level period of earlier API versions', () => {
    const read = fromStripeSubscription(subscription({
      current_period_start: T('2026-10-01T00:00:00Z'),
      current_period_end: T('2026-11-01T00:00:00Z'),
      items: { data: [{ price: 'price_pro_monthly', quantity: 2 }] },
    }));
    expect(read.currentPeriodStart).toEqual(D('2026-10-01T00:00:00Z'));
    expect(read.items).toEqual([{ itemId: null, priceId: 'price_pro_monthly', quantity: 2, currentPeriodStart: null, currentPeriodEnd: null }]);
  });

  it('keeps an expanded customer\'s metadata apart from the subscription\'s: one customer may pay for several accounts', () => {
    const read = fromStripeSubscription(subscription({ metadata: {}, customer: { id: 'cus_9', metadata: { tollgate_account_id: 'globex' } } }));
    expect(read).toMatchObject({ customerId: 'cus_9', accountIdHint: null, customerAccountIdHint: 'globex' });
  });

  it('treats cancel_at at the end of the period as canceling at period end', () => {
    expect(fromStripeSubscription(subscription({ cancel_at: T('2026-11-01T00:00:00Z') })).cancelAtPeriodEnd).toBe(true);
    expect(fromStripeSubscription(subscription({ cancel_at: T('2026-10-15T00:00:00Z') })).cancelAtPeriodEnd).toBe(false);
    expect(fromStripeSubscription(subscription({ cancel_at_period_end: true })).cancelAtPeriodEnd).toBe(true);
  });

  it('refuses an object that is not a subscription', () => {
    expect(() => fromStripeSubscription({ id: 'sub_1' } as StripeSubscriptionObject)).toThrow(MalformedStripeObject);
    expect(() => fromStripeSubscription(subscription({ items: { data: [{ quantity: 1 }] } }))).toThrow(MalformedStripeObject);
  });
});

describe('invoices and checkout sessions', () => {
  it('finds an invoice\'s subscription under parent.subscription_details, or on the invoice before API 2025-03-31', () => {
    const basil = fromStripeInvoice({
      id: 'in_1',
      customer: 'cus_1',
      amount_paid: 2900,
      parent: { subscription_details: { subscription: 'sub_1', metadata: { tollgate_account_id: 'acme' } } },
    }, 'PAID');
    expect(basil).toMatchObject({ subscriptionId: 'sub_1', accountIdHint: 'acme', outcome: 'PAID', amountPaid: 2900 });
    const legacy = fromStripeInvoice({ id: 'in_2', customer: 'cus_1', subscription: 'sub_1', amount_paid: 0 }, 'FAILED');
    expect(legacy).toMatchObject({ subscriptionId: 'sub_1', outcome: 'FAILED', amountPaid: 0 });
  });

  it('takes a checkout session\'s account from client_reference_id, then its metadata', () => {
    expect(fromCheckoutSession({ id: 'cs_1', customer: 'cus_1', client_reference_id: 'acme', subscription: 'sub_1' }))
      .toEqual({ sessionId: 'cs_1', customerId: 'cus_1', accountIdHint: 'acme', customerAccountIdHint: null, subscriptionId: 'sub_1' });
    expect(fromCheckoutSession({ id: 'cs_2', customer: 'cus_1', metadata: { tollgate_account_id: 'globex' } }).accountIdHint).toBe('globex');
  });

  it('ignores event types it does not handle, and invoices of no subscription', () => {
    expect(fromStripeEvent({ id: 'evt_1', type: 'customer.updated', created: 1, data: { object: {} } }).change.kind).toBe('ignored');
    expect(fromStripeEvent({ id: 'evt_2', type: 'invoice.paid', created: 1, data: { object: { id: 'in_1', customer: 'cus_1' } } }).change.kind).toBe('ignored');
  });
});

const mapping: PriceMapping = { planItem: 0, planKey: 'pro', interval: 'MONTH', pastDueGraceDays: 3, addOns: [] };

function state(object: Partial<StripeSubscriptionObject>, at: string, payment?: { outcome: 'PAID' | 'FAILED'; amountPaid?: number; at: string }): ProviderSubscriptionState {
  return {
    subscription: fromStripeSubscription(subscription(object)),
    snapshotKey: { at: D(at), seq: null, id: `evt_${at}` },
    payment: payment ? { outcome: payment.outcome, amountPaid: payment.amountPaid ?? 2900, key: { at: D(payment.at), seq: null, id: `evt_pay_${payment.at}` } } : null,
  };
}

describe('Tollgate\'s subscription as a provider subscription says it should be', () => {
  it.each([
    ['a payment older than the snapshot changes nothing', state({ status: 'active' }, '2026-10-02T00:00:00Z', { outcome: 'FAILED', at: '2026-10-01T00:00:00Z' }), 'ACTIVE'],
    ['a newer failed payment makes an active subscription past due', state({ status: 'active' }, '2026-10-01T00:00:00Z', { outcome: 'FAILED', at: '2026-10-02T00:00:00Z' }), 'PAST_DUE'],
    ['a newer paid invoice makes a past-due subscription active', state({ status: 'past_due' }, '2026-10-01T00:00:00Z', { outcome: 'PAID', at: '2026-10-02T00:00:00Z' }), 'ACTIVE'],
    ['a paid first invoice activates an incomplete subscription', state({ status: 'incomplete' }, '2026-10-01T00:00:00Z', { outcome: 'PAID', at: '2026-10-01T00:00:05Z' }), 'ACTIVE'],
    ['a trial\'s $0 invoice does not end the trial', state({ status: 'trialing', trial_end: T('2026-10-15T00:00:00Z') }, '2026-10-01T00:00:00Z', { outcome: 'PAID', amountPaid: 0, at: '2026-10-01T00:00:01Z' }), 'TRIALING'],
    ['a paid invoice converts a trial', state({ status: 'trialing', trial_end: T('2026-10-15T00:00:00Z') }, '2026-10-01T00:00:00Z', { outcome: 'PAID', at: '2026-10-15T00:00:05Z' }), 'ACTIVE'],
    ['a payment does not revive a canceled subscription', state({ status: 'canceled' }, '2026-10-01T00:00:00Z', { outcome: 'PAID', at: '2026-10-02T00:00:00Z' }), 'CANCELED'],
  ])('%s', (_name, given, status) => {
    expect(combinedStatus(given)).toBe(status);
  });

  it('gives PAST_DUE the grace from the failed payment\'s time', () => {
    const mirrored = mirroredSubscription(
      state({ status: 'past_due' }, '2026-10-01T00:00:10Z', { outcome: 'FAILED', at: '2026-10-01T00:00:00Z' }), mapping, null, billingPeriodEnd,
    );
    expect(mirrored).toMatchObject({ status: 'PAST_DUE', graceEndsAt: D('2026-10-04T00:00:00Z') });
  });

  it('converts a provider trial at its end, whichever later event shows it', () => {
    const trialEnd = T('2026-10-15T00:00:00Z');
    const viaActive = mirroredSubscription(state({ status: 'active', trial_end: trialEnd }, '2026-10-15T00:00:05Z'), mapping, null, billingPeriodEnd);
    const viaInvoice = mirroredSubscription(
      state({ status: 'trialing', trial_end: trialEnd }, '2026-10-01T00:00:00Z', { outcome: 'PAID', at: '2026-10-15T01:00:00Z' }), mapping, null, billingPeriodEnd,
    );
    const viaCancel = mirroredSubscription(
      state({ status: 'canceled', trial_end: trialEnd, canceled_at: T('2026-11-20T00:00:00Z'), ended_at: T('2026-11-20T00:00:00Z') }, '2026-11-20T00:00:00Z'),
      mapping, null, billingPeriodEnd,
    );
    expect([viaActive.convertedAt, viaInvoice.convertedAt, viaCancel.convertedAt]).toEqual([D('2026-10-15T00:00:00Z'), D('2026-10-15T00:00:00Z'), D('2026-10-15T00:00:00Z')]);
    const endedAtTrialEnd = mirroredSubscription(state({ status: 'canceled', trial_end: trialEnd, ended_at: trialEnd }, '2026-10-15T00:00:00Z'), mapping, null, billingPeriodEnd);
    expect(endedAtTrialEnd.convertedAt).toBeNull();
  });

  it('keeps the period of the plan item, falling back to the subscription\'s, then to the plan\'s interval', () => {
    const fromItem = mirroredSubscription(state({}, '2026-10-01T00:00:00Z'), mapping, null, billingPeriodEnd);
    expect([fromItem.currentPeriodStart, fromItem.currentPeriodEnd]).toEqual([D('2026-10-01T00:00:00Z'), D('2026-11-01T00:00:00Z')]);
    const fallback = mirroredSubscription(state({ items: { data: [{ price: 'price_pro_monthly' }] } }, '2026-10-01T00:00:00Z'), mapping, null, billingPeriodEnd);
    expect([fallback.currentPeriodStart, fallback.currentPeriodEnd]).toEqual([D('2026-09-01T00:00:00Z'), D('2026-10-01T00:00:00Z')]);
  });

  it('keeps CANCELING only while the subscription is in force', () => {
    expect(mirroredSubscription(state({ cancel_at_period_end: true }, '2026-10-01T00:00:00Z'), mapping, null, billingPeriodEnd).cancelAtPeriodEnd).toBe(true);
    expect(mirroredSubscription(state({ status: 'canceled', cancel_at_period_end: true }, '2026-10-01T00:00:00Z'), mapping, null, billingPeriodEnd).cancelAtPeriodEnd).toBe(false);
  });

  it('mirrors the subscription in force, then the most recently started, whatever the order of the list', () => {
    const old = state({ id: 'sub_old', status: 'canceled', start_date: T('2026-01-01T00:00:00Z') }, '2026-10-01T00:00:00Z');
    const current = state({ id: 'sub_new', status: 'active', start_date: T('2026-09-01T00:00:00Z') }, '2026-09-01T00:00:00Z');
    const older = state({ id: 'sub_older_active', status: 'active', start_date: T('2026-05-01T00:00:00Z') }, '2026-10-05T00:00:00Z');
    for (const order of [[old, current, older], [older, old, current], [current, older, old]]) {
      expect(governingState(order)?.subscription.subscriptionId).toBe('sub_new');
    }
  });
});

describe('the one schema: impossible values are never read', () => {
  const item = (overrides: Record<string, unknown>) => subscription({ items: { data: [{ id: 'si_1', price: 'price_pro_monthly', quantity: 1, ...overrides }] } });
  it.each([
    ['a negative quantity', item({ quantity: -5 }), /quantity is not negative/],
    ['a fractional quantity', item({ quantity: 2.5 }), /whole number/],
    ['a quantity past 2^53-1', item({ quantity: 2 ** 60 }), /quantity/],
    ['an item period that ends before it starts', item({ current_period_start: T('2026-10-01T00:00:00Z'), current_period_end: T('2026-09-01T00:00:00Z') }), /ends after it starts/],
    ['a date past year 9999', subscription({ trial_end: 253_402_300_800 }), /9999/],
    ['a date before 1970', subscription({ canceled_at: -1 }), /trial_end|canceled_at/],
    ['a time that is not whole seconds', subscription({ start_date: 1.5 }), /whole seconds/],
    ['a status that is not a word', subscription({ status: 'ACTIVE; drop table' }), /status/],
    ['an id with a NUL', subscription({ id: 'sub_\u0000' }), /id/],
    ['an id of 300 characters', subscription({ id: `sub_${'x'.repeat(300)}` }), /id/],
    ['no items', { ...subscription(), items: undefined }, /items/],
    ['metadata nested 3 deep', subscription({ metadata: { tollgate_account_id: { a: { b: 'c' } } } as never }), /metadata/],
  ])('refuses %s (400 MALFORMED_EVENT at the webhook)', (_name, object, message) => {
    expect(() => fromStripeSubscription(object)).toThrow(MalformedStripeObject);
    expect(() => fromStripeSubscription(object)).toThrow(message);
  });

  it('keeps a status Stripe adds later unread (null: an UNKNOWN_STATUS sync issue), and paused as PAUSED', () => {
    expect(fromStripeSubscription(subscription({ status: 'frozen' }))).toMatchObject({ status: null, providerStatus: 'frozen' });
    expect(fromStripeSubscription(subscription({ status: 'paused' }))).toMatchObject({ status: 'PAUSED' });
  });

  it('reads a cancel_at before the period end as a cancellation at that instant, and pause_collection as a pause', () => {
    const read = fromStripeSubscription(subscription({
      cancel_at: T('2026-10-15T00:00:00Z'),
      pause_collection: { behavior: 'keep_as_draft', resumes_at: T('2026-12-01T00:00:00Z') },
    }));
    expect(read).toMatchObject({ cancelAtPeriodEnd: false, cancelAt: D('2026-10-15T00:00:00Z'), collectionPause: { behavior: 'keep_as_draft', resumesAt: D('2026-12-01T00:00:00Z') } });
    const mirrored = mirroredSubscription({ subscription: read, snapshotKey: { at: D('2026-10-02T00:00:00Z'), seq: null, id: 'evt_1' }, payment: null }, mapping, null, billingPeriodEnd);
    expect(mirrored).toMatchObject({ status: 'ACTIVE', cancelAt: D('2026-10-15T00:00:00Z'), collectionPause: { behavior: 'keep_as_draft', resumesAt: '2026-12-01T00:00:00.000Z' } });
  });
});

describe('ordering without ids: Stripe\'s lifecycle within a second, a read sequence with an API key', () => {
  const snap = (status: string, at: string, seq: number | null = null, extra: Partial<StripeSubscriptionObject> = {}) => ({
    subscription: fromStripeSubscription(subscription({ status, ...extra })),
    key: { at: D(at), seq, id: `evt_${Math.random().toString(36).slice(2)}` },
  });
  it.each([
    ['incomplete, then active in the same second', snap('active', '2026-10-01T00:00:00Z'), snap('incomplete', '2026-10-01T00:00:00Z'), 1],
    ['trialing before active', snap('trialing', '2026-10-01T00:00:00Z'), snap('active', '2026-10-01T00:00:00Z'), -1],
    ['past_due after active', snap('past_due', '2026-10-01T00:00:00Z'), snap('active', '2026-10-01T00:00:00Z'), 1],
    ['canceled last', snap('canceled', '2026-10-01T00:00:00Z'), snap('unpaid', '2026-10-01T00:00:00Z'), 1],
    ['a later second wins whatever its status', snap('incomplete', '2026-10-01T00:00:01Z'), snap('canceled', '2026-10-01T00:00:00Z'), 1],
    ['the same snapshot twice is nothing new', snap('active', '2026-10-01T00:00:00Z'), snap('active', '2026-10-01T00:00:00Z'), 0],
    ['two different active snapshots of one second are ambiguous', snap('active', '2026-10-01T00:00:00Z', null, { cancel_at_period_end: true }), snap('active', '2026-10-01T00:00:00Z'), 'ambiguous'],
    ['with a key, the later read wins even over an older second', snap('active', '2026-10-01T00:00:00Z', 7), snap('canceled', '2026-10-01T00:00:09Z', 6), 1],
  ])('%s', (_name, a, b, expected) => {
    expect(compareSnapshots(a, b)).toBe(expected);
  });

  it('lets a paid invoice of the same second win over a failed one, and the snapshot it activates', () => {
    const key = (at: string) => ({ at: D(at), seq: null, id: 'evt_x' });
    expect(comparePayments({ outcome: 'PAID', amountPaid: 100, key: key('2026-10-01T00:00:00Z') }, { outcome: 'FAILED', amountPaid: 0, key: key('2026-10-01T00:00:00Z') })).toBe(1);
    const incomplete = state({ status: 'incomplete' }, '2026-10-01T00:00:00Z', { outcome: 'PAID', at: '2026-10-01T00:00:00Z' });
    expect(combinedStatus(incomplete)).toBe('ACTIVE');
    const failedSameSecond = state({ status: 'active' }, '2026-10-01T00:00:00Z', { outcome: 'FAILED', at: '2026-10-01T00:00:00Z' });
    expect(combinedStatus(failedSameSecond)).toBe('ACTIVE');
  });

  it('runs a past-due grace from the first failure of the unpaid invoice, whatever retries came after', () => {
    const retried = { ...state({ status: 'past_due' }, '2026-10-09T00:00:00Z', { outcome: 'FAILED', at: '2026-10-09T00:00:00Z' }), unpaid: { invoiceId: 'in_1', since: D('2026-10-01T00:00:00Z') } };
    expect(mirroredSubscription(retried, mapping, null, billingPeriodEnd).graceEndsAt).toEqual(D('2026-10-04T00:00:00Z'));
  });

  it('takes a per-seat plan item\'s quantity', () => {
    const seats = state({ items: { data: [{ id: 'si_1', price: 'price_pro_monthly', quantity: 12 }] } }, '2026-10-01T00:00:00Z');
    expect(mirroredSubscription(seats, mapping, null, billingPeriodEnd).planQuantity).toBe(12);
  });
});
