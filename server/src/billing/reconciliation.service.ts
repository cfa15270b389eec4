import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { actorName, auditActor, type Principal } from '../access/index.js';
import { recordAudit } from '../audit/index.js';
import type { Clock } from '../clock.js';
import type { ReconciliationRefusal } from '../vocabulary/index.js';
import type { BillingService } from './billing.service.js';
import { stripeApiFailed, stripeApiNotConfigured } from './billing.errors.js';
import { compareBilling, type BillingMismatch, type ListedProviderSubscription } from './reconciliation.js';
import { StripeRefused, StripeUnavailable } from './stripe-gateway.js';
import { fromStripeSubscription, MalformedStripeObject } from './stripe-mapping.js';

/** The audit log's actor for the fixes reconciliation applies. */
export const RECONCILIATION_ACTOR = 'reconciliation';

/** Default of `maxCancelPercent`: above it, a run cancels nobody and says why. */
export const DEFAULT_MAX_CANCEL_PERCENT = 10;

/** One mismatch, and whether this run fixed it. */
export interface ReportedMismatch extends BillingMismatch {
  fixed: boolean;
}

/** Why this run applied nothing, in the vocabulary's words and a sentence. */
export interface ReportedRefusal {
  kind: ReconciliationRefusal;
  message: string;
}

/** What one reconciliation run found and did. */
export interface ReconciliationReport {
  id: string;
  checkedAt: Date;
  applied: boolean;
  providerSubscriptions: number;
  tollgateSubscriptions: number;
  mismatches: ReportedMismatch[];
  fixed: number;
  /** Why `apply` was refused; empty when it was not asked for or went ahead. */
  refusals: ReportedRefusal[];
}

/** How a run is asked for. */
export interface ReconcileOptions {
  apply: boolean;
  /** Above this share (0-100) of Tollgate's Stripe-billed subscriptions to cancel, apply is refused. Default 10. */
  maxCancelPercent?: number | null;
}

/**
 * Compares every subscription the billing provider has with Tollgate's, for the case webhooks
 * cannot cover (an endpoint that was down past Stripe's retries, events sent before Tollgate was
 * connected, a price mapped late). With `apply`, fixes what it can through the same path webhooks
 * take, each change audited with actor `reconciliation`; the run itself is audited too.
 *
 * It cancels nobody who pays: a Tollgate subscription is missing in the provider only if it was
 * mirrored before the listing began and is still absent, unchanged, after it; each such cancel is
 * confirmed by reading the subscription from Stripe (a subscription Stripe still has is applied
 * instead). Apply is refused outright when the key's mode (live, test) is not the listed
 * subscriptions', or when more than `maxCancelPercent` would be canceled.
 */
export class ReconciliationService {
  constructor(
    private readonly orm: MikroORM,
    private readonly billing: BillingService,
    private readonly clock: Clock,
  ) {}

