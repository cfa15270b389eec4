import { LockMode } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { actorName, auditActor, type AuditActor, type Principal } from '../access/index.js';
import { Subscription, subscriptionSnapshot, type Account, type AccountsService, type AccountView } from '../accounts/index.js';
import { recordAudit } from '../audit/index.js';
import { BillingPrice, type PlanVersion, type PriceMappingMutation } from '../catalog/index.js';
import type { Clock } from '../clock.js';
import type { ChangeFeed } from '../db/index.js';
import { billingPeriodEnd } from '../entitlements/index.js';
import { rules, validateInput } from '../validation/index.js';
import type { BillingEventOutcome, BillingSyncIssueKind, SubscriptionStatus } from '../vocabulary/index.js';
import { BillingSubscription } from './billing-subscription.entity.js';
import { BillingSyncIssue } from './billing-sync-issue.entity.js';
import { customerLinkedElsewhere } from './billing.errors.js';
import { decodeIssueCursor, linkBillingCustomerSchema, pageSize, type LinkBillingCustomerValues } from './billing.validation.js';
import {
  compareOrderKeys,
  governingState,
  mirroredSubscription,
  type OrderKey,
  type PriceMapping,
  type ProviderSubscription,
  type ProviderSubscriptionState,
} from './provider-subscription.js';
import type { MirroringSubscription, ProviderExpectation } from './reconciliation.js';
import type { StripeGateway } from './stripe-gateway.js';
import {
  ACCOUNT_METADATA_KEY,
  fromStripeEvent,
  fromStripeSubscription,
  type StripeEventChange,
  type StripeEventObject,
} from './stripe-mapping.js';

/** The audit log's actor for the changes Stripe's events make. */
export const STRIPE_ACTOR = 'stripe';

/**
 * A PostgreSQL advisory lock key. Event transactions hold it shared from before they read the
 * billing mapping (customer links, prices) until they commit; a new mapping takes it exclusively
 * before it replays the issues waiting for it. So an event that missed a mapping has committed
 * its issue before the replay looks for issues: none is left behind.
 */
const MAPPING_LOCK = 7_301_620_131;

/** Why an event or a provider subscription could not be applied. */
export interface SyncProblem {
  kind: BillingSyncIssueKind;
  message: string;
  priceIds: string[];
}

/** What became of an event, or of a provider subscription applied through {@link BillingService.applyProviderSubscription}. */
export interface SyncResult {
  outcome: BillingEventOutcome;
  /** The account it concerns; null when it mapped to none. */
  accountId: string | null;
  /** Set for UNMAPPED. */
  problem: SyncProblem | null;
  /** Whether Tollgate's subscription changed (and an audit entry says how). */
  changed: boolean;
  /** A sentence about the outcome. */
  detail: string;
}

/** How {@link BillingService.applyProviderSubscription} records what it applies. */
export interface ApplyProviderSubscriptionOptions {
  /** The audit log's actor: `stripe` for webhooks, `reconciliation` for reconciliation. */
  actor: string;
  /**
   * When the subscription was read from the provider: its ordering key, so an event Stripe
   * created before this read changes nothing afterwards. Default: now.
   */
  observedAt?: Date;
  /** The ordering key's tie-break and the audit entry's source, such as `reconciliation:2026-11-26T10:00:00Z`. */
  sourceId: string;
  /** The audit entry's reason. Default: the source. */
  reason?: string;
}

/** Settings from the configuration. */
export interface BillingSettings {
  /** TOLLGATE_PAST_DUE_GRACE_DAYS: for plan versions without pastDueGraceDays. */
  pastDueGraceDays: number;
  /** Stripe's API, when STRIPE_API_KEY is set. */
  stripe: StripeGateway | null;
}

/** One page of sync issues, newest first. */
export interface SyncIssuePage {
  /** Without their payloads, which may be large and are kept for replays. */
  issues: Omit<BillingSyncIssue, 'payload'>[];
  hasNextPage: boolean;
}

/** One unit of sync work: an event (delivered or replayed), or a provider subscription from the seam. */
interface SyncRequest {
  /** The event's id, or the seam's source id. */
  id: string;
  type: string;
  created: Date;
  change: StripeEventChange;
  actor: string;
  reason: string;
  /** A webhook delivery: recorded in `billing_event` (exactly once) and, if it cannot map, as an issue. */
  delivery: { payload: unknown } | null;
  /** A replay of an open issue, and the sentence that names what triggered it. */
  replay: { issueId: string; trigger: string } | null;
  /** Customers this request linked (by metadata or checkout), filled as it runs. */
  linked?: string[];
}

