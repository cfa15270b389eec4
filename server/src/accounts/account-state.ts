import type { EntityManager } from '@mikro-orm/postgresql';
import { overrideMayApply, type AccountState } from '../entitlements/index.js';
import { Override } from '../overrides/index.js';
import { rules } from '../validation/index.js';
import { Account } from './account.entity.js';
import { scheduledChangeOf, Subscription } from './subscription.entity.js';

/**
 * Reads one account as the evaluator sees it, or null when it does not exist. Overrides that can
 * no longer apply (ended or revoked before `now`) are left out; every other one is kept, future
 * ones included, so a cached state stays right as time passes.
 */
export async function loadAccountState(em: EntityManager, accountId: string, now: Date): Promise<AccountState | null> {
  if (!rules.isAccountId(accountId)) return null;
  const [account, subscription, overrides] = await Promise.all([
    em.findOne(Account, { id: accountId }, { fields: ['id'] }),
    em.findOne(Subscription, { account: accountId }),
    em.find(Override, { account: accountId }),
  ]);
  if (!account) return null;
  return {
    accountId,
    subscription: subscription
      ? {
          planVersionId: subscription.planVersion.id,
          status: subscription.status,
          trialEndsAt: subscription.trialEndsAt,
          graceEndsAt: subscription.graceEndsAt,
          currentPeriodStart: subscription.currentPeriodStart,
          currentPeriodEnd: subscription.currentPeriodEnd,
          addOns: subscription.addOns.map((addOn) => ({ ...addOn })),
          cancelAtPeriodEnd: subscription.cancelAtPeriodEnd,
          scheduledChange: scheduledChangeOf(subscription),
          cancelAt: subscription.cancelAt,
          billedByProvider: !!subscription.billingProviderIds?.stripeSubscriptionId,
          planQuantity: subscription.planQuantity === null ? null : Number(subscription.planQuantity),
        }
      : null,
    overrides: overrides.filter((override) => overrideMayApply(override, now)).map((override) => ({
      id: override.id,
      featureKey: override.featureKey,
      effect: override.effect,
      value: override.value,
      startsAt: override.startsAt,
      endsAt: override.endsAt,
      createdAt: override.createdAt,
      revokedAt: override.revokedAt,
    })),
  };
}