  /**
   * Lists the provider's subscriptions, compares, and with `apply` fixes every fixable mismatch.
   * Answers STRIPE_NOT_CONFIGURED without an API key and STRIPE_UNAVAILABLE when Stripe fails
   * while listing (nothing changed then).
   *
   * @example
   * const report = await reconciliation.reconcile(admin, { apply: false });
   * report.mismatches.filter((mismatch) => mismatch.kind === 'PLAN_MISMATCH');
   */
  async reconcile(actor: Principal, options: ReconcileOptions | boolean): Promise<ReconciliationReport> {
    const { apply, maxCancelPercent } = typeof options === 'boolean' ? { apply: options, maxCancelPercent: null } : options;
    const limit = maxCancelPercent ?? DEFAULT_MAX_CANCEL_PERCENT;
    const gateway = this.billing.stripeGateway;
    if (!gateway) throw stripeApiNotConfigured();
    const id = randomUUID();
    const checkedAt = this.clock();
    // Before the listing begins: what Tollgate mirrors now (only these can be missing in the
    // provider), and the read sequence every snapshot of this listing is ordered by, so a webhook
    // read that begins while the listing runs wins over it.
    const mirroredBefore = await this.billing.mirroringSubscriptions([]);
    const seq = await this.billing.nextReadSequence();
    const listed: ListedProviderSubscription[] = [];
    const modes = new Set<boolean>();
    try {
      for await (const object of gateway.listSubscriptions()) {
        let subscription;
        try {
          subscription = fromStripeSubscription(object);
        } catch (error) {
          if (error instanceof MalformedStripeObject) continue;
          throw error;
        }
        if (subscription.livemode !== null) modes.add(subscription.livemode);
        listed.push({ subscription, expectation: await this.billing.expectedFromProvider(subscription, checkedAt) });
      }
    } catch (error) {
      if (error instanceof StripeUnavailable || error instanceof StripeRefused) throw stripeApiFailed(error);
      throw error;
    }
    const accountIds = [...new Set(listed.flatMap(({ expectation }) => (expectation.accountId ? [expectation.accountId] : [])))];
    const tollgate = await this.billing.mirroringSubscriptions(accountIds);
    const wasMirrored = new Set(mirroredBefore.map((subscription) => `${subscription.accountId} ${subscription.providerSubscriptionId}`));
    const mismatches: ReportedMismatch[] = compareBilling(listed, tollgate)
      // Mirrored while the listing ran: a webhook got there first; Stripe has it.
      .filter((mismatch) => mismatch.kind !== 'MISSING_IN_PROVIDER' || wasMirrored.has(`${mismatch.accountId} ${mismatch.providerSubscriptionId}`))
      .map((mismatch) => ({ ...mismatch, fixed: false }));

    const refusals: ReportedRefusal[] = [];
    if (apply) {
      const otherMode = [...modes].filter((mode) => mode !== gateway.livemode);
      if (otherMode.length) {
        refusals.push({
          kind: 'MODE_MISMATCH',
          message: `STRIPE_API_KEY is a ${gateway.livemode ? 'live' : 'test'}-mode key, but Stripe listed ${otherMode[0] ? 'live' : 'test'}-mode subscriptions: ` +
            'applying would follow the wrong Stripe data. Nothing was applied; use the key of the mode this Tollgate bills in.',
        });
      }
      const cancels = mismatches.filter((mismatch) => mismatch.kind === 'MISSING_IN_PROVIDER').length;
      const mirrored = tollgate.filter((subscription) => subscription.providerSubscriptionId).length;
      if (cancels > 0 && cancels * 100 > limit * Math.max(mirrored, 1)) {
        refusals.push({
          kind: 'TOO_MANY_CANCELS',
          message: `${cancels} of ${mirrored} Stripe-billed subscriptions would be canceled, more than maxCancelPercent (${limit}%): ` +
            'a key of another Stripe account or mode is likelier than that many vanished subscriptions. Nothing was applied; check STRIPE_API_KEY, ' +
            'or run again with a higher maxCancelPercent if they really are gone.',
        });
      }
    }

    if (apply && !refusals.length) {
      const reason = `reconciliation ${id} by ${actorName(actor)}`;
      // One fix per account: every provider subscription of the account is applied (the
      // governing one decides what Tollgate mirrors, as with webhooks).
      const accounts = new Set(mismatches.filter((mismatch) => mismatch.fixable && mismatch.kind !== 'MISSING_IN_PROVIDER').map((mismatch) => mismatch.accountId!));
      for (const accountId of accounts) {
        for (const { subscription, expectation } of listed) {
          if (expectation.accountId !== accountId || expectation.kind !== 'mapped') continue;
          const applied = await this.billing.applyProviderSubscription(subscription, {
            actor: RECONCILIATION_ACTOR,
            sourceId: `reconciliation:${id}:${subscription.subscriptionId}`,
            observedAt: checkedAt,
            seq,
            reason,
          });
          if (applied.outcome !== 'APPLIED') continue;
          for (const mismatch of mismatches) if (mismatch.accountId === accountId && mismatch.fixable && mismatch.kind !== 'MISSING_IN_PROVIDER') mismatch.fixed = true;
        }
      }
      for (const mismatch of mismatches) {
        if (mismatch.kind !== 'MISSING_IN_PROVIDER' || !mismatch.fixable) continue;
        mismatch.fixed = await this.confirmMissing(mismatch, reason, checkedAt);
      }
    }

    const report: ReconciliationReport = {
      id,
      checkedAt,
      applied: apply && !refusals.length,
      providerSubscriptions: listed.length,
      tollgateSubscriptions: tollgate.filter((subscription) => subscription.providerSubscriptionId).length,
      mismatches,
      fixed: mismatches.filter((mismatch) => mismatch.fixed).length,
      refusals,
    };
    if (apply) await this.recordRun(actor, report);
    return report;
  }

  /**
   * Cancels, in Tollgate, a subscription Stripe's list did not have, once a read of it says
   * Stripe has no such subscription (404). A read that finds it applies what Stripe says instead
   * (it was created or changed while the listing ran); a failed read cancels nothing.
   */
  private async confirmMissing(mismatch: ReportedMismatch, reason: string, listedAt: Date): Promise<boolean> {
    const gateway = this.billing.stripeGateway!;
    const subscriptionId = mismatch.providerSubscriptionId!;
    const seq = await this.billing.nextReadSequence();
    let object: unknown;
    try {
      object = await gateway.retrieveSubscription(subscriptionId);
    } catch (error) {
      if (error instanceof StripeRefused && error.statusCode === 404) {
        return this.billing.endMissingProviderSubscription(mismatch.accountId!, subscriptionId, RECONCILIATION_ACTOR, reason, listedAt);
      }
      return false;
    }
    try {
      await this.billing.applyProviderSubscription(fromStripeSubscription(object), {
        actor: RECONCILIATION_ACTOR, sourceId: `reconciliation:confirm:${subscriptionId}`, seq, reason,
      });
      mismatch.message += ' A read found it in Stripe after all: what Stripe says was applied, and nothing was canceled.';
    } catch {
      // Not readable as a subscription: nothing canceled, reported as not fixed.
    }
    return false;
  }

  /** The run itself in the audit log: what it found, fixed and refused. */
  private async recordRun(actor: Principal, report: ReconciliationReport): Promise<void> {
    await this.orm.em.fork().transactional(async (em: EntityManager) => {
      recordAudit(em, {
        actor: auditActor(actor), action: 'billing.reconcile', entityType: 'Reconciliation', entityId: report.id, accountId: null, before: null,
        after: {
          providerSubscriptions: report.providerSubscriptions,
          mismatches: report.mismatches.map(({ kind, accountId, providerSubscriptionId, fixed }) => ({ kind, accountId, providerSubscriptionId, fixed })),
          fixed: report.fixed,
          refusals: report.refusals,
        },
      }, report.checkedAt);
      await em.flush();
    });
  }
}
