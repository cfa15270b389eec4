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
  /** `metadata.tollgate_account_id` of the subscription. */
  accountIdHint: string | null;
  /** `metadata.tollgate_account_id` of its customer, when the customer came expanded. */
  customerAccountIdHint: string | null;
  /** The provider's own status, kept for messages and reconciliation. */
  providerStatus: string;
  /** The provider's status in Tollgate's words (see STRIPE_STATUS_MAP); null for a status Tollgate does not know. */
  status: SubscriptionStatus | null;
  /** Stripe's livemode: false for test-mode objects; null when not said. */
  livemode: boolean | null;
  trialEnd: Date | null;
  /** Subscription-level period: the fallback for items without their own. */
  currentPeriodStart: Date | null;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  /** A cancellation set for an instant that is not the period's end (Stripe's `cancel_at`). */
  cancelAt: Date | null;
  canceledAt: Date | null;
  endedAt: Date | null;
  /** Stripe's `pause_collection`: invoices held until `resumesAt`; access follows the status. */
  collectionPause: { behavior: 'keep_as_draft' | 'mark_uncollectible' | 'void'; resumesAt: Date | null } | null;
  /** When the subscription began: which of an account's subscriptions is newest. */
  startedAt: Date | null;
  items: ProviderSubscriptionItem[];
}

/** One priced line of a provider subscription. */
export interface ProviderSubscriptionItem {
  /** Stripe's `si_…`: a plan change swaps this item's price. Null when not given. */
  itemId: string | null;
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
  /** `metadata.tollgate_account_id` of its subscription, as Stripe copies it onto the invoice. */
  accountIdHint: string | null;
  customerAccountIdHint: string | null;
  outcome: 'PAID' | 'FAILED';
  /** Minor units paid. A trial's $0 invoice does not end the trial. */
  amountPaid: number;
  /**
   * Why Stripe made the invoice (`subscription_cycle`, `subscription_create`, `subscription_update`
   * for a proration, `manual`…). Without an API key only a failed cycle or first invoice makes a
   * subscription past due: Stripe keeps a subscription active when a proration invoice fails.
   */
  billingReason: string | null;
}

/** Invoices whose failure makes a subscription past due (Stripe's own rule for its status). */
export const DUNNING_BILLING_REASONS: readonly string[] = ['subscription_cycle', 'subscription_create'];

/**
 * Orders what Tollgate learns of one provider subscription. With STRIPE_API_KEY each event makes
 * Tollgate read the subscription, and `seq` is a sequence Tollgate took just before that read: a
 * read that began after another one (and so after every change that one saw) has the greater
 * sequence, so the newest read wins whatever order the answers and events arrive in. Without a
 * key `seq` is null and `at` is the event's `created`, whole seconds; see {@link compareSnapshots}.
 * Never an id comparison: Stripe's ids are not in time order.
 */
export interface OrderKey {
  at: Date;
  seq: number | null;
  /** The event (or reconciliation run) that brought it: for messages and the audit log only. */
  id: string;
}

/**
 * Stripe's lifecycle order, for two snapshots of one subscription with the same `created` second:
 * a subscription moves this way (incomplete → trialing → active → past_due → unpaid → canceled),
 * so the later status is the later snapshot. `paused` sits with unpaid (a trial that ended
 * unpaid); unknown statuses have no rank.
 */
export const STRIPE_LIFECYCLE_RANK: Readonly<Record<string, number>> = {
  incomplete: 0,
  trialing: 1,
  active: 2,
  past_due: 3,
  unpaid: 4,
  paused: 4,
  canceled: 5,
  incomplete_expired: 5,
};

/**
 * Negative when snapshot `a` is older than `b`, positive when newer, 0 when they are the same
 * snapshot (nothing to apply), 'ambiguous' when Tollgate cannot tell: both read with a sequence
 * compare by it; else by time; within one second by {@link STRIPE_LIFECYCLE_RANK}; two different
 * snapshots of one second and one rank are ambiguous (held as an ORDER_AMBIGUOUS sync issue until
 * a newer event settles it).
 */
export function compareSnapshots(a: { subscription: ProviderSubscription; key: OrderKey }, b: { subscription: ProviderSubscription; key: OrderKey }): number | 'ambiguous' {
  if (a.key.seq !== null && b.key.seq !== null) return Math.sign(a.key.seq - b.key.seq);
  const byTime = Math.floor(a.key.at.getTime() / 1000) - Math.floor(b.key.at.getTime() / 1000);
  if (byTime !== 0) return Math.sign(byTime);
  if (a.key.seq !== null || b.key.seq !== null) return Math.sign(a.key.at.getTime() - b.key.at.getTime());
  const rankA = STRIPE_LIFECYCLE_RANK[a.subscription.providerStatus];
  const rankB = STRIPE_LIFECYCLE_RANK[b.subscription.providerStatus];
  if (rankA !== undefined && rankB !== undefined && rankA !== rankB) return Math.sign(rankA - rankB);
  return sameSnapshot(a.subscription, b.subscription) ? 0 : 'ambiguous';
}