/** What an event is about, for mapping it to an account. */
interface SyncTarget {
  customerId: string | null;
  subscriptionId: string | null;
  hints: string[];
}

interface Resolution {
  accountId: string | null;
  via: 'link' | 'subscription' | 'metadata' | null;
}

/** Prepared outside the transaction: the account expected, and what Stripe's API said. */
interface Prepared {
  hints: string[];
  expected: string | null;
  fetched: ProviderSubscription | null;
}

/** The account an event maps to changed between preparing and applying it (a link was made meanwhile): apply again. */
class MappingMoved extends Error {
  constructor(readonly accountId: string | null) {
    super('the billing mapping changed while the event was applied');
  }
}

/**
 * Billing sync: applies a billing provider's subscriptions to Tollgate's, exactly once and in an
 * order-proof way. A Stripe event is recorded in `billing_event` in the same transaction as the
 * change it makes (a redelivered id changes nothing); each provider subscription keeps the
 * ordering keys of its newest snapshot and newest payment (an older event changes nothing); the
 * account's subscription mirrors its governing provider subscription, written through the change
 * feed and audited (actor `stripe`, before and after, the event id). Events that cannot be mapped
 * become sync issues, replayed through the same path once they can.
 */
export class BillingService {
  constructor(
    private readonly orm: MikroORM,
    private readonly feed: ChangeFeed,
    private readonly clock: Clock,
    private readonly accounts: AccountsService,
    private readonly settings: BillingSettings,
  ) {}

  /** Whether Stripe's API can be read (STRIPE_API_KEY is set). */
  get stripeApiConfigured(): boolean {
    return this.settings.stripe !== null;
  }

  /**
   * Applies one verified Stripe event. Throws MalformedStripeObject for a handled type whose
   * object is not what Stripe sends, StripeUnavailable when Stripe's API was needed and failed.
   *
   * @example
   * const { outcome } = await billing.receiveStripeEvent(stripe.webhooks.constructEvent(body, header, secret));
   */
  async receiveStripeEvent(event: StripeEventObject): Promise<SyncResult> {
    const normalized = fromStripeEvent(event);
    return this.sync({
      ...normalized,
      actor: STRIPE_ACTOR,
      reason: `Stripe event ${normalized.id} (${normalized.type})`,
      delivery: { payload: event },
      replay: null,
    });
  }

  /**
   * The reusable seam of billing sync: applies a provider subscription (from
   * {@link fromStripeSubscription}) to its account as a webhook would, with `actor` in the audit
   * log. Its ordering key is `observedAt` and `sourceId`, so a provider event created before the
   * read changes nothing afterwards. An unmappable subscription is answered UNMAPPED with the
   * problem (no sync issue: an issue needs an event to replay).
   *
   * @example
   * for await (const object of gateway.listSubscriptions()) {
   *   await billing.applyProviderSubscription(fromStripeSubscription(object), { actor: 'reconciliation', sourceId: `reconciliation:${runId}` });
   * }
   */
  async applyProviderSubscription(subscription: ProviderSubscription, options: ApplyProviderSubscriptionOptions): Promise<SyncResult> {
    return this.sync({
      id: options.sourceId,
      type: 'provider.subscription',
      created: options.observedAt ?? this.clock(),
      change: { kind: 'subscription', subscription },
      actor: options.actor,
      reason: options.reason ?? options.sourceId,
      delivery: null,
      replay: null,
    });
  }

  /**
   * Links a Stripe customer to an account (admin), audited; a customer links to one account.
   * Events of that customer waiting as UNKNOWN_CUSTOMER issues are replayed before it answers.
   */
  async linkBillingCustomer(actor: Principal, input: LinkBillingCustomerValues): Promise<AccountView> {
    const values = validateInput(linkBillingCustomerSchema, input);
    const now = this.clock();
    await this.feed.write(this.orm.em, { scope: 'account', accountId: values.accountId }, async (em) => {
      // Exclusive: events that read the mapping before this link commit first (their issues are
      // then replayed below); events after it see the link.
      await em.execute('select pg_advisory_xact_lock(?)', [MAPPING_LOCK]);
      const { account } = await this.accounts.lockAccountSubscription(em, values.accountId);
      const [existing] = await em.execute<{ account_id: string }[]>('select account_id from billing_customer where customer_id = ?', [values.customerId]);
      if (existing && existing.account_id !== account.id) throw customerLinkedElsewhere(values.customerId, existing.account_id);
      if (existing) return;
      await this.createLink(em, values.customerId, account, auditActor(actor), null, now);
    });
    await this.replayIssues({ kind: 'UNKNOWN_CUSTOMER', customerId: values.customerId }, `replayed after linkBillingCustomer by ${actorName(actor)}`);
    return (await this.accounts.getAccount(values.accountId))!;
  }

