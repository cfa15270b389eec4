import type { z } from 'zod';
import type { SubscriptionStatus } from '../vocabulary/index.js';
import type { ProviderPayment, ProviderSubscription, ProviderSubscriptionItem } from './provider-subscription.js';

import {
  firstProblem,
  stripeCheckoutSessionSchema,
  stripeEventSchema,
  stripeInvoiceSchema,
  stripeSubscriptionSchema,
  type StripeCheckoutSessionObject,
  type StripeEventObject,
  type StripeInvoiceObject,
  type StripeSubscriptionObject,
} from './stripe-schema.js';

export type { StripeCheckoutSessionObject, StripeEventObject, StripeInvoiceObject, StripeSubscriptionObject };

type StripeMetadata = Record<string, string> | null | undefined;

/** A customer, as an id or expanded. */
export type StripeCustomerRef = string | { id: string; metadata?: StripeMetadata; deleted?: unknown } | null | undefined;

/** The metadata key a Stripe customer, subscription or checkout session names its Tollgate account under. */
export const ACCOUNT_METADATA_KEY = 'tollgate_account_id';

/**
 * Stripe's subscription statuses in Tollgate's words: whether the plan applies is Tollgate's
 * phase of the mapped status (see docs/stripe.md, "Connecting Stripe"). A status Stripe adds later
 * maps to nothing: the event becomes an UNKNOWN_STATUS sync issue and the last good state stays.
 */
