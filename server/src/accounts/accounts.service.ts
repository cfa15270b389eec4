import { createHash } from 'node:crypto';
import { LockMode, wrap } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { recordAudit } from '../audit/index.js';
import { auditActor, forbidden, ownApproval, UNBOUNDED_TRIAL_EXTENSION, type Principal } from '../access/index.js';
import { AddOn } from '../catalog/index.js';
import {
  addOnNotFound,
  noPublishedVersion,
  planNotFound,
  planVersionNotFound,
  planVersionNotPublished,
} from '../catalog/index.js';
import { PlanVersion } from '../catalog/index.js';
import { Plan } from '../catalog/index.js';
import type { Clock } from '../clock.js';
import type { ChangeFeed } from '../db/index.js';
import { Override } from '../overrides/index.js';
import { badUserInput, rules, validateInput } from '../validation/index.js';
import type { AccountSort } from '../vocabulary/index.js';
import { Account } from './account.entity.js';
import { billingManaged, nothingToCancel, notInForce, notInTrial, subscriptionRequired, trialAlreadyUsed, trialExtensionOverPolicy } from './accounts.errors.js';
import type { BilledPlanChanges } from './billed-plan-change.js';
import type { z } from 'zod';
import { accountNotFound, addDays, billingPeriodEnd, scheduledChangeDue, subscriptionPhase } from '../entitlements/index.js';
import { searchAccountIds, type AccountPosition, type AccountSearch } from './account-search.js';
import {
  accountSearchSchema,
  cancelSubscriptionSchema,
  changePlanSchema,
  extendTrialSchema,
  setAddOnSchema,
  updateSubscriptionStatusSchema,
  upsertAccountSchema,
  type AccountSearchValues,
  type CancelSubscriptionValues,
  type ChangePlanValues,
  type ExtendTrialValues,
  type SetAddOnValues,
  type UpdateSubscriptionStatusValues,
  type UpsertAccountValues,
} from './accounts.validation.js';
import { scheduledChangeOf, Subscription } from './subscription.entity.js';

/** Who the audit log names for a change that time made (a scheduled change, a cancellation at period end). */
const LIFECYCLE_ACTOR = 'lifecycle';

/** What a subscription read needs loaded to be shown and settled. */
const SUBSCRIPTION_POPULATE = ['planVersion', 'planVersion.plan', 'scheduledPlanVersion', 'scheduledPlanVersion.plan'] as const;

/** An account with everything `account(id)` shows. */
export interface AccountView {
  account: Account;
  subscription: Subscription | null;
  overrides: Override[];
}

/** Accounts the over-a-limit filter evaluates at once. */
const OVER_LIMIT_BATCH = 100;
/** Accounts the over-a-limit filter evaluates for one page at most: the bound on one request's work. */
export const OVER_LIMIT_SCAN_MAX = 2_000;

/**
 * Accounts and their one subscription: which plan version, trial, status, add-ons. Every write
 * is audited in its transaction and announced, so the account's next check sees it.
 */
export class AccountsService {
  private billedPlans: BilledPlanChanges | null = null;

  constructor(
    private readonly orm: MikroORM,
    private readonly feed: ChangeFeed,
    private readonly clock: Clock,
    /** TOLLGATE_OVERRIDE_POLICY_DAYS: how far a SUPPORT operator may move a trial's end. */
    private readonly policyDays = 30,
  ) {}

  /**
   * Hands in the port through which a Stripe-billed plan is changed (billing implements it;
   * services.ts wires it). Without it, such a change is refused with BILLING_MANAGED.
   */
  useBilledPlanChanges(port: BilledPlanChanges): void {
    this.billedPlans = port;
  }

  /**
   * The account as it stands now. A transition whose instant has passed (a scheduled plan change,
   * a cancellation at period end) is stored and audited here, the first time it is observed, so
   * `account` and the audit log agree with what the evaluator already decided at that instant.
   */
  async getAccount(id: string): Promise<AccountView | null> {
    if (!rules.isAccountId(id)) return null;
    const view = await this.readAccount(id);
    if (view?.subscription && dueTransition(view.subscription, this.clock())) {
      await this.write(id, async (em) => void (await this.lockSubscription(em, id)));
      return this.readAccount(id);
    }
    return view;
  }