/** Whether two provider subscriptions say the same thing (their JSON is equal). */
export function sameSnapshot(a: ProviderSubscription, b: ProviderSubscription): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Orders two payment outcomes of one subscription (invoice events, used without an API key): by
 * the second of the event; within one second a paid invoice after a failed one (a payment settles
 * what a failure opened, and a customer who paid keeps access), then the larger amount paid.
 * 0 when they say the same.
 */
export function comparePayments(a: PaymentSignal, b: PaymentSignal): number {
  const byTime = Math.floor(a.key.at.getTime() / 1000) - Math.floor(b.key.at.getTime() / 1000);
  if (byTime !== 0) return Math.sign(byTime);
  if (a.outcome !== b.outcome) return a.outcome === 'PAID' ? 1 : -1;
  return Math.sign(a.amountPaid - b.amountPaid);
}

/**
 * Whether a payment outcome is newer than the snapshot: a later second, or the same second for a
 * paid invoice (Stripe sends `invoice.paid` with the snapshot that it activates, in one second).
 */
function paymentAfterSnapshot(payment: PaymentSignal, snapshot: OrderKey): boolean {
  if (snapshot.seq !== null) return false;
  const byTime = Math.floor(payment.key.at.getTime() / 1000) - Math.floor(snapshot.at.getTime() / 1000);
  return byTime > 0 || (byTime === 0 && payment.outcome === 'PAID');
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
  /**
   * The invoice that failed last (a cycle or first invoice) and the first time it failed: a
   * past-due grace runs from there, so Stripe's smart retries of that invoice never move it.
   */
  unpaid?: { invoiceId: string; since: Date } | null;
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
  // Only snapshots with a known status are ever stored.
  const status = subscription.status ?? 'EXPIRED';
  if (!payment || !paymentAfterSnapshot(payment, state.snapshotKey)) return status;
  if (payment.outcome === 'FAILED') return IN_FORCE.includes(status) ? 'PAST_DUE' : status;
  if (status === 'TRIALING') return payment.amountPaid > 0 ? 'ACTIVE' : 'TRIALING';
  if (REVIVED_BY_PAYMENT.has(subscription.providerStatus)) return 'ACTIVE';
  return status;
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
  cancelAt: Date | null;
  collectionPause: { behavior: 'keep_as_draft' | 'mark_uncollectible' | 'void'; resumesAt: string | null } | null;
  /** The plan item's quantity: the seats of a per-seat price. */
  planQuantity: number | null;
}

const DAY_MS = 86_400_000;

/**
 * Tollgate's subscription as a provider subscription says it should be. A function of the
 * provider state and the mapping alone, except `convertedAt`, which once set is kept (as
 * AccountsService keeps it): the same inputs give the same fields, whatever came before.
 *
 * - status: {@link combinedStatus}; `trialEndsAt` only while TRIALING.
 * - PAST_DUE: `graceEndsAt` = the first failure of the invoice that failed last (or, without
 *   one, the start of the period whose invoice is unpaid) + the grace days: retries never move it.
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
  const paymentNewer = payment !== null && paymentAfterSnapshot(payment, state.snapshotKey);
  const evidenceAt = paymentNewer ? payment.key.at : state.snapshotKey.at;

  const item = subscription.items[mapping.planItem];
  const start = item?.currentPeriodStart ?? subscription.currentPeriodStart ?? subscription.startedAt ?? state.snapshotKey.at;
  const end = item?.currentPeriodEnd ?? subscription.currentPeriodEnd ?? fallbackPeriodEnd(start, mapping.interval);

  let graceEndsAt: Date | null = null;
  if (status === 'PAST_DUE') {
    const failedAt = state.unpaid?.since ?? (paymentNewer && payment.outcome === 'FAILED' ? payment.key.at : start);
    graceEndsAt = new Date(failedAt.getTime() + mapping.pastDueGraceDays * DAY_MS);
  }

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
    cancelAt: subscription.cancelAt && IN_FORCE.includes(status) ? subscription.cancelAt : null,
    collectionPause: subscription.collectionPause
      ? { behavior: subscription.collectionPause.behavior, resumesAt: subscription.collectionPause.resumesAt?.toISOString() ?? null }
      : null,
    planQuantity: item?.quantity ?? null,
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
    if (status === 'TRIALING' || status === 'PAUSED') return null;
    const lastAlive = subscription.endedAt ?? subscription.canceledAt ?? evidenceAt;
    return lastAlive > trialEnd ? trialEnd : null;
  }
  return previous?.status === 'TRIALING' && status === 'ACTIVE' ? evidenceAt : null;
}
