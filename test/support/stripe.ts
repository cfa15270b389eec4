import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import Stripe from 'stripe';

/**
 * Stripe, as far as tests need it. Stripe cannot be reached from where the tests run, so events
 * are signed here with the `stripe` package's own helper (`webhooks.generateTestHeaderString`,
 * the same HMAC Stripe computes), and Stripe's API is a local, stateful stand-in that answers in
 * Stripe's JSON shapes and behaves as Stripe's API does where Tollgate relies on it: retrieving a
 * subscription or customer, listing subscriptions page by page (slow pages on demand), updating a
 * subscription's items with an Idempotency-Key (the same key answers the first answer again and
 * writes nothing; writes are counted per subscription), errors on demand (4xx with Stripe's error
 * types, 429, 5xx), and Checkout: sessions created by a host, a hosted page with a Pay button, and
 * the customer and subscription a payment creates.
 */

/** The signing secret every webhook test server is started with. */
export const TEST_WEBHOOK_SECRET = 'whsec_tollgate_test_0123456789abcdef';

/** A Stripe event as delivered: the envelope around `data.object`. */
export interface StripeTestEvent {
  id: string;
  object: 'event';
  type: string;
  created: number;
  api_version: string;
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  data: { object: Record<string, any>; previous_attributes?: Record<string, unknown> };
}

/** An event of `type` around `object`, shaped as Stripe sends it. */
export function stripeEvent(id: string, type: string, created: number | string, object: Record<string, any>): StripeTestEvent {
  return {
    id,
    object: 'event',
    type,
    created: typeof created === 'number' ? created : seconds(created),
    api_version: '2026-10-28.endive',
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: { object },
  };
}

/** Unix seconds of an ISO instant, as Stripe writes times. */
export function seconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

/** A Stripe-Signature header for `payload`, signed with `secret` at `timestamp` (Unix seconds). */
export function signature(payload: string, options: { secret?: string; timestamp?: number } = {}): string {
  return Stripe.webhooks.generateTestHeaderString({
    payload,
    secret: options.secret ?? TEST_WEBHOOK_SECRET,
    ...(options.timestamp !== undefined ? { timestamp: options.timestamp } : {}),
  });
}

/** What the webhook route answered. */
export interface WebhookAnswer {
  status: number;
  body: any;
}

/**
 * POSTs a body to `/webhooks/stripe` as Stripe does: signed at `now` (the server's clock) with
 * the test secret, unless `signatureHeader` gives the header (null: none at all).
 */
export async function deliver(
  baseUrl: string,
  event: StripeTestEvent | string,
  options: { now?: Date; secret?: string; signatureHeader?: string | null; contentType?: string | null } = {},
): Promise<WebhookAnswer> {
  const payload = typeof event === 'string' ? event : JSON.stringify(event);
  const timestamp = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const header = options.signatureHeader === undefined ? signature(payload, { secret: options.secret, timestamp }) : options.signatureHeader;
  const headers: Record<string, string> = {
    ...(options.contentType === null ? {} : { 'content-type': options.contentType ?? 'application/json; charset=utf-8' }),
    ...(header === null ? {} : { 'stripe-signature': header }),
  };
  // Bytes, not a string: fetch would add a text/plain content type to a string.
  const response = await fetch(`${baseUrl}/webhooks/stripe`, { method: 'POST', headers, body: new TextEncoder().encode(payload) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: the status tells.
  }
  return { status: response.status, body };
}

/** The recorded events of test/fixtures/stripe/, in the order Stripe created them. */
export function loadStripeFixtures(): StripeTestEvent[] {
  const folder = new URL('../fixtures/stripe/', import.meta.url);
  return readdirSync(folder)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => JSON.parse(readFileSync(new URL(name, folder), 'utf8')) as StripeTestEvent);
}

/** An error the stand-in answers on demand, as Stripe's API answers it. */
export interface StandInFailure {
  status: number;
  /** Stripe's error type: `invalid_request_error`, `authentication_error`, `permission_error`, `rate_limit_error`, `api_error`. */
  type: string;
  code?: string;
  message?: string;
  /** How many requests fail before it answers normally again; unset = every one. */
  times?: number;
}

