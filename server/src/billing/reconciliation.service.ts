import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { actorName, auditActor, type Principal } from '../access/index.js';
import { recordAudit } from '../audit/index.js';
import type { Clock } from '../clock.js';
import type { BillingService } from './billing.service.js';
import { stripeApiFailed, stripeApiNotConfigured } from './billing.errors.js';
import { compareBilling, type BillingMismatch, type ListedProviderSubscription } from './reconciliation.js';
import { StripeUnavailable } from './stripe-gateway.js';
import { fromStripeSubscription } from './stripe-mapping.js';

/** The audit log's actor for the fixes reconciliation applies. */
export const RECONCILIATION_ACTOR = 'reconciliation';

/** One mismatch, and whether this run fixed it. */
export interface ReportedMismatch extends BillingMismatch {
  fixed: boolean;
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
}

/**
 * Compares every subscription the billing provider has with Tollgate's, for the case webhooks
 * cannot cover (an endpoint that was down past Stripe's retries, events sent before Tollgate was
 * connected, a price mapped late). With `apply`, fixes what it can through the same path webhooks
 * take, each change audited with actor `reconciliation`; the run itself is audited too.
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
   * const report = await reconciliation.reconcile(admin, false);
   * report.mismatches.filter((mismatch) => mismatch.kind === 'PLAN_MISMATCH');
   */
  async reconcile(actor: Principal, apply: boolean): Promise<ReconciliationReport> {
    const gateway = this.billing.stripeGateway;
    if (!gateway) throw stripeApiNotConfigured();
    const id = randomUUID();
    const checkedAt = this.clock();
    const listed: ListedProviderSubscription[] = [];
    try {
      for await (const object of gateway.listSubscriptions()) {
        const subscription = fromStripeSubscription(object);
        listed.push({ subscription, expectation: await this.billing.expectedFromProvider(subscription, checkedAt) });
      }
    } catch (error) {
      if (error instanceof StripeUnavailable) throw stripeApiFailed(error);
      throw error;
    }
    const accountIds = [...new Set(listed.flatMap(({ expectation }) => (expectation.accountId ? [expectation.accountId] : [])))];
    const tollgate = await this.billing.mirroringSubscriptions(accountIds);
    const mismatches: ReportedMismatch[] = compareBilling(listed, tollgate).map((mismatch) => ({ ...mismatch, fixed: false }));

    if (apply) {
      const reason = `reconciliation ${id} by ${actorName(actor)}`;
      // One fix per account: every provider subscription of the account is applied (the
      // governing one decides what Tollgate mirrors, as with webhooks).
      const accounts = new Set(mismatches.filter((mismatch) => mismatch.fixable && mismatch.kind !== 'MISSING_IN_PROVIDER').map((mismatch) => mismatch.accountId!));
      for (const accountId of accounts) {
        for (const { subscription, expectation } of listed) {
          if (expectation.accountId !== accountId || expectation.kind !== 'mapped') continue;
          await this.billing.applyProviderSubscription(subscription, {
            actor: RECONCILIATION_ACTOR,
            sourceId: `reconciliation:${id}:${subscription.subscriptionId}`,
            observedAt: checkedAt,
            reason,
          });
        }
        for (const mismatch of mismatches) if (mismatch.accountId === accountId && mismatch.fixable && mismatch.kind !== 'MISSING_IN_PROVIDER') mismatch.fixed = true;
      }
      for (const mismatch of mismatches) {
        if (mismatch.kind !== 'MISSING_IN_PROVIDER' || !mismatch.fixable) continue;
        mismatch.fixed = await this.billing.endMissingProviderSubscription(mismatch.accountId!, mismatch.providerSubscriptionId!, RECONCILIATION_ACTOR, reason);
      }
    }

    const report: ReconciliationReport = {
      id,
      checkedAt,
      applied: apply,
      providerSubscriptions: listed.length,
      tollgateSubscriptions: tollgate.filter((subscription) => subscription.providerSubscriptionId).length,
      mismatches,
      fixed: mismatches.filter((mismatch) => mismatch.fixed).length,
    };
    if (apply) await this.recordRun(actor, report);
    return report;
  }

  /** The run itself in the audit log: what it found and fixed. */
  private async recordRun(actor: Principal, report: ReconciliationReport): Promise<void> {
    await this.orm.em.fork().transactional(async (em: EntityManager) => {
      recordAudit(em, {
        actor: auditActor(actor), action: 'billing.reconcile', entityType: 'Reconciliation', entityId: report.id, accountId: null, before: null,
        after: {
          providerSubscriptions: report.providerSubscriptions,
          mismatches: report.mismatches.map(({ kind, accountId, providerSubscriptionId, fixed }) => ({ kind, accountId, providerSubscriptionId, fixed })),
          fixed: report.fixed,
        },
      }, report.checkedAt);
      await em.flush();
    });
  }
}