  /**
   * Replays the UNKNOWN_PRICE issues that name one of `priceIds`, after a catalog write mapped
   * them (services.ts hands this to CatalogService.onBillingPricesMapped).
   */
  async replayForPrices(mapped: { actor: Principal; priceIds: string[]; mutation: PriceMappingMutation }): Promise<void> {
    const priceIds = new Set(mapped.priceIds);
    await this.replayIssues(
      { kind: 'UNKNOWN_PRICE' },
      `replayed after ${mapped.mutation} by ${actorName(mapped.actor)}`,
      (issue) => issue.priceIds.some((id) => priceIds.has(id)),
    );
  }

  /** Sync issues, newest first, by cursor; `resolved` filters on whether they are resolved. */
  async listSyncIssues(options: { first?: number | null; after?: string | null; resolved?: boolean | null }): Promise<SyncIssuePage> {
    const size = pageSize(options.first);
    const before = options.after ? decodeIssueCursor(options.after) : null;
    const issues = await this.orm.em.fork().find(
      BillingSyncIssue,
      {
        ...(options.resolved === true ? { resolvedAt: { $ne: null } } : options.resolved === false ? { resolvedAt: null } : {}),
        ...(before ? { id: { $lt: before } } : {}),
      },
      { orderBy: { id: 'desc' }, limit: size + 1, exclude: ['payload'] },
    );
    return { issues: issues.slice(0, size), hasNextPage: issues.length > size };
  }

  /** The Stripe customers linked to an account, oldest link first. */
  async customerIdsOf(accountId: string): Promise<string[]> {
    if (!rules.isAccountId(accountId)) return [];
    const rows = await this.orm.em.fork().execute<{ customer_id: string }[]>(
      'select customer_id from billing_customer where account_id = ? order by linked_at, customer_id',
      [accountId],
    );
    return rows.map((row) => row.customer_id);
  }

  /** Stripe's API as configured (STRIPE_API_KEY), or null: reconciliation needs it. */
  get stripeGateway(): StripeGateway | null {
    return this.settings.stripe;
  }

  /**
   * What billing sync would make of a provider subscription now, without writing: its account,
   * plan version and mirrored fields, or why it maps to nothing. Reconciliation compares this with
   * what Tollgate has.
   */
  async expectedFromProvider(subscription: ProviderSubscription, now: Date): Promise<ProviderExpectation> {
    const em = this.orm.em.fork();
    const target: SyncTarget = { customerId: subscription.customerId, subscriptionId: subscription.subscriptionId, hints: hintList(subscription.accountIdHint) };
    const { accountId } = await this.resolveAccount(em, target, target.hints);
    if (!accountId) return { kind: 'unknown-customer', accountId: null, message: unknownCustomer(target).message };
    const mapped = await this.mapPrices(em, subscription);
    if ('problem' in mapped) return { kind: 'unknown-price', accountId, priceIds: mapped.problem.priceIds, message: mapped.problem.message };
    const current = await em.findOne(Subscription, { account: accountId });
    const state: ProviderSubscriptionState = { subscription, snapshotKey: { at: now, id: subscription.subscriptionId }, payment: null };
    const previous = current ? { status: current.status, convertedAt: current.convertedAt } : null;
    return {
      kind: 'mapped',
      accountId,
      planVersionId: mapped.planVersion.id,
      plan: mapped.planVersion.plan.key,
      version: mapped.planVersion.version,
      mirrored: mirroredSubscription(state, mapped.mapping, previous, billingPeriodEnd),
    };
  }