/** A local stand-in for Stripe's API: the subscriptions and customers it knows, and the requests it got. */
export interface StripeStandIn {
  url: string;
  subscriptions: Map<string, Record<string, any>>;
  customers: Map<string, Record<string, any>>;
  /** Ids answered 500 `api_error`, as Stripe answers when it fails; `list` fails the subscription list. */
  failing: Set<string>;
  /**
   * Errors on demand, by what they fail: a subscription or customer id (its reads), `update:<sub id>`
   * (its updates), `list` (the subscription list), `*` (every request).
   */
  failures: Map<string, StandInFailure>;
  /**
   * Called before each page of GET /v1/subscriptions is answered (0 for the first page), and
   * awaited: a test delays a page, or changes Stripe's state and delivers webhooks while the
   * listing is in flight, then lets it go on.
   */
  beforeListPage: ((page: number) => Promise<void>) | null;
  /**
   * Called before each POST /v1/subscriptions/:id is handled, and awaited: a test holds updates
   * (Stripe being slow) at the moment it chooses, for instance to kill the caller mid-way.
   */
  beforeUpdate: ((subscriptionId: string) => Promise<void>) | null;
  /** Subscription updates that changed something, by subscription: an idempotent replay is not one. */
  writes: Map<string, number>;
  /** Updates answered from an earlier answer because their Idempotency-Key was seen before. */
  idempotentReplays: number;
  /** Subscriptions per page of GET /v1/subscriptions, at most: small, so clients must page as they would through Stripe's. */
  pageSize: number;
  /**
   * Checkout Sessions by id, as Stripe's API shows them: `open` when created, `complete` with its
   * `customer` and `subscription` once its page was paid. A paid session is the `data.object` of
   * the `checkout.session.completed` event Stripe would send.
   */
  checkoutSessions: Map<string, Record<string, any>>;
  /** What each session sells, by session id (Stripe lists them at /v1/checkout/sessions/:id/line_items). */
  checkoutLineItems: Map<string, { price: string; quantity: number }[]>;
  requests: string[];
  close(): Promise<void>;
}

/**
 * Answers GET /v1/subscriptions/:id and /v1/customers/:id as Stripe does (404 `resource_missing`
 * otherwise), and GET /v1/subscriptions as Stripe's list (cursor pagination with `limit` and
 * `starting_after`, `has_more`), from the subscriptions it holds. Checkout as a host and a
 * browser meet it: POST /v1/checkout/sessions (form-encoded, as the `stripe` client sends it)
 * creates a session whose `url` is the stand-in's hosted page, GET /checkout/:id; its Pay button
 * (POST /checkout/:id/pay) creates the customer and an active subscription of the session's
 * prices, completes the session and redirects (303) to its `success_url`.
 */
