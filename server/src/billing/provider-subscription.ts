import type { BillingInterval, SubscriptionStatus } from '../vocabulary/index.js';

/**
 * A billing provider's subscription in Tollgate's words, whatever the provider and however it
 * arrived (a webhook, an API read, reconciliation). {@link fromStripeSubscription} makes one
 * from a Stripe object; {@link mirroredSubscription} turns it into Tollgate's subscription fields.
 * Pure data: dates are Dates, nothing refers to the database.
 */
export interface ProviderSubscription {
  provider: 'stripe';
  /** Stripe's `sub_…`. */
  subscriptionId: string;
  /** Stripe's `cus_…`; null only for objects that lost their customer. */
  customerId: string | null;
  /** `metadata.tollgate_account_id` of the subscription (or of its customer, when expanded). */
  accountIdHint: string | null;
  /** The provider's own status, kept for messages and reconciliation. */
  providerStatus: string;
  /** The provider's status in Tollgate's words (see STRIPE_STATUS_MAP). */
  status: SubscriptionStatus;
  trialEnd: Date | null;
  /** Subscription-level period: the fallback for items without their own. */
  currentPeriodStart: Date | null;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  canceledAt: Date | null;
  endedAt: Date | null;
  /** When the subscription began: which of an account's subscriptions is newest. */
  startedAt: Date | null;
  items: ProviderSubscriptionItem[];
}

/** One priced line of a provider subscription. */
export interface ProviderSubscriptionItem {
  priceId: string;
  quantity: number;
  /** Stripe API 2025-03-31 and later keep the period on each item. */
  currentPeriodStart: Date | null;
  currentPeriodEnd: Date | null;
}

/** An invoice's payment outcome for a subscription: paid (active again) or failed (past due). */
export interface ProviderPayment {
  provider: 'stripe';
  invoiceId: string;
  /** Null for an invoice of no subscription (a one-off charge), which Tollgate ignores. */
  subscriptionId: string | null;
  customerId: string | null;
  accountIdHint: string | null;
  outcome: 'PAID' | 'FAILED';
  /** Minor units paid. A trial's $0 invoice does not end the trial. */
  amountPaid: number;
}

/**
 * Orders the events applied to one provider subscription: the event's `created`, then its id as
 * a tie-break, so every delivery order picks the same newest event.
 */
export interface OrderKey {
  at: Date;
  id: string;
}