  /**
   * Finds accounts by any part of their id, name or metadata values, or a billing customer id,
   * and by plan and phase, a page at a time by id (account-search.ts holds the SQL). Read-only:
   * a transition that came due is shown as of now and stored by the account's next write.
   */
  /**
   * A page of accounts. `overLimit` (when the search asks for it) says whether an account is at or
   * over a limit now: it needs the evaluator, so candidates are evaluated a batch at a time, at
   * most OVER_LIMIT_SCAN_MAX per request; a page cut short there says so with `hasNextPage` and an
   * `endCursor` at the last account looked at, and the next page goes on from it.
   */
  async searchAccounts(
    input: AccountSearchValues,
    overLimit: ((accountId: string) => Promise<boolean>) | null = null,
  ): Promise<{ views: (AccountView & { cursor: string })[]; hasNextPage: boolean; endCursor: string | null }> {
    const values = validateInput(accountSearchSchema, input);
    const order: AccountOrder = { sort: values.sort ?? 'ID', descending: values.descending ?? false };
    const after = values.after ? decodeAccountCursor(values.after, order) : null;
    const first = values.first ?? 20;
    const em = this.orm.em.fork();
    const now = this.clock();
    const query = {
      search: values.search ?? null, plan: values.plan ?? null, phase: values.phase ?? null,
      hasActiveOverrides: values.hasActiveOverrides ?? null, hasSyncIssue: values.hasSyncIssue ?? null, hasUsage: false, ...order, first, after,
    };
    let page: { rows: AccountPosition[]; hasNextPage: boolean; last: AccountPosition | null };
    if (values.overLimit === null || values.overLimit === undefined) {
      const found = await searchAccountIds(em, query, now);
      page = { rows: found.rows, hasNextPage: found.hasNextPage, last: found.rows.at(-1) ?? null };
    } else {
      if (!overLimit) throw new Error('searchAccounts: the overLimit filter needs the evaluator');
      page = await this.scanOverLimit(em, { ...query, hasUsage: values.overLimit }, values.overLimit, overLimit, now);
    }
    const endCursor = page.last ? encodeAccountCursor(page.last, order) : null;
    if (!page.rows.length) return { views: [], hasNextPage: page.hasNextPage, endCursor };
    const ids = page.rows.map((row) => row.id);
    const [accounts, subscriptions, overrides] = await Promise.all([
      em.find(Account, { id: { $in: ids } }),
      em.find(Subscription, { account: { $in: ids } }, { populate: [...SUBSCRIPTION_POPULATE, 'planVersion.entitlements'] }),
      em.find(Override, { account: { $in: ids } }, { orderBy: { createdAt: 'desc' } }),
    ]);
    const byId = new Map(accounts.map((account) => [account.id, account]));
    const views = page.rows.flatMap((row) => {
      const id = row.id;
      const account = byId.get(id);
      if (!account) return [];
      return [{
        cursor: encodeAccountCursor(row, order),
        account,
        subscription: subscriptions.find((subscription) => subscription.account.id === id) ?? null,
        overrides: overrides.filter((override) => override.account.id === id),
      }];
    });
    return { views, hasNextPage: page.hasNextPage, endCursor };
  }

  /** The over-a-limit filter: candidates by id, OVER_LIMIT_BATCH evaluated at once, until the page is full or the scan bound is met. */
  private async scanOverLimit(
    em: EntityManager,
    query: AccountSearch,
    wanted: boolean,
    overLimit: (accountId: string) => Promise<boolean>,
    now: Date,
  ): Promise<{ rows: AccountPosition[]; hasNextPage: boolean; last: AccountPosition | null }> {
    const found: AccountPosition[] = [];
    let after = query.after;
    let scanned = 0;
    for (;;) {
      const batch = await searchAccountIds(em, { ...query, first: OVER_LIMIT_BATCH, after }, now);
      const verdicts = await Promise.all(batch.rows.map(async (row) => (await overLimit(row.id)) === wanted));
      for (const [index, row] of batch.rows.entries()) {
        scanned += 1;
        after = row;
        if (!verdicts[index]) continue;
        if (found.length === query.first) return { rows: found, hasNextPage: true, last: found.at(-1)! };
        found.push(row);
      }
      if (!batch.hasNextPage) return { rows: found, hasNextPage: false, last: found.at(-1) ?? null };
      if (scanned >= OVER_LIMIT_SCAN_MAX) return { rows: found, hasNextPage: true, last: after };
    }
  }