  /**
   * Tollgate's subscriptions that name a provider subscription, and those of `accountIds` (which
   * the provider has subscriptions for), as reconciliation compares them.
   */
  async mirroringSubscriptions(accountIds: string[]): Promise<MirroringSubscription[]> {
    const rows = await this.orm.em.fork().execute<{
      account_id: string; provider_id: string | null; plan_version_id: string; plan: string; version: number;
      status: SubscriptionStatus; current_period_start: Date; current_period_end: Date;
    }[]>(
      `select s.account_id, s.billing_provider_ids->>'stripeSubscriptionId' as provider_id, s.plan_version_id, p.key as plan, v.version,
              s.status, s.current_period_start, s.current_period_end
         from subscription s join plan_version v on v.id = s.plan_version_id join plan p on p.id = v.plan_id
        where s.billing_provider_ids->>'stripeSubscriptionId' is not null
           or s.account_id in (select jsonb_array_elements_text(?::jsonb))
        order by s.account_id`,
      [JSON.stringify(accountIds)],
    );
    return rows.map((row) => ({
      accountId: row.account_id,
      providerSubscriptionId: row.provider_id,
      planVersionId: row.plan_version_id,
      plan: row.plan,
      version: row.version,
      status: row.status,
      currentPeriodStart: new Date(row.current_period_start),
      currentPeriodEnd: new Date(row.current_period_end),
    }));
  }

  /**
   * Cancels, in Tollgate, a subscription that mirrors a provider subscription the provider does
   * not have, if it still mirrors it and is in force; audited with `actor`. Returns whether it did.
   */
  async endMissingProviderSubscription(accountId: string, providerSubscriptionId: string, actor: string, reason: string): Promise<boolean> {
    return this.feed.write(this.orm.em, { scope: 'account', accountId }, async (em) => {
      const now = this.clock();
      const { subscription } = await this.accounts.lockAccountSubscription(em, accountId);
      if (!subscription || subscription.billingProviderIds.stripeSubscriptionId !== providerSubscriptionId) return false;
      if (!['TRIALING', 'ACTIVE', 'PAST_DUE'].includes(subscription.status)) return false;
      const before = subscriptionSnapshot(subscription);
      Object.assign(subscription, { status: 'CANCELED', canceledAt: now, cancelAtPeriodEnd: false, graceEndsAt: null, scheduledPlanVersion: null, scheduledChangeAt: null });
      recordAudit(em, {
        actor, action: 'subscription.sync_from_billing', entityType: 'Subscription', entityId: subscription.id, accountId,
        before, after: { ...subscriptionSnapshot(subscription), source: { id: providerSubscriptionId, type: 'provider.missing' } }, reason,
      }, now);
      return true;
    });
  }

  /** Prepares outside any transaction (reads, Stripe's API), then applies in one transaction. */
  private async sync(request: SyncRequest): Promise<SyncResult> {
    const target = targetOf(request.change);
    const stripe = this.settings.stripe;
    let fetched: ProviderSubscription | null = null;
    if (request.change.kind === 'checkout' && request.change.checkout.subscriptionId && stripe) {
      fetched = fromStripeSubscription(await stripe.retrieveSubscription(request.change.checkout.subscriptionId));
    }
    const hints = [...target.hints];
    let expected: string | null = null;
    if (request.change.kind !== 'ignored') {
      expected = (await this.resolveAccount(this.orm.em.fork(), target, hints)).accountId;
      if (!expected && target.customerId && stripe) {
        // The customer's own metadata, which events of other objects do not carry.
        const hint = (await stripe.retrieveCustomer(target.customerId))?.metadata[ACCOUNT_METADATA_KEY];
        if (hint) {
          hints.push(hint);
          expected = (await this.resolveAccount(this.orm.em.fork(), target, hints)).accountId;
        }
      }
    }
    let outcome: SyncResult;
    for (let attempt = 1; ; attempt += 1) {
      request.linked = [];
      try {
        outcome = await this.transaction(expected, (em) => this.syncIn(em, request, { hints, expected, fetched }));
        break;
      } catch (error) {
        if (!(error instanceof MappingMoved) || attempt >= 3) throw error;
        expected = error.accountId;
      }
    }
    // Events of a customer that arrived before the event that linked it waited as issues: a
    // link made by an event replays them as linkBillingCustomer does, so arrival order does not
    // decide whether they apply.
    for (const customerId of request.linked) {
      await this.replayIssues({ kind: 'UNKNOWN_CUSTOMER', customerId }, `replayed after Stripe event ${request.id} linked ${customerId}`);
    }
    return outcome;
  }

  /** The account's change goes through the change feed, as AccountsService's do; without an account, a plain transaction. */
  private transaction<T>(accountId: string | null, work: (em: EntityManager) => Promise<T>): Promise<T> {
    if (accountId) return this.feed.write(this.orm.em, { scope: 'account', accountId }, work);
    return this.orm.em.fork().transactional(async (em) => {
      const result = await work(em);
      await em.flush();
      return result;
    });
  }

