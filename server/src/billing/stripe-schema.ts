import { z } from 'zod';

/**
 * The one schema for the part of Stripe's objects Tollgate reads: events, subscriptions (with
 * their items and prices), invoices, checkout sessions and customers, whether they came in a
 * webhook or from Stripe's API. Fields Tollgate does not read pass through unchecked; fields it
 * reads must be what Stripe can send: ids are short printable strings, times are whole seconds
 * from 1970 to 9999, quantities whole and not negative, a period ends after it starts. Anything
 * else is an impossible value and is never applied (the webhook answers 400 MALFORMED_EVENT).
 *
 * Both shapes Stripe has sent are accepted: API 2025-03-31 ("basil") and later keep the current
 * period on each subscription item and an invoice's subscription under
 * `parent.subscription_details`; earlier versions kept them on the subscription and the invoice.
 */

/** 9999-12-31T23:59:59Z: the last instant PostgreSQL and JavaScript both hold, and beyond any Stripe date. */
export const LAST_STRIPE_SECOND = 253_402_300_799;

/** A Stripe id (`sub_…`, `cus_…`, `evt_…`): printable ASCII without spaces, at most 255 characters. */
export const stripeId = z.string().regex(/^[\x21-\x7e]{1,255}$/, 'a Stripe id is 1-255 printable characters');

/** A Stripe timestamp: whole seconds from 1970 to 9999. */
export const stripeTime = z.number().int('a Stripe time is whole seconds').min(0).max(LAST_STRIPE_SECOND, 'a Stripe time ends in 9999');

/** Stripe's metadata: at most 50 keys of up to 40 characters, string values of up to 500. */
const metadata = z.record(z.string().max(40), z.string().max(500)).refine((value) => Object.keys(value).length <= 50, 'at most 50 metadata keys').nullish();

/** An expandable reference: an id, or the object with its id. */
const reference = z.union([stripeId, z.looseObject({ id: stripeId })]).nullish();

const customer = z.union([
  stripeId,
  z.looseObject({ id: stripeId, metadata, deleted: z.boolean().nullish() }),
]).nullish();

/** A quantity Stripe can bill: a whole number from 0 to 2^53-1. */
const quantity = z.number().int('a quantity is a whole number').min(0, 'a quantity is not negative').max(Number.MAX_SAFE_INTEGER);

/** Lower-case words with underscores: the shape of every Stripe status, known or added later. */
const statusWord = z.string().regex(/^[a-z][a-z_]{0,63}$/, 'a Stripe status is a lower-case word');

const period = <T extends { current_period_start?: number | null; current_period_end?: number | null }>(value: T) =>
  value.current_period_start === null || value.current_period_start === undefined ||
  value.current_period_end === null || value.current_period_end === undefined ||
  value.current_period_end >= value.current_period_start;

/** A subscription item: the price (or legacy plan) it bills, how many, and (API 2025-03-31 on) its period. */
export const stripeSubscriptionItemSchema = z
  .looseObject({
    id: stripeId.nullish(),
    price: reference,
    plan: z.looseObject({ id: stripeId }).nullish(),
    quantity: quantity.nullish(),
    current_period_start: stripeTime.nullish(),
    current_period_end: stripeTime.nullish(),
  })
  .refine((item) => !!(item.price ?? item.plan), 'a subscription item names a price')
  .refine(period, 'an item\'s period ends after it starts');

/** Stripe's `pause_collection`. */
const pauseCollection = z.looseObject({
  behavior: z.enum(['keep_as_draft', 'mark_uncollectible', 'void']),
  resumes_at: stripeTime.nullish(),
});

/** A Stripe `subscription` as far as Tollgate reads it. */
export const stripeSubscriptionSchema = z
  .looseObject({
    id: stripeId,
    object: z.literal('subscription').optional(),
    customer,
    status: statusWord,
    livemode: z.boolean().nullish(),
    metadata,
    trial_start: stripeTime.nullish(),
    trial_end: stripeTime.nullish(),
    cancel_at_period_end: z.boolean().nullish(),
    cancel_at: stripeTime.nullish(),
    canceled_at: stripeTime.nullish(),
    ended_at: stripeTime.nullish(),
    start_date: stripeTime.nullish(),
    created: stripeTime.nullish(),
    current_period_start: stripeTime.nullish(),
    current_period_end: stripeTime.nullish(),
    pause_collection: pauseCollection.nullish(),
    items: z.looseObject({ data: z.array(stripeSubscriptionItemSchema).max(500) }),
  })
  .refine(period, 'the subscription\'s period ends after it starts')
  .refine((value) => !value.trial_start || !value.trial_end || value.trial_end >= value.trial_start, 'a trial ends after it starts');

/** A Stripe `invoice` as far as Tollgate reads it. */
export const stripeInvoiceSchema = z.looseObject({
  id: stripeId,
  object: z.literal('invoice').optional(),
  customer,
  livemode: z.boolean().nullish(),
  amount_paid: quantity.nullish(),
  amount_due: quantity.nullish(),
  billing_reason: statusWord.nullish(),
  status: statusWord.nullish(),
  parent: z.looseObject({
    subscription_details: z.looseObject({ subscription: reference, metadata }).nullish(),
  }).nullish(),
  subscription: reference,
  subscription_details: z.looseObject({ metadata }).nullish(),
});

/** A Stripe `checkout.session` as far as Tollgate reads it. */
export const stripeCheckoutSessionSchema = z.looseObject({
  id: stripeId,
  object: z.literal('checkout.session').optional(),
  customer,
  livemode: z.boolean().nullish(),
  client_reference_id: z.string().max(200).nullish(),
  metadata,
  subscription: reference,
});

/** A Stripe `customer` as Stripe's API answers it. */
export const stripeCustomerSchema = z.looseObject({
  id: stripeId,
  metadata,
  deleted: z.boolean().nullish(),
});

/** The envelope of every webhook delivery. */
export const stripeEventSchema = z.looseObject({
  id: stripeId,
  type: z.string().regex(/^[a-z0-9_.]{1,128}$/, 'an event type is a dotted lower-case name'),
  created: stripeTime,
  livemode: z.boolean().nullish(),
  data: z.looseObject({ object: z.unknown() }),
});

export type StripeSubscriptionObject = z.input<typeof stripeSubscriptionSchema>;
export type StripeSubscriptionItemObject = z.input<typeof stripeSubscriptionItemSchema>;
export type StripeInvoiceObject = z.input<typeof stripeInvoiceSchema>;
export type StripeCheckoutSessionObject = z.input<typeof stripeCheckoutSessionSchema>;
export type StripeCustomerObject = z.input<typeof stripeCustomerSchema>;
export type StripeEventObject = z.input<typeof stripeEventSchema>;

/** The first problem zod found, as a sentence with its path: "items.data.0.quantity: a quantity is not negative". */
export function firstProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'not a Stripe object';
  const path = issue.path.map(String).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}