export const STRIPE_STATUS_MAP = {
  trialing: 'TRIALING',
  active: 'ACTIVE',
  past_due: 'PAST_DUE',
  canceled: 'CANCELED',
  incomplete_expired: 'CANCELED',
  unpaid: 'EXPIRED',
  incomplete: 'EXPIRED',
  paused: 'PAUSED',
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

/** Tollgate's status for a Stripe subscription status; null for one Tollgate does not know. */
export function stripeStatus(status: string): SubscriptionStatus | null {
  return Object.hasOwn(STRIPE_STATUS_MAP, status) ? (STRIPE_STATUS_MAP as Record<string, SubscriptionStatus>)[status]! : null;
}

/** Parses `value` with `schema`, or throws MalformedStripeObject naming the first problem. */
function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new MalformedStripeObject(`${what}: ${firstProblem(parsed.error)}`);
  return parsed.data;
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
export function fromStripeSubscription(value: unknown): ProviderSubscription {
  const object = parse(stripeSubscriptionSchema, value, 'the subscription');
  const customer = customerOf(object.customer);
  const items = object.items.data.map(itemOf);
  // Stripe's own "cancel at period end", or a cancel_at at (or after) the period's end, which
  // is how the Dashboard asks for the same since API 2025-03-31. A cancel_at before the period
  // ends is a cancellation at that instant, kept as such.
  const atPeriodEnd = object.cancel_at_period_end === true || cancelsAtPeriodEnd(object.cancel_at, items, object.current_period_end);
  return {
    provider: 'stripe',
    subscriptionId: object.id,
    customerId: customer.id,
    accountIdHint: accountIdIn(object.metadata),
    customerAccountIdHint: customer.accountIdHint,
    providerStatus: object.status,
    status: stripeStatus(object.status),
    livemode: typeof object.livemode === 'boolean' ? object.livemode : null,
    trialEnd: instant(object.trial_end),
    currentPeriodStart: instant(object.current_period_start),
    currentPeriodEnd: instant(object.current_period_end),
    cancelAtPeriodEnd: atPeriodEnd,
    cancelAt: atPeriodEnd ? null : instant(object.cancel_at),
    canceledAt: instant(object.canceled_at),
    endedAt: instant(object.ended_at),
    collectionPause: object.pause_collection
      ? { behavior: object.pause_collection.behavior, resumesAt: instant(object.pause_collection.resumes_at) }
      : null,
    startedAt: instant(object.start_date) ?? instant(object.created),
    items,
  };
}

/**
 * An invoice's payment outcome: `invoice.paid` → PAID, `invoice.payment_failed` → FAILED. Its
 * subscription comes from `parent.subscription_details` (API 2025-03-31 and later) or
 * `subscription` (earlier).
 */
export function fromStripeInvoice(value: unknown, outcome: 'PAID' | 'FAILED'): ProviderPayment {
  const object = parse(stripeInvoiceSchema, value, 'the invoice');
  const customer = customerOf(object.customer);
  const details = object.parent?.subscription_details;
  return {
    provider: 'stripe',
    invoiceId: object.id,
    subscriptionId: idOf(details?.subscription) ?? idOf(object.subscription),
    customerId: customer.id,
    accountIdHint: accountIdIn(details?.metadata) ?? accountIdIn(object.subscription_details?.metadata),
    customerAccountIdHint: customer.accountIdHint,
    outcome,
    amountPaid: object.amount_paid ?? 0,
    billingReason: object.billing_reason ?? null,
  };
}

/** What a completed checkout says: this customer pays for this account, maybe with this subscription. */
export interface CheckoutCompletion {
  sessionId: string;
  customerId: string | null;
  /** `client_reference_id`, else the session's `metadata.tollgate_account_id`. */
  accountIdHint: string | null;
  /** The customer's own metadata, when the session carries the customer expanded. */
  customerAccountIdHint: string | null;
  subscriptionId: string | null;
}

/** A completed Checkout Session in Tollgate's words. */
export function fromCheckoutSession(value: unknown): CheckoutCompletion {
  const object = parse(stripeCheckoutSessionSchema, value, 'the checkout session');
  const customer = customerOf(object.customer);
  const reference = typeof object.client_reference_id === 'string' && object.client_reference_id !== '' ? object.client_reference_id : null;
  return {
    sessionId: object.id,
    customerId: customer.id,
    accountIdHint: reference ?? accountIdIn(object.metadata),
    customerAccountIdHint: customer.accountIdHint,
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
  /** Stripe's livemode of the event; null when not said. */
  livemode: boolean | null;
  change: StripeEventChange;
}

/**
 * Reads a (verified) Stripe event. Types Tollgate does not handle become `ignored`; a handled
 * type whose object is not what Stripe sends throws {@link MalformedStripeObject}.
 */
export function fromStripeEvent(value: unknown): NormalizedStripeEvent {
  const event = parse(stripeEventSchema, value, 'the event');
  const object = event.data.object;
  const base = { id: event.id, type: event.type, created: new Date(event.created * 1000), livemode: typeof event.livemode === 'boolean' ? event.livemode : null };
  if (!(HANDLED_STRIPE_EVENTS as readonly string[]).includes(event.type)) {
    return { ...base, change: { kind: 'ignored', reason: `Tollgate does not handle ${event.type} events` } };
  }
  if (!isRecord(object)) throw new MalformedStripeObject(`a ${event.type} event needs data.object`);
  switch (event.type) {
    case 'checkout.session.completed':
      return { ...base, change: { kind: 'checkout', checkout: fromCheckoutSession(object) } };
    case 'invoice.paid':
    case 'invoice.payment_failed': {
      const payment = fromStripeInvoice(object, event.type === 'invoice.paid' ? 'PAID' : 'FAILED');
      if (!payment.subscriptionId) return { ...base, change: { kind: 'ignored', reason: 'the invoice belongs to no subscription' } };
      return { ...base, change: { kind: 'payment', payment } };
    }
    default:
      return { ...base, change: { kind: 'subscription', subscription: fromStripeSubscription(object) } };
  }
}

function itemOf(item: { id?: string | null; price?: string | { id: string } | null; plan?: { id: string } | null; quantity?: number | null; current_period_start?: number | null; current_period_end?: number | null }): ProviderSubscriptionItem {
  const priceId = idOf(item.price) ?? idOf(item.plan);
  if (!priceId) throw new MalformedStripeObject('the subscription: an item names no price');
  return {
    itemId: item.id ?? null,
    priceId,
    quantity: item.quantity ?? 1,
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

/** A Stripe time as a Date; the schema has checked it is whole seconds within 1970-9999. */
function instant(seconds: number | null | undefined): Date | null {
  return typeof seconds === 'number' && seconds > 0 ? new Date(seconds * 1000) : null;
}

function isRecord(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