export async function startStripeStandIn(): Promise<StripeStandIn> {
  const subscriptions = new Map<string, Record<string, any>>();
  const customers = new Map<string, Record<string, any>>();
  const checkoutSessions = new Map<string, Record<string, any>>();
  const checkoutLineItems = new Map<string, { price: string; quantity: number }[]>();
  const failing = new Set<string>();
  const failures = new Map<string, StandInFailure>();
  const writes = new Map<string, number>();
  const idempotency = new Map<string, { status: number; body: string; request: string }>();
  const requests: string[] = [];
  const standIn = {
    pageSize: 2,
    beforeListPage: null as ((page: number) => Promise<void>) | null,
    beforeUpdate: null as ((subscriptionId: string) => Promise<void>) | null,
    idempotentReplays: 0,
  };
  /** The failure on demand for `key`, counted down; null when it answers normally. */
  const failureFor = (...keys: string[]): StandInFailure | null => {
    for (const key of [...keys, '*']) {
      const failure = failures.get(key);
      if (!failure) continue;
      if (failure.times !== undefined) {
        if (failure.times <= 0) continue;
        failure.times -= 1;
      }
      return failure;
    }
    return null;
  };
  const fail = (response: ServerResponse, failure: StandInFailure) => {
    response.statusCode = failure.status;
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ error: { type: failure.type, ...(failure.code ? { code: failure.code } : {}), message: failure.message ?? `Stand-in failure ${failure.status}` } }));
  };
  const checkout = checkoutRoutes({ subscriptions, customers, checkoutSessions, checkoutLineItems, baseUrl: () => base });
  const server: Server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    const url = new URL(request.url ?? '/', 'http://stand-in');
    if (checkout.handles(request.method ?? 'GET', url.pathname)) {
      checkout.handle(request, response, url.pathname).catch((error: Error) => {
        response.statusCode = 500;
        response.end(JSON.stringify({ error: { type: 'api_error', message: error.message } }));
      });
      return;
    }
    if (request.method === 'GET' && url.pathname === '/v1/subscriptions') {
      response.setHeader('content-type', 'application/json');
      if (failing.has('list')) {
        response.statusCode = 500;
        response.end(JSON.stringify({ error: { type: 'api_error', message: 'An unknown error occurred' } }));
        return;
      }
      const failure = failureFor('list');
      if (failure) return fail(response, failure);
      const after = url.searchParams.get('starting_after');
      const page = after ? Number(listPages.get(after) ?? 0) : 0;
      const answer = () => {
        // The list as it is when this page is answered, as Stripe's is: newest first, and a cursor
        // that is an id, so a subscription created meanwhile appears on no page of this listing.
        const all = [...subscriptions.values()].reverse();
        const from = after ? all.findIndex((subscription) => subscription.id === after) + 1 : 0;
        const limit = Math.min(Number(url.searchParams.get('limit') ?? 10), standIn.pageSize);
        const data = all.slice(from, from + limit);
        if (data.length) listPages.set(data.at(-1)!.id, page + 1);
        response.end(JSON.stringify({ object: 'list', data, has_more: from + limit < all.length, url: '/v1/subscriptions' }));
      };
      const gate = standIn.beforeListPage;
      if (!gate) return answer();
      gate(page).then(answer, (error: Error) => fail(response, { status: 500, type: 'api_error', message: error.message }));
      return;
    }
    const update = /^\/v1\/subscriptions\/([^/?]+)$/.exec(url.pathname);
    if (request.method === 'POST' && update) {
      const subscriptionId = decodeURIComponent(update[1]!);
      readBody(request)
        .then(async (body) => {
          await standIn.beforeUpdate?.(subscriptionId);
          updateSubscription(request, response, subscriptionId, body);
        })
        .catch((error: Error) => fail(response, { status: 500, type: 'api_error', message: error.message }));
      return;
    }
    const match = /^\/v1\/(subscriptions|customers)\/([^/?]+)/.exec(request.url ?? '');
    const found = match ? (match[1] === 'subscriptions' ? subscriptions : customers).get(decodeURIComponent(match[2]!)) : undefined;
    response.setHeader('content-type', 'application/json');
    response.setHeader('request-id', `req_standin_${requests.length}`);
    if (match && failing.has(decodeURIComponent(match[2]!))) {
      response.statusCode = 500;
      response.end(JSON.stringify({ error: { type: 'api_error', message: 'An unknown error occurred' } }));
      return;
    }
    const failure = match ? failureFor(decodeURIComponent(match[2]!)) : null;
    if (failure) return fail(response, failure);
    if (found) {
      response.end(JSON.stringify(found));
      return;
    }
    response.statusCode = 404;
    response.end(JSON.stringify({
      error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such object: '${match?.[2] ?? request.url}'` },
    }));
  });
  const listPages = new Map<string, number>();

  /**
   * POST /v1/subscriptions/:id as Stripe answers it: `items[0][id]` and `items[0][price]` swap that
   * item's price, `proration_behavior` is kept as Stripe would use it. An Idempotency-Key seen
   * before answers the first answer again (Stripe's 24-hour idempotency) and writes nothing; the
   * same key with other parameters is Stripe's 400 `idempotency_error`.
   */
  function updateSubscription(request: IncomingMessage, response: ServerResponse, id: string, body: string) {
    response.setHeader('content-type', 'application/json');
    const key = request.headers['idempotency-key'];
    const replay = typeof key === 'string' ? idempotency.get(key) : undefined;
    if (replay) {
      if (replay.request !== `${id} ${body}`) {
        return fail(response, { status: 400, type: 'idempotency_error', message: `Keys for idempotent requests can only be used with the same parameters they were first used with.` });
      }
      standIn.idempotentReplays += 1;
      response.statusCode = replay.status;
      response.setHeader('idempotent-replayed', 'true');
      response.end(replay.body);
      return;
    }
    const failure = failureFor(`update:${id}`);
    if (failure) return fail(response, failure);
    const subscription = subscriptions.get(id);
    if (!subscription) {
      return fail(response, { status: 404, type: 'invalid_request_error', code: 'resource_missing', message: `No such subscription: '${id}'` });
    }
    const params = parseStripeForm(body);
    const items: { id?: string; price?: string; quantity?: string }[] = Array.isArray(params.items) ? params.items : [];
    for (const change of items) {
      const item = subscription.items.data.find((candidate: { id: string }) => candidate.id === change.id);
      if (!item) return fail(response, { status: 400, type: 'invalid_request_error', code: 'resource_missing', message: `No such subscription item: '${change.id}'` });
      if (change.price) item.price = { ...item.price, id: change.price };
      if (change.quantity !== undefined) item.quantity = Number(change.quantity);
    }
    if (params.proration_behavior) subscription.latest_proration_behavior = params.proration_behavior;
    writes.set(id, (writes.get(id) ?? 0) + 1);
    const answer = JSON.stringify(subscription);
    if (typeof key === 'string') idempotency.set(key, { status: 200, body: answer, request: `${id} ${body}` });
    response.end(answer);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const base = `http://127.0.0.1:${port}`;
  return {
    url: base,
    subscriptions,
    customers,
    checkoutSessions,
    checkoutLineItems,
    failing,
    failures,
    writes,
    get idempotentReplays() {
      return standIn.idempotentReplays;
    },
    get beforeListPage() {
      return standIn.beforeListPage;
    },
    get beforeUpdate() {
      return standIn.beforeUpdate;
    },
    set beforeUpdate(gate: ((subscriptionId: string) => Promise<void>) | null) {
      standIn.beforeUpdate = gate;
    },
    set beforeListPage(gate: ((page: number) => Promise<void>) | null) {
      standIn.beforeListPage = gate;
    },
    get pageSize() {
      return standIn.pageSize;
    },
    set pageSize(size: number) {
      standIn.pageSize = size;
    },
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The maps Checkout reads and fills, and where the stand-in listens. */
interface CheckoutState {
  subscriptions: Map<string, Record<string, any>>;
  customers: Map<string, Record<string, any>>;
  checkoutSessions: Map<string, Record<string, any>>;
  checkoutLineItems: Map<string, { price: string; quantity: number }[]>;
  baseUrl(): string;
}

/** Stripe Checkout's part of the stand-in: the API call a host makes, the page a browser sees. */
function checkoutRoutes(state: CheckoutState) {
  const json = (response: ServerResponse, status: number, body: unknown) => {
    response.statusCode = status;
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify(body));
  };
  const html = (response: ServerResponse, status: number, title: string, body: string) => {
    response.statusCode = status;
    response.setHeader('content-type', 'text/html; charset=utf-8');
    response.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>${escapeHtml(title)}</title></head><body><main>${body}</main></body></html>`);
  };
  const subscriptionMetadata = new Map<string, Record<string, string>>();
  const invalid = (response: ServerResponse, message: string, param: string) =>
    json(response, 400, { error: { type: 'invalid_request_error', code: 'parameter_missing', message, param } });

  async function create(request: IncomingMessage, response: ServerResponse) {
    const params = parseStripeForm(await readBody(request));
    if (params.mode !== 'subscription') return invalid(response, 'This stand-in only creates sessions in subscription mode.', 'mode');
    const items: { price?: string; quantity?: string }[] = Array.isArray(params.line_items) ? params.line_items : [];
    const missing = items.findIndex((item) => !item?.price);
    if (items.length === 0 || missing >= 0) return invalid(response, `Missing required param: line_items[${Math.max(missing, 0)}][price].`, `line_items[${Math.max(missing, 0)}][price]`);
    if (!params.success_url) return invalid(response, 'Missing required param: success_url.', 'success_url');
    const id = `cs_test_${randomBytes(24).toString('hex')}`;
    const created = Math.floor(Date.now() / 1000);
    const session = {
      id,
      object: 'checkout.session',
      cancel_url: params.cancel_url ?? null,
      client_reference_id: params.client_reference_id ?? null,
      created,
      customer: null,
      expires_at: created + 24 * 3600,
      livemode: false,
      metadata: params.metadata ?? {},
      mode: 'subscription',
      payment_status: 'unpaid',
      status: 'open',
      subscription: null,
      success_url: params.success_url,
      url: `${state.baseUrl()}/checkout/${id}`,
    };
    state.checkoutLineItems.set(id, items.map((item) => ({ price: item.price!, quantity: Number(item.quantity ?? 1) })));
    // subscription_data is a parameter, not a field of the session: Stripe copies it onto the subscription.
    subscriptionMetadata.set(id, params.subscription_data?.metadata ?? {});
    state.checkoutSessions.set(id, session);
    json(response, 200, session);
  }

  function page(response: ServerResponse, session: Record<string, any>) {
    if (session.status !== 'open') return html(response, 410, 'Checkout', '<h1>This checkout is over</h1><p>It was paid already.</p>');
    const prices = state.checkoutLineItems.get(session.id)!.map((item) => `<li>${escapeHtml(item.price)} × ${item.quantity}</li>`).join('');
    const cancel = session.cancel_url ? `<p><a href="${escapeHtml(session.cancel_url)}">Cancel</a></p>` : '';
    html(response, 200, 'Pay: Stripe stand-in', `<h1>Pay</h1><p>A local stand-in for Stripe Checkout.</p><ul aria-label="Prices">${prices}</ul>
      <form method="post" action="/checkout/${escapeHtml(session.id)}/pay"><button type="submit">Pay</button></form>${cancel}`);
  }

  function pay(response: ServerResponse, session: Record<string, any>) {
    if (session.status !== 'open') return html(response, 409, 'Checkout', '<h1>This checkout is over</h1><p>It was paid already.</p>');
    const suffix = randomBytes(7).toString('hex');
    const customer = { id: `cus_standin${suffix}`, object: 'customer', created: Math.floor(Date.now() / 1000), email: null, livemode: false, metadata: {} };
    const start = new Date();
    const end = new Date(start);
    end.setUTCMonth(end.getUTCMonth() + 1);
    const subscription = stripeSubscription({
      id: `sub_standin${suffix}`,
      customer: customer.id,
      status: 'active',
      items: state.checkoutLineItems.get(session.id)!,
      periodStart: start.toISOString(),
      periodEnd: end.toISOString(),
    });
    subscription.metadata = { ...subscriptionMetadata.get(session.id) };
    state.customers.set(customer.id, customer);
    state.subscriptions.set(subscription.id, subscription);
    Object.assign(session, { status: 'complete', payment_status: 'paid', customer: customer.id, subscription: subscription.id });
    response.statusCode = 303;
    response.setHeader('location', String(session.success_url).replaceAll('{CHECKOUT_SESSION_ID}', session.id));
    response.end();
  }

  return {
    handles: (method: string, path: string) =>
      (method === 'POST' && path === '/v1/checkout/sessions') || /^\/checkout\/[^/]+(\/pay)?$/.test(path),
    async handle(request: IncomingMessage, response: ServerResponse, path: string) {
      if (path === '/v1/checkout/sessions') return create(request, response);
      const [, id, action] = /^\/checkout\/([^/]+)(\/pay)?$/.exec(path)!;
      const session = state.checkoutSessions.get(decodeURIComponent(id!));
      if (!session) return html(response, 404, 'Checkout', '<h1>No such checkout</h1>');
      if (action && request.method === 'POST') return pay(response, session);
      if (!action && request.method === 'GET') return page(response, session);
      html(response, 405, 'Checkout', '<h1>Method not allowed</h1>');
    },
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/**
 * A body as the `stripe` client encodes it (`line_items[0][price]=…&metadata[key]=…`) back into
 * objects; an object whose keys are all indexes becomes an array.
 */
export function parseStripeForm(body: string): Record<string, any> {
  const root: Record<string, any> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.replace(/\]/g, '').split('[');
    let node = root;
    path.forEach((part, index) => {
      if (index === path.length - 1) node[part] = value;
      else node = node[part] ??= {};
    });
  }
  const arrays = (value: any): any => {
    if (value === null || typeof value !== 'object') return value;
    const keys = Object.keys(value);
    const converted = Object.fromEntries(keys.map((key) => [key, arrays(value[key])]));
    return keys.length > 0 && keys.every((key) => /^\d+$/.test(key))
      ? keys.sort((a, b) => Number(a) - Number(b)).map((key) => converted[key])
      : converted;
  };
  return arrays(root);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** What a test says of a subscription; the rest of Stripe's object is filled in as Stripe would. */
export interface SubscriptionSpec {
  id: string;
  customer: string;
  status: string;
  items: { price: string; quantity?: number }[];
  /** metadata.tollgate_account_id; omitted when undefined. */
  account?: string;
  periodStart: string;
  periodEnd: string;
  trialEnd?: string;
  cancelAtPeriodEnd?: boolean;
  canceledAt?: string;
  endedAt?: string;
}

/** A Stripe `subscription` object (API 2026-10-28: the period on each item). */
export function stripeSubscription(spec: SubscriptionSpec): Record<string, any> {
  return {
    id: spec.id,
    object: 'subscription',
    billing_cycle_anchor: seconds(spec.periodStart),
    cancel_at: spec.cancelAtPeriodEnd ? seconds(spec.periodEnd) : null,
    cancel_at_period_end: spec.cancelAtPeriodEnd ?? false,
    canceled_at: spec.canceledAt ? seconds(spec.canceledAt) : null,
    collection_method: 'charge_automatically',
    created: seconds(spec.periodStart),
    currency: 'usd',
    customer: spec.customer,
    ended_at: spec.endedAt ? seconds(spec.endedAt) : null,
    items: {
      object: 'list',
      data: spec.items.map((item, index) => ({
        id: `si_${spec.id.slice(4)}${index}`,
        object: 'subscription_item',
        current_period_start: seconds(spec.periodStart),
        current_period_end: seconds(spec.periodEnd),
        price: { id: item.price, object: 'price', currency: 'usd', recurring: { interval: 'month', interval_count: 1 } },
        quantity: item.quantity ?? 1,
        subscription: spec.id,
      })),
      has_more: false,
      url: `/v1/subscription_items?subscription=${spec.id}`,
    },
    livemode: false,
    metadata: spec.account === undefined ? {} : { tollgate_account_id: spec.account },
    start_date: seconds(spec.periodStart),
    status: spec.status,
    trial_end: spec.trialEnd ? seconds(spec.trialEnd) : null,
    trial_start: spec.trialEnd ? seconds(spec.periodStart) : null,
  };
}

/** A Stripe `invoice` object of a subscription (API 2026-10-28: the subscription under `parent`). */
export function stripeInvoice(spec: { id: string; customer: string; subscription: string; account?: string; amountPaid: number; amountDue?: number }): Record<string, any> {
  return {
    id: spec.id,
    object: 'invoice',
    amount_due: spec.amountDue ?? spec.amountPaid,
    amount_paid: spec.amountPaid,
    billing_reason: 'subscription_cycle',
    customer: spec.customer,
    livemode: false,
    parent: {
      type: 'subscription_details',
      quote_details: null,
      subscription_details: { metadata: spec.account === undefined ? {} : { tollgate_account_id: spec.account }, subscription: spec.subscription },
    },
    status: spec.amountPaid > 0 ? 'paid' : 'open',
  };
}

/** A completed Checkout Session in subscription mode. */
export function stripeCheckoutSession(spec: { id: string; customer: string | null; clientReferenceId?: string; subscription?: string }): Record<string, any> {
  return {
    id: spec.id,
    object: 'checkout.session',
    client_reference_id: spec.clientReferenceId ?? null,
    customer: spec.customer,
    livemode: false,
    metadata: {},
    mode: 'subscription',
    payment_status: 'paid',
    status: 'complete',
    subscription: spec.subscription ?? null,
  };
}
