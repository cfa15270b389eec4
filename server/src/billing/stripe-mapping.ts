import type { SubscriptionStatus } from '../vocabulary/index.js';
import type { ProviderPayment, ProviderSubscription, ProviderSubscriptionItem } from './provider-subscription.js';

/**
 * Stripe objects, as far as Tollgate reads them. Written by hand rather than taken from the
 * `stripe` package's types so that both shapes Stripe has sent are accepted: API 2025-03-31
 * ("basil") and later keep the current period on each subscription item and an invoice's
 * subscription under `parent.subscription_details`; earlier versions kept them on the
 * subscription and the invoice. Everything read is optional here and checked in code, since
 * it arrives as JSON.
 */
type StripeMetadata = Record<string, string> | null | undefined;

/** A customer, as an id or expanded. */
export type StripeCustomerRef = string | { id: string; metadata?: StripeMetadata; deleted?: unknown } | null | undefined;

/** The fields of a Stripe `subscription` object that Tollgate reads. */
export interface StripeSubscriptionObject {
  id: string;
  object?: string;
  customer?: StripeCustomerRef;
  status: string;
  metadata?: StripeMetadata;
  trial_end?: number | null;
  cancel_at_period_end?: boolean | null;
  cancel_at?: number | null;
  canceled_at?: number | null;
  ended_at?: number | null;
  start_date?: number | null;
  created?: number | null;
  /** Before API 2025-03-31 only. */
  current_period_start?: number | null;
  current_period_end?: number | null;
  items?: { data?: StripeSubscriptionItemObject[] | null } | null;
}

/** The fields of a Stripe subscription item that Tollgate reads. */
export interface StripeSubscriptionItemObject {
  id?: string;
  price?: string | { id: string } | null;
  /** The legacy Plans API: a plan's id is also its price's id. */
  plan?: { id: string } | null;
  quantity?: number | null;
  /** API 2025-03-31 and later. */
  current_period_start?: number | null;
  current_period_end?: number | null;
}

/** The fields of a Stripe `invoice` object that Tollgate reads. */
export interface StripeInvoiceObject {
  id: string;
  customer?: StripeCustomerRef;
  amount_paid?: number | null;
  billing_reason?: string | null;
  /** API 2025-03-31 and later. */
  parent?: { subscription_details?: { subscription?: string | { id: string } | null; metadata?: StripeMetadata } | null } | null;
  /** Before API 2025-03-31. */
  subscription?: string | { id: string } | null;
  subscription_details?: { metadata?: StripeMetadata } | null;
}

/** The fields of a Stripe `checkout.session` object that Tollgate reads. */
export interface StripeCheckoutSessionObject {
  id: string;
  customer?: StripeCustomerRef;
  client_reference_id?: string | null;
  metadata?: StripeMetadata;
  subscription?: string | { id: string } | null;
}

/** A Stripe event: the envelope of every webhook delivery. */
export interface StripeEventObject {
  id: string;
  type: string;
  created: number;
  data: { object: unknown };
}

/** The metadata key a Stripe customer, subscription or checkout session names its Tollgate account under. */
export const ACCOUNT_METADATA_KEY = 'tollgate_account_id';

/**
 * Stripe's subscription statuses in Tollgate's words: whether the plan applies is Tollgate's
 * phase of the mapped status (see the README's "Connecting Stripe"). Statuses Stripe adds later
 * map to EXPIRED: not in force until Tollgate knows better.
 */
export const STRIPE_STATUS_MAP = {
  trialing: 'TRIALING',
  active: 'ACTIVE',
  past_due: 'PAST_DUE',
  canceled: 'CANCELED',
  incomplete_expired: 'CANCELED',
  unpaid: 'EXPIRED',
  incomplete: 'EXPIRED',
  paused: 'EXPIRED',
} as const satisfies Record<string, SubscriptionStatus>;

/** The event types Tollgate applies; every other type is answered 200 and recorded as IGNORED. */
export const HANDLED_STRIPE_EVENTS = [
  'checkout.session.completed',
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'invoice.paid',
  'invoice.payment_failed',
] as const;

/** A Stripe object Tollgate cannot read: its shape is not one Stripe sends. */
export class MalformedStripeObject extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedStripeObject';
  }
}

