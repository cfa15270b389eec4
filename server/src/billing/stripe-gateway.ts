import Stripe from 'stripe';
import type { StripeApiBase } from '../config/index.js';
import { firstProblem, stripeCustomerSchema } from './stripe-schema.js';

/** How a subscription's plan item changes in Stripe: the price swap, and what Stripe does about the part of the period already paid. */
export interface StripePlanChange {
  subscriptionId: string;
  /** The subscription item that carries the plan (`si_…`). */
  itemId: string;
  /** The new price of that item. */
  priceId: string;
  /** Stripe's `proration_behavior`: `create_prorations` (Stripe's default), `always_invoice` or `none`. */
  prorationBehavior: 'create_prorations' | 'always_invoice' | 'none';
  /**
   * Stripe's Idempotency-Key: the same key within 24 hours returns the first answer and changes
   * nothing again, so a retried or resumed change is written once.
   */
  idempotencyKey: string;
}

/**
 * What Tollgate asks of Stripe's API: a subscription (every event reads it), a customer (for
 * its metadata.tollgate_account_id), every subscription (reconciliation), and a plan change of a
 * subscription Stripe bills. An interface, so tests and reconciliation can stand in for Stripe.
 * Answers are returned as JSON for the one schema (stripe-schema.ts) to check.
 */
export interface StripeGateway {
  /** Whether the key is a live-mode key (`sk_live_…`, `rk_live_…`): reconciliation refuses to apply across modes. */
  readonly livemode: boolean;
  /** The subscription with its items and prices. */
  retrieveSubscription(id: string): Promise<unknown>;
  /** Null when Stripe has no such customer, or it was deleted. */
  retrieveCustomer(id: string): Promise<{ id: string; metadata: Record<string, string> } | null>;
  /** Every subscription of the account, whatever its status, page after page. */
  listSubscriptions(): AsyncIterable<unknown>;
  /** Swaps the plan item's price; answers the subscription as Stripe has it afterwards. */
  changePlan(change: StripePlanChange): Promise<unknown>;
}

/** Stripe's API could not be reached, failed (5xx) or asked to slow down (429): the event is answered 503 so that Stripe delivers it again. */
export class StripeUnavailable extends Error {
  constructor(cause: unknown) {
    super(`Stripe's API could not be reached: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'StripeUnavailable';
  }
}

/**
 * Stripe's API refused the request (4xx other than 429): a key of the other mode, a restricted
 * key without the permission, an object of another Stripe account. Asking again cannot help, so
 * an event becomes a STRIPE_API_REFUSED sync issue (answered 200) and a plan change BILLING_MANAGED.
 */
export class StripeRefused extends Error {
  constructor(
    readonly statusCode: number,
    readonly stripeCode: string | null,
    message: string,
  ) {
    super(message);
    this.name = 'StripeRefused';
  }

  /** Whether the key lacks a permission (a restricted key without write access, 403). */
  get permission(): boolean {
    return this.statusCode === 403 || this.stripeCode === 'permission_error';
  }
}

/** A failure of the `stripe` client as one of the two above: 4xx except 429 refuse, the rest is unavailability. */
export function stripeFailure(error: unknown): StripeRefused | StripeUnavailable {
  const status = (error as { statusCode?: unknown })?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500 && status !== 429) {
    const raw = error as { code?: unknown; type?: unknown; message?: unknown };
    const code = typeof raw.code === 'string' ? raw.code : typeof raw.type === 'string' ? raw.type : null;
    return new StripeRefused(status, code, `Stripe's API refused the request (${status}${code ? ` ${code}` : ''}): ${String(raw.message ?? '')}`);
  }
  return new StripeUnavailable(error);
}

/**
 * The `stripe` package's client behind {@link StripeGateway}. `apiBase` (STRIPE_API_BASE) sends
 * its requests to a local stand-in instead of api.stripe.com, as the tests do.
 *
 * @example
 * const gateway = createStripeGateway(config.stripe.apiKey, config.stripe.apiBase);
 * const subscription = fromStripeSubscription(await gateway.retrieveSubscription('sub_123'));
 */
export function createStripeGateway(apiKey: string, apiBase: StripeApiBase | null): StripeGateway {
  const stripe = new Stripe(apiKey, {
    ...(apiBase ?? {}),
    // One retry of a failed connection; beyond that the caller's (Stripe redelivers an event answered 503).
    maxNetworkRetries: 1,
    timeout: 10_000,
    appInfo: { name: 'Tollgate' },
  });
  const call = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw stripeFailure(error);
    }
  };
  return {
    livemode: /^(sk|rk)_live_/.test(apiKey),
    retrieveSubscription: (id) => call(async () => JSON.parse(JSON.stringify(await stripe.subscriptions.retrieve(id, { expand: ['items.data.price'] })))),
    async retrieveCustomer(id) {
      try {
        const customer = stripeCustomerSchema.safeParse(await stripe.customers.retrieve(id));
        if (!customer.success) throw new StripeRefused(200, null, `Stripe's API answered a customer Tollgate cannot read: ${firstProblem(customer.error)}`);
        if (customer.data.deleted) return null;
        return { id: customer.data.id, metadata: { ...customer.data.metadata } };
      } catch (error) {
        if (error instanceof StripeRefused) throw error;
        if ((error as { statusCode?: number }).statusCode === 404) return null;
        throw stripeFailure(error);
      }
    },
    async *listSubscriptions() {
      try {
        for await (const subscription of stripe.subscriptions.list({ status: 'all', limit: 100, expand: ['data.items.data.price'] })) {
          yield JSON.parse(JSON.stringify(subscription)) as unknown;
        }
      } catch (error) {
        throw stripeFailure(error);
      }
    },
    changePlan: (change) =>
      call(async () =>
        JSON.parse(JSON.stringify(await stripe.subscriptions.update(
          change.subscriptionId,
          { items: [{ id: change.itemId, price: change.priceId }], proration_behavior: change.prorationBehavior, expand: ['items.data.price'] },
          { idempotencyKey: change.idempotencyKey },
        ))),
      ),
  };
}