  private async readAccount(id: string): Promise<AccountView | null> {
    const em = this.orm.em.fork();
    const account = await em.findOne(Account, { id });
    if (!account) return null;
    const [subscription, overrides] = await Promise.all([
      em.findOne(Subscription, { account }, { populate: [...SUBSCRIPTION_POPULATE, 'planVersion.entitlements'] }),
      em.find(Override, { account }, { orderBy: { createdAt: 'desc' } }),
    ]);
    return { account, subscription, overrides };
  }

  async upsertAccount(actor: Principal, input: UpsertAccountValues): Promise<AccountView> {
    const values = validateInput(upsertAccountSchema, input);
    await this.write(values.id, async (em, now) => {
      // Insert-or-nothing first, so two concurrent upserts of a new id cannot both insert.
      const inserted = await em.execute(
        'insert into account (id, name, metadata, created_at, updated_at) values (?, ?, ?, ?, ?) on conflict (id) do nothing returning id',
        [values.id, values.name, JSON.stringify(values.metadata ?? {}), now, now],
      );
      const account = await em.findOneOrFail(Account, { id: values.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      const created = inserted.length > 0;
      const before = created ? null : wrap(account).toObject();
      account.name = values.name;
      if (values.metadata) account.metadata = values.metadata;
      recordAudit(em, {
        actor: auditActor(actor), action: created ? 'account.create' : 'account.update', entityType: 'Account',
        entityId: account.id, accountId: account.id, before, after: { id: account.id, name: account.name, metadata: account.metadata },
      }, now);
    });
    return (await this.getAccount(values.id))!;
  }

  /**
   * Puts an account on a plan: the given version, or the newest published one. A trial starts
   * TRIALING for the version's trialDays; otherwise the subscription is ACTIVE. Add-ons are kept.
   * `at: PERIOD_END` waits for the current period to end (subscription.scheduledChange); NOW keeps
   * the billing period when the interval stays the same, so the period's metered usage is kept.
   * Either way a pending cancellation is withdrawn: the account chose a plan. `pinned` true or false
   * sets the subscription's pin (plan migrations skip pinned ones unless named); null keeps it.
   */
  async changePlan(actor: Principal, input: ChangePlanValues): Promise<AccountView> {
    const values = validateInput(changePlanSchema, input);
    if (await this.changeBilledPlan(actor, values)) return (await this.getAccount(values.accountId))!;
    await this.write(values.accountId, async (em, now) => {
      const account = await this.lockAccount(em, values.accountId);
      const version = await this.assignableVersion(em, values.plan, values.version ?? null);
      if (values.trial && version.trialDays <= 0) {
        throw badUserInput([{
          path: 'trial',
          message: `plan "${values.plan}" version ${version.version} has no trial (trialDays is 0); omit trial or publish a version with trialDays`,
        }]);
      }
      let subscription = await em.findOne(Subscription, { account }, { populate: SUBSCRIPTION_POPULATE });
      if (subscription) this.settleDue(em, subscription, now);
      if (values.at === 'PERIOD_END') {
        if (values.trial) throw badUserInput([{ path: 'at', message: 'a trial starts at once; omit at or pass NOW' }]);
        if (!subscription) throw subscriptionRequired(account.id);
        this.scheduleChange(em, actor, subscription, version, values.pinned ?? null, values.reason ?? null, now);
        return;
      }
      const before = subscription ? subscriptionSnapshot(subscription) : null;
      const trialed = subscription?.trialedPlanKeys ?? [];
      if (values.trial && trialed.includes(values.plan)) {
        if (!values.allowTrialRestart) throw trialAlreadyUsed(account.id, values.plan);
        if (actor.kind !== 'admin') throw forbidden('only an admin key may restart a trial (allowTrialRestart)');
      }
      // A paid change while a trial runs (or in its grace) converts it.
      const converts = !values.trial && subscription?.status === 'TRIALING';
      // A paid subscription in force that keeps its interval keeps its period (and the period's usage).
      const keepsPeriod = !!subscription && !values.trial && subscription.status !== 'TRIALING'
        && subscriptionPhase(subscription, 0, now).inForce && subscription.planVersion.interval === version.interval;
      const fields = {
        planVersion: version,
        status: values.trial ? 'TRIALING' : 'ACTIVE',
        trialEndsAt: values.trial ? addDays(now, version.trialDays) : null,
        graceEndsAt: null,
        convertedAt: converts ? now : (subscription?.convertedAt ?? null),
        trialedPlanKeys: values.trial && !trialed.includes(values.plan) ? [...trialed, values.plan] : trialed,
        currentPeriodStart: keepsPeriod ? subscription!.currentPeriodStart : now,
        currentPeriodEnd: keepsPeriod ? subscription!.currentPeriodEnd : billingPeriodEnd(now, version.interval),
        cancelAtPeriodEnd: false,
        canceledAt: null,
        scheduledPlanVersion: null,
        scheduledChangeAt: null,
        // An explicit true or false sets the pin; null keeps it, so a routine plan change cannot unpin a contract by omission.
        pinned: values.pinned ?? subscription?.pinned ?? false,
      } as const;
      if (subscription) {
        Object.assign(subscription, fields);
      } else {
        subscription = em.create(Subscription, { account, ...fields, createdAt: now, updatedAt: now });
      }
      recordAudit(em, {
        actor: auditActor(actor), action: 'subscription.change_plan', entityType: 'Subscription', entityId: subscription.id,
        accountId: account.id, before, after: subscriptionSnapshot(subscription), reason: values.reason ?? null,
      }, now);
    });
    return (await this.getAccount(values.accountId))!;
  }

  /**
   * A subscription Stripe bills is owned by Stripe's price: a plan change is made in Stripe (the
   * plan item's price swapped, with an idempotency key derived from the request and the account)
   * and Stripe's answer applied, through the billing port. Returns false when the account is not
   * billed by Stripe (the change is Tollgate's own). BILLING_MANAGED when it cannot be made there.
   */
  private async changeBilledPlan(actor: Principal, values: z.output<typeof changePlanSchema>): Promise<boolean> {
    const em = this.orm.em.fork();
    const subscription = await em.findOne(Subscription, { account: values.accountId }, { populate: SUBSCRIPTION_POPULATE });
    const providerSubscriptionId = subscription?.billingProviderIds?.stripeSubscriptionId;
    if (!subscription || !providerSubscriptionId) return false;
    if (!subscriptionPhase(subscription, subscription.planVersion.trialGraceDays, this.clock()).inForce) return false;
    const refuse = (why: string, fix: string) => billingManaged(values.accountId, providerSubscriptionId, why, fix);
    if (values.trial) throw refuse('a trial is Stripe\'s to start', 'Start it in Stripe (trial_end on the subscription); Tollgate follows its webhook.');
    if (values.at === 'PERIOD_END') {
      throw refuse('a change at the period\'s end is a Stripe subscription schedule', 'Schedule it in Stripe, or change it now (at: NOW) with prorationBehavior: NONE.');
    }
    if (!this.billedPlans?.writable) {
      throw refuse('Tollgate has no STRIPE_API_KEY to change it there',
        'Change the price in Stripe (Tollgate follows its webhook), or set STRIPE_API_KEY to a key with write access to subscriptions and ask again.');
    }
    const target = await this.assignableVersion(em, values.plan, values.version ?? null);
    const proration = values.prorationBehavior ?? 'CREATE_PRORATIONS';
    // Derived from the request and the account: a retry of this request (or, without a key of its
    // own, the same change of the subscription as Tollgate saw it) is written to Stripe once.
    const basis = values.idempotencyKey ?? JSON.stringify([target.id, proration, providerSubscriptionId, subscription.updatedAt.getTime()]);
    const idempotencyKey = `tollgate-change-plan-${createHash('sha256').update(`${values.accountId}\u0000${basis}`).digest('hex').slice(0, 48)}`;
    await this.billedPlans.change({
      accountId: values.accountId,
      providerSubscriptionId,
      from: { planVersionId: subscription.planVersion.id, billingPriceIds: subscription.planVersion.billingPriceIds },
      to: { planVersionId: target.id, planKey: values.plan, version: target.version, billingPriceIds: target.billingPriceIds },
      prorationBehavior: proration,
      idempotencyKey,
      actor: auditActor(actor),
      reason: values.reason ?? null,
      audit: { action: 'subscription.change_plan', after: { prorationBehavior: proration, stripeIdempotencyKey: idempotencyKey } },
    });
    if (values.pinned !== null && values.pinned !== undefined) {
      await this.write(values.accountId, async (txEm, now) => {
        const { account, subscription: locked } = await this.lockSubscription(txEm, values.accountId);
        if (locked.pinned === values.pinned) return;
        const before = subscriptionSnapshot(locked);
        locked.pinned = values.pinned!;
        recordAudit(txEm, {
          actor: auditActor(actor), action: 'subscription.change_plan', entityType: 'Subscription', entityId: locked.id,
          accountId: account.id, before, after: subscriptionSnapshot(locked), reason: values.reason ?? null,
        }, now);
      });
    }
    return true;
  }

  /**
   * Cancels the account's subscription: at the end of the period by default (phase CANCELING,
   * the plan applies until then, CANCELED from that instant with no job), or at once. A pending
   * scheduled change is dropped. Asking again for what is already so changes nothing, so a retry
   * is safe.
   */
  async cancelSubscription(actor: Principal, input: CancelSubscriptionValues): Promise<AccountView> {
    const values = validateInput(cancelSubscriptionSchema, input);
    const atPeriodEnd = values.atPeriodEnd ?? true;
    await this.write(values.accountId, async (em, now) => {
      const { account, subscription } = await this.lockSubscription(em, values.accountId);
      const phase = subscriptionPhase(subscription, subscription.planVersion.trialGraceDays, now);
      if (phase.phase === 'CANCELED') return;
      if (atPeriodEnd && subscription.cancelAtPeriodEnd) return;
      if (atPeriodEnd && !phase.inForce) throw nothingToCancel(account.id, phase.phase);
      const before = subscriptionSnapshot(subscription);
      Object.assign(subscription, atPeriodEnd
        ? { cancelAtPeriodEnd: true, canceledAt: now, scheduledPlanVersion: null, scheduledChangeAt: null }
        : { status: 'CANCELED', cancelAtPeriodEnd: false, canceledAt: now, graceEndsAt: null, scheduledPlanVersion: null, scheduledChangeAt: null });
      const endsAt = atPeriodEnd ? subscriptionPhase(subscription, subscription.planVersion.trialGraceDays, now).endsAt : now;
      recordAudit(em, {
        actor: auditActor(actor), action: 'subscription.cancel', entityType: 'Subscription', entityId: subscription.id,
        accountId: account.id, before, after: { ...subscriptionSnapshot(subscription), atPeriodEnd, endsAt }, reason: values.reason,
      }, now);
    });
    return (await this.getAccount(values.accountId))!;
  }

  /** Sets how many units of an add-on the account has; 0 removes it. */
  async setAddOn(actor: Principal, input: SetAddOnValues): Promise<AccountView> {
    const values = validateInput(setAddOnSchema, input);
    await this.write(values.accountId, async (em, now) => {
      const { account, subscription } = await this.lockSubscription(em, values.accountId);
      if (!(await em.count(AddOn, { key: values.addOn }))) throw addOnNotFound(values.addOn);
      const before = subscriptionSnapshot(subscription);
      const others = subscription.addOns.filter((addOn) => addOn.addOnKey !== values.addOn);
      subscription.addOns = values.quantity > 0 ? [...others, { addOnKey: values.addOn, quantity: values.quantity }] : others;
      recordAudit(em, {
        actor: auditActor(actor), action: 'subscription.set_add_on', entityType: 'Subscription', entityId: subscription.id,
        accountId: account.id, before, after: subscriptionSnapshot(subscription),
      }, now);
    });
    return (await this.getAccount(values.accountId))!;
  }

  /**
   * Moves a trial's end later, as support or sales decide: a running trial, one in its grace, or
   * one that has expired (the account gets the trial's plan again until `endsAt`). Audited with
   * before, after, reason and approver.
   */
  async extendTrial(actor: Principal, input: ExtendTrialValues): Promise<AccountView> {
    const values = validateInput(extendTrialSchema, input);
    const approval = ownApproval(actor, values.approvedBy);
    if ('problem' in approval) throw badUserInput([{ path: 'approvedBy', message: approval.problem }]);
    const { approvedBy } = approval;
    await this.write(values.accountId, async (em, now) => {
      const { account, subscription } = await this.lockSubscription(em, values.accountId);
      if (subscription.status !== 'TRIALING') throw notInTrial(account.id, subscription.status);
      const problems = [];
      if (values.endsAt <= now) problems.push({ path: 'endsAt', message: 'must be in the future' });
      if (subscription.trialEndsAt && values.endsAt <= subscription.trialEndsAt) {
        problems.push({ path: 'endsAt', message: `must be later than the current trial end, ${subscription.trialEndsAt.toISOString()}` });
      }
      if (problems.length) throw badUserInput(problems);
      if (actor.kind === 'operator' && !UNBOUNDED_TRIAL_EXTENSION.has(actor.role)) {
        // Up to the policy's days past the later of now and the current end.
        const from = Math.max(now.getTime(), subscription.trialEndsAt?.getTime() ?? 0);
        const latest = new Date(from + this.policyDays * 86_400_000);
        if (values.endsAt > latest) throw trialExtensionOverPolicy(actor.role, this.policyDays, latest);
      }
      const before = subscriptionSnapshot(subscription);
      subscription.trialEndsAt = values.endsAt;
      recordAudit(em, {
        actor: auditActor(actor), action: 'subscription.extend_trial', entityType: 'Subscription', entityId: subscription.id,
        accountId: account.id, before, after: { ...subscriptionSnapshot(subscription), approvedBy }, reason: values.reason,
      }, now);
    });
    return (await this.getAccount(values.accountId))!;
  }

  /** What a billing provider reports: past due (with a grace period), canceled, active again. */
  async updateSubscriptionStatus(actor: Principal, input: UpdateSubscriptionStatusValues): Promise<AccountView> {
    const values = validateInput(updateSubscriptionStatusSchema, input);
    await this.write(values.accountId, async (em, now) => {
      const { account, subscription } = await this.lockSubscription(em, values.accountId);
      const before = subscriptionSnapshot(subscription);
      // The billing provider saying a trial is now paid converts it.
      if (subscription.status === 'TRIALING' && values.status === 'ACTIVE') subscription.convertedAt = now;
      if (values.status === 'CANCELED' && subscription.status !== 'CANCELED') subscription.canceledAt = now;
      subscription.status = values.status;
      subscription.graceEndsAt = values.status === 'PAST_DUE' ? (values.graceEndsAt ?? null) : null;
      recordAudit(em, {
        actor: auditActor(actor), action: 'subscription.update_status', entityType: 'Subscription', entityId: subscription.id,
        accountId: account.id, before, after: subscriptionSnapshot(subscription), reason: values.reason,
      }, now);
    });
    return (await this.getAccount(values.accountId))!;
  }

  /**
   * For a domain that writes subscriptions from elsewhere (billing sync): inside `em`'s
   * transaction, the account locked (ACCOUNT_NOT_FOUND if there is none) and its subscription,
   * loaded as `account` shows it and settled (null when it has none). The caller writes in the
   * same transaction, through the change feed, and audits.
   */
  async lockAccountSubscription(em: EntityManager, id: string): Promise<{ account: Account; subscription: Subscription | null }> {
    const account = await this.lockAccount(em, id);
    const subscription = await em.findOne(Subscription, { account }, { populate: SUBSCRIPTION_POPULATE });
    if (subscription) this.settleDue(em, subscription, this.clock());
    return { account, subscription };
  }

  /** The account, locked for this transaction, and its subscription (SUBSCRIPTION_REQUIRED without one). */
  private async lockSubscription(em: EntityManager, id: string): Promise<{ account: Account; subscription: Subscription }> {
    const account = await this.lockAccount(em, id);
    const subscription = await em.findOne(Subscription, { account }, { populate: SUBSCRIPTION_POPULATE });
    if (!subscription) throw subscriptionRequired(account.id);
    this.settleDue(em, subscription, this.clock());
    return { account, subscription };
  }

  /**
   * Stores what time has already made true: a scheduled change whose instant has passed, and a
   * cancellation whose period has ended. Each is audited (actor `lifecycle`) with the instant it
   * took effect, which is when the evaluator started deciding by it.
   */
  private settleDue(em: EntityManager, subscription: Subscription, now: Date): void {
    const change = scheduledChangeOf(subscription);
    if (change && scheduledChangeDue({ scheduledChange: change }, now)) {
      const before = subscriptionSnapshot(subscription);
      const version = subscription.scheduledPlanVersion!;
      Object.assign(subscription, {
        planVersion: version,
        currentPeriodStart: change.at,
        currentPeriodEnd: billingPeriodEnd(change.at, version.interval),
        scheduledPlanVersion: null,
        scheduledChangeAt: null,
        cancelAtPeriodEnd: false,
      });
      recordAudit(em, {
        actor: LIFECYCLE_ACTOR, action: 'subscription.apply_scheduled_change', entityType: 'Subscription', entityId: subscription.id,
        accountId: subscription.account.id, before, after: { ...subscriptionSnapshot(subscription), effectiveAt: change.at },
      }, now);
    }
    const phase = subscriptionPhase(subscription, subscription.planVersion.trialGraceDays, now);
    if (subscription.cancelAtPeriodEnd && phase.phase === 'CANCELED') {
      const before = subscriptionSnapshot(subscription);
      const effectiveAt = subscription.status === 'TRIALING' ? subscription.trialEndsAt : subscription.currentPeriodEnd;
      Object.assign(subscription, { status: 'CANCELED', cancelAtPeriodEnd: false, graceEndsAt: null });
      recordAudit(em, {
        actor: LIFECYCLE_ACTOR, action: 'subscription.end_at_period_end', entityType: 'Subscription', entityId: subscription.id,
        accountId: subscription.account.id, before, after: { ...subscriptionSnapshot(subscription), effectiveAt },
      }, now);
    }
  }

  /** `changePlan(at: PERIOD_END)`: the change waits for the period's end; the version in force drops a pending one. */
  private scheduleChange(
    em: EntityManager,
    actor: Principal,
    subscription: Subscription,
    version: PlanVersion,
    pinned: boolean | null,
    reason: string | null,
    now: Date,
  ): void {
    const phase = subscriptionPhase(subscription, subscription.planVersion.trialGraceDays, now);
    if (subscription.status === 'TRIALING' || !phase.inForce) throw notInForce(subscription.account.id, phase.phase);
    if (subscription.currentPeriodEnd <= now) {
      throw badUserInput([{
        path: 'at',
        message: `the current period ended at ${subscription.currentPeriodEnd.toISOString()} and has not been renewed; change the plan now (at: NOW)`,
      }]);
    }
    const before = subscriptionSnapshot(subscription);
    const stays = version.id === subscription.planVersion.id;
    Object.assign(subscription, {
      scheduledPlanVersion: stays ? null : version,
      scheduledChangeAt: stays ? null : subscription.currentPeriodEnd,
      cancelAtPeriodEnd: false,
      canceledAt: null,
      pinned: pinned ?? subscription.pinned,
    });
    recordAudit(em, {
      actor: auditActor(actor), action: 'subscription.schedule_change', entityType: 'Subscription', entityId: subscription.id,
      accountId: subscription.account.id, before, after: subscriptionSnapshot(subscription), reason,
    }, now);
  }

  private async lockAccount(em: EntityManager, id: string): Promise<Account> {
    const account = await em.findOne(Account, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!account) throw accountNotFound(id);
    return account;
  }

  private async assignableVersion(em: EntityManager, planKey: string, versionNumber: number | null): Promise<PlanVersion> {
    const plan = await em.findOne(Plan, { key: planKey });
    if (!plan) throw planNotFound(planKey);
    if (versionNumber === null) {
      const newest = await em.findOne(PlanVersion, { plan, status: 'PUBLISHED' }, { orderBy: { version: 'desc' } });
      if (!newest) throw noPublishedVersion(planKey);
      return newest;
    }
    const version = await em.findOne(PlanVersion, { plan, version: versionNumber });
    if (!version) throw planVersionNotFound(planKey, versionNumber);
    if (version.status !== 'PUBLISHED') throw planVersionNotPublished(planKey, versionNumber, version.status);
    return version;
  }

  private async write(accountId: string, work: (em: EntityManager, now: Date) => Promise<void>): Promise<void> {
    const now = this.clock();
    await this.feed.write(this.orm.em, { scope: 'account', accountId }, (em) => work(em, now));
  }
}

/** A subscription as the audit log records it before and after a change. */
export function subscriptionSnapshot(subscription: Subscription) {
  return {
    plan: subscription.planVersion.plan?.key ?? null,
    version: subscription.planVersion.version ?? null,
    status: subscription.status,
    trialEndsAt: subscription.trialEndsAt,
    graceEndsAt: subscription.graceEndsAt,
    convertedAt: subscription.convertedAt,
    currentPeriodStart: subscription.currentPeriodStart,
    currentPeriodEnd: subscription.currentPeriodEnd,
    addOns: subscription.addOns,
    cancelAtPeriodEnd: subscription.cancelAtPeriodEnd,
    canceledAt: subscription.canceledAt,
    pinned: subscription.pinned,
    scheduledChange: subscription.scheduledPlanVersion
      ? { plan: subscription.scheduledPlanVersion.plan?.key ?? null, version: subscription.scheduledPlanVersion.version, at: subscription.scheduledChangeAt }
      : null,
    billingProviderIds: subscription.billingProviderIds,
  };
}

/** Whether time has made a transition the database does not show yet. */
function dueTransition(subscription: Subscription, now: Date): boolean {
  if (scheduledChangeDue({ scheduledChange: scheduledChangeOf(subscription) }, now)) return true;
  return subscription.cancelAtPeriodEnd && subscriptionPhase(subscription, subscription.planVersion.trialGraceDays, now).phase === 'CANCELED';
}

/** The opaque cursor of an account in `accounts`. */
export function encodeAccountCursor(position: AccountPosition, order: AccountOrder = { sort: 'ID', descending: false }): string {
  if (order.sort === 'ID' && !order.descending) return Buffer.from(`account:${position.id}`).toString('base64url');
  return Buffer.from(`${ORDERED_CURSOR}${order.sort}:${order.descending ? 'desc' : 'asc'}:${JSON.stringify([position.key, position.id])}`).toString('base64url');
}

/** How a cursor of any order but ID ascending (whose cursors stay `account:<id>`) begins. */
const ORDERED_CURSOR = 'accounts-in-order:';

/** The order of a list of accounts, which its cursors belong to. */
export interface AccountOrder {
  sort: AccountSort;
  descending: boolean;
}

/** A cursor's place, or BAD_USER_INPUT: one of another list or another order is refused, not misread. */
function decodeAccountCursor(cursor: string, order: AccountOrder): AccountPosition {
  const refused = () => badUserInput([{ path: 'after', message: 'is not a cursor from this list in this order; pass pageInfo.endCursor' }]);
  const decoded = Buffer.from(cursor, 'base64url').toString();
  if (order.sort === 'ID' && !order.descending) {
    const id = decoded.startsWith('account:') ? decoded.slice('account:'.length) : '';
    if (!rules.isAccountId(id)) throw refused();
    return { key: id, id };
  }
  const prefix = `${ORDERED_CURSOR}${order.sort}:${order.descending ? 'desc' : 'asc'}:`;
  if (!decoded.startsWith(prefix)) throw refused();
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoded.slice(prefix.length));
  } catch {
    throw refused();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[0] !== 'string' || typeof parsed[1] !== 'string' || !rules.isAccountId(parsed[1])) throw refused();
  if (order.sort === 'CREATED' && Number.isNaN(Date.parse(parsed[0]))) throw refused();
  if (parsed[0].length > 1_000 || parsed[0].includes('\0')) throw refused();
  return { key: parsed[0], id: parsed[1] };
}