/** Tollgate's status for a Stripe subscription status. */
export function stripeStatus(status: string): SubscriptionStatus {
  return (STRIPE_STATUS_MAP as Record<string, SubscriptionStatus>)[status] ?? 'EXPIRED';
}

/**
 * A Stripe subscription in Tollgate's words: its customer, status, trial, period, cancellation
 * and priced items. The reusable half of billing sync: webhooks and reconciliation both start
 * here. Throws {@link MalformedStripeObject} for something that is not a subscription.
 *
 * @example
 * const subscription = fromStripeSubscription(await stripe.subscriptions.retrieve('sub_123'));
 * subscription.status; // 'ACTIVE'
 */
export function fromStripeSubscription(object: StripeSubscriptionObject): ProviderSubscription {
  if (!isRecord(object) || !isId(object.id) || typeof object.status !== 'string') {
    throw new MalformedStripeObject('a subscription needs an id and a status');
  }
  const customer = customerOf(object.customer);
  const items = (Array.isArray(object.items?.data) ? object.items.data : []).map(itemOf);
  return {
    provider: 'stripe',
    subscriptionId: object.id,
    customerId: customer.id,
    accountIdHint: accountIdIn(object.metadata) ?? customer.accountIdHint,
    providerStatus: object.status,
    status: stripeStatus(object.status),
    trialEnd: instant(object.trial_end),
    currentPeriodStart: instant(object.current_period_start),
    currentPeriodEnd: instant(object.current_period_end),
    // Stripe's own "cancel at period end", or a cancel_at at (or after) the period's end, which
    // is how the Dashboard asks for the same since API 2025-03-31.
    cancelAtPeriodEnd: object.cancel_at_period_end === true || cancelsAtPeriodEnd(object.cancel_at, items, object.current_period_end),
    canceledAt: instant(object.canceled_at),
    endedAt: instant(object.ended_at),
    startedAt: instant(object.start_date) ?? instant(object.created),
    items,
  };
}

/**
 * An invoice's payment outcome: `invoice.paid` → PAID, `invoice.payment_failed` → FAILED. Its
 * subscription comes from `parent.subscription_details` (API 2025-03-31 and later) or
 * `subscription` (earlier).
 */
export function fromStripeInvoice(object: StripeInvoiceObject, outcome: 'PAID' | 'FAILED'): ProviderPayment {
  if (!isRecord(object) || !isId(object.id)) throw new MalformedStripeObject('an invoice needs an id');
  const customer = customerOf(object.customer);
  const details = object.parent?.subscription_details;
  return {
    provider: 'stripe',
    invoiceId: object.id,
    subscriptionId: idOf(details?.subscription) ?? idOf(object.subscription),
    customerId: customer.id,
    accountIdHint: accountIdIn(details?.metadata) ?? accountIdIn(object.subscription_details?.metadata) ?? customer.accountIdHint,
    outcome,
    amountPaid: typeof object.amount_paid === 'number' && object.amount_paid > 0 ? object.amount_paid : 0,
  };
}

/** What a completed checkout says: this customer pays for this account, maybe with this subscription. */
export interface CheckoutCompletion {
  sessionId: string;
  customerId: string | null;
  /** `client_reference_id`, else `metadata.tollgate_account_id`. */
  accountIdHint: string | null;
  subscriptionId: string | null;
}

/** A completed Checkout Session in Tollgate's words. */
export function fromCheckoutSession(object: StripeCheckoutSessionObject): CheckoutCompletion {
  if (!isRecord(object) || !isId(object.id)) throw new MalformedStripeObject('a checkout session needs an id');
  const customer = customerOf(object.customer);
  const reference = typeof object.client_reference_id === 'string' && object.client_reference_id !== '' ? object.client_reference_id : null;
  return {
    sessionId: object.id,
    customerId: customer.id,
    accountIdHint: reference ?? accountIdIn(object.metadata) ?? customer.accountIdHint,
    subscriptionId: idOf(object.subscription),
  };
}

/** What one Stripe event asks of Tollgate. */
export type StripeEventChange =
  | { kind: 'subscription'; subscription: ProviderSubscription }
  | { kind: 'payment'; payment: ProviderPayment }
  | { kind: 'checkout'; checkout: CheckoutCompletion }
  | { kind: 'ignored'; reason: string };