  private async syncIn(em: EntityManager, request: SyncRequest, prepared: Prepared): Promise<SyncResult> {
    const now = this.clock();
    await em.execute('select pg_advisory_xact_lock_shared(?)', [MAPPING_LOCK]);
    let issue: BillingSyncIssue | null = null;
    if (request.replay) {
      issue = await em.findOne(BillingSyncIssue, { id: request.replay.issueId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      // Another replay (another process, another trigger) resolved it first.
      if (!issue || issue.resolvedAt) return result('DUPLICATE', null, 'this issue was resolved by another replay');
    } else if (request.delivery) {
      // Exactly once: the event's row is inserted in the transaction of its change. A concurrent
      // delivery of the same id waits here for this one's commit, then finds the row taken.
      const inserted = await em.execute(
        `insert into billing_event (id, type, created, outcome, received_at) values (?, ?, ?, 'APPLIED', ?) on conflict (id) do nothing returning id`,
        [request.id, request.type.slice(0, 128), request.created, now],
      );
      if (!inserted.length) return result('DUPLICATE', null, 'this event was received before; nothing was done again');
    }
    const target = targetOf(request.change);
    const resolution = request.change.kind === 'ignored' ? { accountId: null, via: null } : await this.resolveAccount(em, target, prepared.hints);
    if (resolution.accountId !== prepared.expected) throw new MappingMoved(resolution.accountId);
    const outcome = await this.applyChange(em, request, target, resolution, prepared.fetched, now);
    await this.record(em, request, issue, target, outcome, now);
    return outcome;
  }

  private async applyChange(
    em: EntityManager,
    request: SyncRequest,
    target: SyncTarget,
    resolution: Resolution,
    fetched: ProviderSubscription | null,
    now: Date,
  ): Promise<SyncResult> {
    const change = request.change;
    if (change.kind === 'ignored') return result('IGNORED', null, change.reason);
    if (change.kind === 'checkout' && !change.checkout.customerId) return result('IGNORED', null, 'the checkout session has no customer to link');
    if (!resolution.accountId) return unmapped(null, unknownCustomer(target));
    const { account, subscription } = await this.accounts.lockAccountSubscription(em, resolution.accountId);
    if (resolution.via !== 'link' && target.customerId) await this.createLink(em, target.customerId, account, STRIPE_ACTOR, request.reason, now, request);

    const key: OrderKey = { at: request.created, id: request.id };
    const snapshot = change.kind === 'subscription' ? change.subscription : change.kind === 'checkout' ? fetched : null;
    if (snapshot) {
      const mapped = await this.mapPrices(em, snapshot);
      if ('problem' in mapped) return unmapped(account.id, mapped.problem);
      const row = await em.findOne(BillingSubscription, { subscriptionId: snapshot.subscriptionId });
      if (row?.snapshotAt && compareOrderKeys(key, { at: row.snapshotAt, id: row.snapshotEventId! }) <= 0) {
        // A checkout still linked its customer; only the subscription it names was older.
        if (change.kind === 'checkout') return result('APPLIED', account.id, `linked ${target.customerId}; ${snapshot.subscriptionId} was already newer`);
        return result('STALE', account.id, `a newer event of ${snapshot.subscriptionId} (${row.snapshotEventId}) was applied already; this one changed nothing`);
      }
      Object.assign(this.providerRow(em, row, snapshot.subscriptionId, account, snapshot.customerId, now), {
        snapshot: storedSubscription(snapshot),
        snapshotAt: key.at,
        snapshotEventId: key.id,
      });
    } else if (change.kind === 'payment') {
      const payment = change.payment;
      const row = await em.findOne(BillingSubscription, { subscriptionId: payment.subscriptionId! });
      if (row?.paymentAt && compareOrderKeys(key, { at: row.paymentAt, id: row.paymentEventId! }) <= 0) {
        return result('STALE', account.id, `a newer invoice event of ${payment.subscriptionId} (${row.paymentEventId}) was applied already; this one changed nothing`);
      }
      Object.assign(this.providerRow(em, row, payment.subscriptionId!, account, payment.customerId, now), {
        payment: { outcome: payment.outcome, amountPaid: payment.amountPaid },
        paymentAt: key.at,
        paymentEventId: key.id,
      });
    }
    await em.flush();
    const changed = await this.mirror(em, account, subscription, request, now);
    return { outcome: 'APPLIED', accountId: account.id, problem: null, changed, detail: changed ? 'applied' : 'applied; Tollgate already matched it' };
  }

  /**
   * Writes the account's subscription as its governing provider subscription says, and audits
   * the change. Returns whether anything changed.
   */
  private async mirror(em: EntityManager, account: Account, current: Subscription | null, request: SyncRequest, now: Date): Promise<boolean> {
    const rows = await em.find(BillingSubscription, { account });
    const governing = governingState(rows.flatMap((row) => stateOf(row)));
    if (!governing) return false;
    const mapped = await this.mapPrices(em, governing.subscription);
    // A snapshot is stored only once its prices map, and prices are never unmapped.
    if ('problem' in mapped) return false;
    const previous = current ? { status: current.status, convertedAt: current.convertedAt } : null;
    const mirrored = mirroredSubscription(governing, mapped.mapping, previous, billingPeriodEnd);
    const fields = { ...mirrored, planVersion: mapped.planVersion, scheduledPlanVersion: null, scheduledChangeAt: null };
    const before = current ? subscriptionSnapshot(current) : null;
    const subscription = current ?? em.create(Subscription, { account, ...fields, createdAt: now, updatedAt: now });
    if (current) Object.assign(current, fields);
    const after = subscriptionSnapshot(subscription);
    if (before && JSON.stringify(before) === JSON.stringify(after)) return false;
    recordAudit(em, {
      actor: request.actor,
      action: 'subscription.sync_from_billing',
      entityType: 'Subscription',
      entityId: subscription.id,
      accountId: account.id,
      before,
      after: { ...after, source: { id: request.id, type: request.type, mirrors: governing.subscription.subscriptionId } },
      reason: request.reason,
    }, now);
    return true;
  }

  /** Records the outcome: the event's row, and the issue (raised, updated, or resolved by a replay). */
  private async record(em: EntityManager, request: SyncRequest, issue: BillingSyncIssue | null, target: SyncTarget, outcome: SyncResult, now: Date): Promise<void> {
    if (request.delivery || request.replay) {
      await em.execute(
        'update billing_event set outcome = ?, subscription_id = ?, customer_id = ?, account_id = ?, detail = ? where id = ?',
        [outcome.outcome, target.subscriptionId, target.customerId, outcome.accountId, outcome.detail, request.id],
      );
    }
    if (outcome.problem) {
      const fields = { kind: outcome.problem.kind, message: outcome.problem.message, priceIds: outcome.problem.priceIds, updatedAt: now };
      if (issue) Object.assign(issue, fields);
      else if (request.delivery) {
        em.create(BillingSyncIssue, {
          ...fields,
          eventId: request.id,
          eventType: request.type.slice(0, 128),
          customerId: target.customerId,
          subscriptionId: target.subscriptionId,
          payload: storable(request.delivery.payload),
          createdAt: now,
        });
      }
    } else if (issue && request.replay) {
      Object.assign(issue, { resolvedAt: now, resolution: `${request.replay.trigger}: ${resolutionOf(outcome)}`, updatedAt: now });
    }
  }

  /** Replays the open issues `where` (and `matches`) selects, oldest first, each through the path a delivery takes. */
  private async replayIssues(where: Partial<Pick<BillingSyncIssue, 'kind' | 'customerId'>>, trigger: string, matches: (issue: BillingSyncIssue) => boolean = () => true): Promise<void> {
    // A barrier: every event transaction that read the mapping before it changed has committed
    // (its issue is visible) once this exclusive lock is granted.
    await this.orm.em.fork().transactional((em) => em.execute('select pg_advisory_xact_lock(?)', [MAPPING_LOCK]));
    const issues = await this.orm.em.fork().find(BillingSyncIssue, { ...where, resolvedAt: null }, { orderBy: { id: 'asc' } });
    for (const issue of issues.filter(matches)) {
      try {
        const event = fromStripeEvent(issue.payload as StripeEventObject);
        await this.sync({
          ...event,
          actor: STRIPE_ACTOR,
          reason: `Stripe event ${event.id} (${event.type}), ${trigger}`,
          delivery: null,
          replay: { issueId: issue.id, trigger },
        });
      } catch {
        // The issue stays open and is replayed by the next mapping that concerns it.
      }
    }
  }

  /**
   * Which account an event is for: the customer's stored link, else the account its provider
   * subscription was applied to before, else the first account named in metadata that exists.
   */
  private async resolveAccount(em: EntityManager, target: SyncTarget, hints: string[]): Promise<Resolution> {
    if (target.customerId) {
      const [link] = await em.execute<{ account_id: string }[]>('select account_id from billing_customer where customer_id = ?', [target.customerId]);
      if (link) return { accountId: link.account_id, via: 'link' };
    }
    if (target.subscriptionId) {
      const [row] = await em.execute<{ account_id: string }[]>('select account_id from billing_subscription where subscription_id = ?', [target.subscriptionId]);
      if (row) return { accountId: row.account_id, via: 'subscription' };
    }
    for (const hint of hints) {
      if (!rules.isAccountId(hint)) continue;
      const [account] = await em.execute<{ id: string }[]>('select id from account where id = ?', [hint]);
      if (account) return { accountId: account.id, via: 'metadata' };
    }
    return { accountId: null, via: null };
  }

  /** The plan version and add-ons a provider subscription's prices stand for, or why they do not map. */
  private async mapPrices(
    em: EntityManager,
    subscription: ProviderSubscription,
  ): Promise<{ mapping: PriceMapping; planVersion: PlanVersion } | { problem: SyncProblem }> {
    const priceIds = [...new Set(subscription.items.map((item) => item.priceId))];
    const prices = priceIds.length
      ? await em.find(BillingPrice, { priceId: { $in: priceIds } }, { populate: ['planVersion', 'planVersion.plan', 'addOn'] })
      : [];
    const byId = new Map(prices.map((price) => [price.priceId, price]));
    const unknown = priceIds.filter((id) => !byId.has(id));
    if (unknown.length) {
      const list = unknown.map((id) => `"${id}"`).join(', ');
      return {
        problem: {
          kind: 'UNKNOWN_PRICE',
          priceIds: unknown,
          message:
            `Stripe price${unknown.length > 1 ? 's' : ''} ${list} of subscription "${subscription.subscriptionId}" map${unknown.length > 1 ? '' : 's'} ` +
            'to no plan version or add-on. Add it to a plan version (billingPriceIds) or an add-on (billingPriceId); this event is then replayed.',
        },
      };
    }
    // The plan: the item whose version's plan ranks highest (the first such item on a tie).
    let planItem = -1;
    subscription.items.forEach((item, index) => {
      const version = byId.get(item.priceId)!.planVersion;
      const best = planItem >= 0 ? byId.get(subscription.items[planItem]!.priceId)!.planVersion! : null;
      if (version && (!best || version.plan.rank > best.plan.rank)) planItem = index;
    });
    if (planItem < 0) {
      return {
        problem: {
          kind: 'UNKNOWN_PRICE',
          priceIds: [],
          message:
            `No price of subscription "${subscription.subscriptionId}" (${priceIds.map((id) => `"${id}"`).join(', ') || 'it has no items'}) ` +
            'is a plan version\'s. Add the plan\'s price to a plan version (billingPriceIds); this event is then replayed.',
        },
      };
    }
    const quantities = new Map<string, number>();
    for (const item of subscription.items) {
      const addOn = byId.get(item.priceId)!.addOn;
      if (addOn && item.quantity > 0) quantities.set(addOn.key, (quantities.get(addOn.key) ?? 0) + item.quantity);
    }
    const planVersion = byId.get(subscription.items[planItem]!.priceId)!.planVersion!;
    return {
      planVersion,
      mapping: {
        planItem,
        planKey: planVersion.plan.key,
        interval: planVersion.interval,
        pastDueGraceDays: planVersion.pastDueGraceDays ?? this.settings.pastDueGraceDays,
        addOns: [...quantities].sort(([a], [b]) => a.localeCompare(b)).map(([addOnKey, quantity]) => ({ addOnKey, quantity })),
      },
    };
  }

  /** The provider subscription's row, created for `account` if it has none yet. */
  private providerRow(em: EntityManager, row: BillingSubscription | null, subscriptionId: string, account: Account, customerId: string | null, now: Date): BillingSubscription {
    const kept = row ?? em.create(BillingSubscription, { subscriptionId, account, updatedAt: now });
    kept.customerId = customerId ?? kept.customerId;
    kept.updatedAt = now;
    return kept;
  }

  /** Links a customer to an account, audited; of two concurrent links of one customer the first stays. */
  private async createLink(em: EntityManager, customerId: string, account: Account, actor: AuditActor | string, reason: string | null, now: Date, request?: SyncRequest): Promise<void> {
    const inserted = await em.execute(
      'insert into billing_customer (customer_id, account_id, linked_by, linked_at) values (?, ?, ?, ?) on conflict (customer_id) do nothing returning customer_id',
      [customerId, account.id, typeof actor === 'string' ? actor : actor.name, now],
    );
    if (!inserted.length) return;
    request?.linked?.push(customerId);
    recordAudit(em, {
      actor,
      action: 'billing_customer.link',
      entityType: 'BillingCustomer',
      entityId: customerId,
      accountId: account.id,
      after: { customerId, accountId: account.id },
      reason,
    }, now);
  }
}

function result(outcome: BillingEventOutcome, accountId: string | null, detail: string): SyncResult {
  return { outcome, accountId, problem: null, changed: false, detail };
}

function unmapped(accountId: string | null, problem: SyncProblem): SyncResult {
  return { outcome: 'UNMAPPED', accountId, problem, changed: false, detail: problem.message };
}

/** The sentence after the trigger in a resolved issue's `resolution`. */
function resolutionOf(outcome: SyncResult): string {
  switch (outcome.outcome) {
    case 'APPLIED':
      return outcome.changed ? 'applied' : 'applied; Tollgate already matched it';
    case 'STALE':
      return 'a newer event of its subscription had been applied meanwhile, so it changed nothing';
    default:
      return outcome.detail;
  }
}

function unknownCustomer(target: SyncTarget): SyncProblem {
  const named = target.hints.find((hint) => rules.isAccountId(hint));
  const customer = target.customerId ? `Stripe customer "${target.customerId}"` : 'The event\'s customer';
  const why = named
    ? `is linked to no Tollgate account, and metadata.${ACCOUNT_METADATA_KEY} names "${named}", which Tollgate has no account for`
    : `is linked to no Tollgate account, and no metadata.${ACCOUNT_METADATA_KEY} names one`;
  const fix = target.customerId
    ? `Link it with linkBillingCustomer(accountId: …, customerId: "${target.customerId}"); this event is then replayed.`
    : `Set metadata.${ACCOUNT_METADATA_KEY} on the customer in Stripe.`;
  return { kind: 'UNKNOWN_CUSTOMER', priceIds: [], message: `${customer} ${why}. ${fix}` };
}

function targetOf(change: StripeEventChange): SyncTarget {
  switch (change.kind) {
    case 'subscription':
      return { customerId: change.subscription.customerId, subscriptionId: change.subscription.subscriptionId, hints: hintList(change.subscription.accountIdHint) };
    case 'payment':
      return { customerId: change.payment.customerId, subscriptionId: change.payment.subscriptionId, hints: hintList(change.payment.accountIdHint) };
    case 'checkout':
      return { customerId: change.checkout.customerId, subscriptionId: change.checkout.subscriptionId, hints: hintList(change.checkout.accountIdHint) };
    case 'ignored':
      return { customerId: null, subscriptionId: null, hints: [] };
  }
}

function hintList(hint: string | null): string[] {
  return hint ? [hint] : [];
}

/** A provider subscription as stored in JSON. */
function storedSubscription(subscription: ProviderSubscription): unknown {
  return JSON.parse(JSON.stringify(subscription));
}

/** A stored row as the pure functions take it; none without a snapshot. */
function stateOf(row: BillingSubscription): ProviderSubscriptionState[] {
  if (!row.snapshot || !row.snapshotAt || !row.snapshotEventId) return [];
  const stored = row.snapshot as Record<string, any>;
  const date = (value: unknown) => (typeof value === 'string' ? new Date(value) : null);
  const subscription: ProviderSubscription = {
    ...(stored as ProviderSubscription),
    trialEnd: date(stored.trialEnd),
    currentPeriodStart: date(stored.currentPeriodStart),
    currentPeriodEnd: date(stored.currentPeriodEnd),
    canceledAt: date(stored.canceledAt),
    endedAt: date(stored.endedAt),
    startedAt: date(stored.startedAt),
    items: (stored.items as Record<string, any>[]).map((item) => ({
      priceId: item.priceId,
      quantity: item.quantity,
      currentPeriodStart: date(item.currentPeriodStart),
      currentPeriodEnd: date(item.currentPeriodEnd),
    })),
  };
  const payment = row.payment && row.paymentAt && row.paymentEventId
    ? { ...row.payment, key: { at: row.paymentAt, id: row.paymentEventId } }
    : null;
  return [{ subscription, snapshotKey: { at: row.snapshotAt, id: row.snapshotEventId }, payment }];
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The payload with every string PostgreSQL's jsonb can store (no NUL, no lone surrogate). */
function storable(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (_key, item: unknown) =>
    typeof item === 'string' ? item.replace(LONE_SURROGATE, '\ufffd').replaceAll('\u0000', '\ufffd') : item,
  );
}