/** Negative when `a` is older than `b`, positive when newer, 0 for the same key. */
export function compareOrderKeys(a: OrderKey, b: OrderKey): number {
  const byTime = a.at.getTime() - b.at.getTime();
  if (byTime !== 0) return byTime;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** A payment outcome as kept for one provider subscription: the newest of its invoice events. */
export interface PaymentSignal {
  outcome: 'PAID' | 'FAILED';
  amountPaid: number;
  key: OrderKey;
}

/**
 * What Tollgate knows of one provider subscription: its newest snapshot (subscription events,
 * checkout, reconciliation) and its newest payment outcome (invoice events), each with the key
 * of the event that brought it. The two are ordered separately, so an invoice event never hides
 * a subscription event or the reverse, and the state is a function of the two newest alone:
 * that is what makes every delivery order end in the same state.
 */
export interface ProviderSubscriptionState {
  subscription: ProviderSubscription;
  snapshotKey: OrderKey;
  payment: PaymentSignal | null;
}

/** Statuses under which a subscription's plan applies (before time-based grace ends). */
const IN_FORCE: readonly SubscriptionStatus[] = ['TRIALING', 'ACTIVE', 'PAST_DUE'];
/** Provider statuses a paid invoice brings back to ACTIVE: the first invoice of an incomplete subscription, a late payment. */
const REVIVED_BY_PAYMENT = new Set(['incomplete', 'past_due', 'unpaid']);

/**
 * The status the provider subscription has once its newest payment outcome is taken into
 * account. A payment newer than the snapshot overrides the snapshot's status: paid → ACTIVE
 * (and a paid, non-zero invoice converts a trial), failed → PAST_DUE for a subscription in
 * force. Canceled and paused subscriptions are not revived by a payment.
 */
export function combinedStatus(state: ProviderSubscriptionState): SubscriptionStatus {
  const { subscription, payment } = state;
  if (!payment || compareOrderKeys(payment.key, state.snapshotKey) <= 0) return subscription.status;
  if (payment.outcome === 'FAILED') return IN_FORCE.includes(subscription.status) ? 'PAST_DUE' : subscription.status;
  if (subscription.status === 'TRIALING') return payment.amountPaid > 0 ? 'ACTIVE' : 'TRIALING';
  if (REVIVED_BY_PAYMENT.has(subscription.providerStatus)) return 'ACTIVE';
  return subscription.status;
}

/**
 * Which of an account's provider subscriptions Tollgate's one subscription mirrors: one in force
 * before one that is not, then the most recently started, then the greatest id. A function of the
 * set alone, so the order events arrived in does not matter.
 */
export function governingState(states: readonly ProviderSubscriptionState[]): ProviderSubscriptionState | null {
  let best: ProviderSubscriptionState | null = null;
  for (const state of states) {
    if (!best || precedes(state, best)) best = state;
  }
  return best;
}

function precedes(a: ProviderSubscriptionState, b: ProviderSubscriptionState): boolean {
  const aInForce = IN_FORCE.includes(combinedStatus(a));
  const bInForce = IN_FORCE.includes(combinedStatus(b));
  if (aInForce !== bInForce) return aInForce;
  const aStart = a.subscription.startedAt?.getTime() ?? 0;
  const bStart = b.subscription.startedAt?.getTime() ?? 0;
  if (aStart !== bStart) return aStart > bStart;
  return a.subscription.subscriptionId > b.subscription.subscriptionId;
}

/** The plan version and add-ons a provider subscription's prices map to, as the service found them. */
export interface PriceMapping {
  /** Index in `subscription.items` of the item that carries the plan. */
  planItem: number;
  planKey: string;
  interval: BillingInterval;
  /** Days a PAST_DUE subscription keeps its plan: the version's own, or the server's default. */
  pastDueGraceDays: number;
  addOns: { addOnKey: string; quantity: number }[];
}

/** What Tollgate's subscription had before, where the mirror keeps history. */
export interface PreviousSubscription {
  status: SubscriptionStatus;
  convertedAt: Date | null;
}

/** Tollgate's subscription fields that mirror a provider subscription (the plan version aside). */
export interface MirroredSubscription {
  status: SubscriptionStatus;
  trialEndsAt: Date | null;
  graceEndsAt: Date | null;
  convertedAt: Date | null;
  currentPeriodStart: Date;
  currentPeriodEnd: Date;
  cancelAtPeriodEnd: boolean;
  canceledAt: Date | null;
  addOns: { addOnKey: string; quantity: number }[];
  billingProviderIds: { stripeCustomerId?: string; stripeSubscriptionId?: string };
}

const DAY_MS = 86_400_000;

/**
 * Tollgate's subscription as a provider subscription says it should be. A function of the
 * provider state and the mapping alone, except `convertedAt`, which once set is kept (as
 * AccountsService keeps it): the same inputs give the same fields, whatever came before.
 *
 * - status: {@link combinedStatus}; `trialEndsAt` only while TRIALING.
 * - PAST_DUE: `graceEndsAt` = the newest failed payment's time (or, without one newer than the
 *   last paid one, the snapshot's) + the grace days.
 * - `convertedAt`: a provider trial that went on as a paid subscription converted at its end;
 *   a Tollgate trial (no provider trial) that becomes ACTIVE converted when that was observed.
 * - period: the plan item's, else the subscription's, else `fallbackPeriod` from the snapshot.
 *
 * @example
 * mirroredSubscription(state, mapping, null, (start) => addMonth(start)).status; // 'ACTIVE'
 */
export function mirroredSubscription(
  state: ProviderSubscriptionState,
  mapping: PriceMapping,
  previous: PreviousSubscription | null,
  fallbackPeriodEnd: (start: Date, interval: BillingInterval) => Date,
): MirroredSubscription {
  const { subscription, payment } = state;
  const status = combinedStatus(state);
  const paymentNewer = payment !== null && compareOrderKeys(payment.key, state.snapshotKey) > 0;
  const evidenceAt = paymentNewer ? payment.key.at : state.snapshotKey.at;

  let graceEndsAt: Date | null = null;
  if (status === 'PAST_DUE') {
    const failedAt = payment?.outcome === 'FAILED' ? payment.key.at : state.snapshotKey.at;
    graceEndsAt = new Date(failedAt.getTime() + mapping.pastDueGraceDays * DAY_MS);
  }

  const item = subscription.items[mapping.planItem];
  const start = item?.currentPeriodStart ?? subscription.currentPeriodStart ?? subscription.startedAt ?? state.snapshotKey.at;
  const end = item?.currentPeriodEnd ?? subscription.currentPeriodEnd ?? fallbackPeriodEnd(start, mapping.interval);

  return {
    status,
    trialEndsAt: status === 'TRIALING' ? subscription.trialEnd : null,
    graceEndsAt,
    convertedAt: previous?.convertedAt ?? conversion(subscription, status, evidenceAt, previous),
    currentPeriodStart: start,
    currentPeriodEnd: end,
    cancelAtPeriodEnd: subscription.cancelAtPeriodEnd && IN_FORCE.includes(status),
    canceledAt: subscription.canceledAt,
    addOns: mapping.addOns,
    billingProviderIds: {
      ...(subscription.customerId ? { stripeCustomerId: subscription.customerId } : {}),
      stripeSubscriptionId: subscription.subscriptionId,
    },
  };
}

/**
 * When a trial turned into a paid subscription, if it has. A provider trial converted at its end
 * when the subscription went on past it (paid or past due, or ended later than the trial did), so
 * every event after the trial gives the same instant. A Tollgate trial converts when ACTIVE is seen.
 */
function conversion(subscription: ProviderSubscription, status: SubscriptionStatus, evidenceAt: Date, previous: PreviousSubscription | null): Date | null {
  const trialEnd = subscription.trialEnd;
  if (trialEnd) {
    if (status === 'ACTIVE' || status === 'PAST_DUE') return trialEnd < evidenceAt ? trialEnd : evidenceAt;
    // Ended or lapsed: converted if it lived on past the trial. A trial that ends without a
    // payment method ends (canceled at trial_end) or pauses right there, unconverted.
    if (status === 'TRIALING' || subscription.providerStatus === 'paused') return null;
    const lastAlive = subscription.endedAt ?? subscription.canceledAt ?? evidenceAt;
    return lastAlive > trialEnd ? trialEnd : null;
  }
  return previous?.status === 'TRIALING' && status === 'ACTIVE' ? evidenceAt : null;
}