/** A verified Stripe event in Tollgate's words: its id, type, time, and what it asks. */
export interface NormalizedStripeEvent {
  id: string;
  type: string;
  created: Date;
  change: StripeEventChange;
}

/**
 * Reads a (verified) Stripe event. Types Tollgate does not handle become `ignored`; a handled
 * type whose object is not what Stripe sends throws {@link MalformedStripeObject}.
 */
export function fromStripeEvent(event: StripeEventObject): NormalizedStripeEvent {
  if (!isRecord(event) || !isId(event.id) || typeof event.type !== 'string' || !Number.isSafeInteger(event.created)) {
    throw new MalformedStripeObject('an event needs an id, a type and a created timestamp');
  }
  const object = isRecord(event.data) ? event.data.object : undefined;
  const base = { id: event.id, type: event.type, created: new Date(event.created * 1000) };
  if (!(HANDLED_STRIPE_EVENTS as readonly string[]).includes(event.type)) {
    return { ...base, change: { kind: 'ignored', reason: `Tollgate does not handle ${event.type} events` } };
  }
  if (!isRecord(object)) throw new MalformedStripeObject(`a ${event.type} event needs data.object`);
  switch (event.type) {
    case 'checkout.session.completed':
      return { ...base, change: { kind: 'checkout', checkout: fromCheckoutSession(object as unknown as StripeCheckoutSessionObject) } };
    case 'invoice.paid':
    case 'invoice.payment_failed': {
      const payment = fromStripeInvoice(object as unknown as StripeInvoiceObject, event.type === 'invoice.paid' ? 'PAID' : 'FAILED');
      if (!payment.subscriptionId) return { ...base, change: { kind: 'ignored', reason: 'the invoice belongs to no subscription' } };
      return { ...base, change: { kind: 'payment', payment } };
    }
    default:
      return { ...base, change: { kind: 'subscription', subscription: fromStripeSubscription(object as unknown as StripeSubscriptionObject) } };
  }
}

function itemOf(item: StripeSubscriptionItemObject): ProviderSubscriptionItem {
  const priceId = idOf(item?.price) ?? idOf(item?.plan);
  if (!isRecord(item) || !priceId) throw new MalformedStripeObject('a subscription item needs a price');
  return {
    priceId,
    quantity: typeof item.quantity === 'number' && Number.isSafeInteger(item.quantity) && item.quantity >= 0 ? item.quantity : 1,
    currentPeriodStart: instant(item.current_period_start),
    currentPeriodEnd: instant(item.current_period_end),
  };
}

function cancelsAtPeriodEnd(cancelAt: number | null | undefined, items: ProviderSubscriptionItem[], subscriptionPeriodEnd: number | null | undefined): boolean {
  const at = instant(cancelAt);
  if (!at) return false;
  const ends = [instant(subscriptionPeriodEnd), ...items.map((item) => item.currentPeriodEnd)].filter((end): end is Date => end !== null);
  return ends.length > 0 && ends.some((end) => at >= end);
}

function customerOf(customer: StripeCustomerRef): { id: string | null; accountIdHint: string | null } {
  if (typeof customer === 'string') return { id: isId(customer) ? customer : null, accountIdHint: null };
  if (isRecord(customer) && isId(customer.id)) return { id: customer.id, accountIdHint: accountIdIn(customer.metadata) };
  return { id: null, accountIdHint: null };
}

function accountIdIn(metadata: StripeMetadata): string | null {
  const value = isRecord(metadata) ? metadata[ACCOUNT_METADATA_KEY] : undefined;
  return typeof value === 'string' && value !== '' ? value : null;
}

function idOf(value: string | { id: string } | null | undefined): string | null {
  if (typeof value === 'string') return isId(value) ? value : null;
  return isRecord(value) && isId(value.id) ? value.id : null;
}

/** Stripe ids are short printable strings; anything else is not an id Tollgate will store. */
function isId(value: unknown): value is string {
  return typeof value === 'string' && /^[\x21-\x7e]{1,255}$/.test(value);
}

function instant(seconds: number | null | undefined): Date | null {
  return typeof seconds === 'number' && Number.isSafeInteger(seconds) && seconds > 0 ? new Date(seconds * 1000) : null;
}

function isRecord(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
