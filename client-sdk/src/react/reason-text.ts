import type { TollgateEntitlementFieldsFragment } from '../generated/graphql.js';

type Decision = Pick<TollgateEntitlementFieldsFragment, 'reason' | 'featureName' | 'limit' | 'unit' | 'resetsAt' | 'missingFeatures'>;

/** Why a feature is not available, in words a customer understands. */
export function reasonText(decision: Decision): string {
  const name = decision.featureName;
  switch (decision.reason) {
    case 'LIMIT_REACHED': {
      const amount = decision.limit === null ? '' : ` ${decision.limit.toLocaleString('en-US')}${decision.unit ? ` ${decision.unit}` : ''}`;
      const reset = decision.resetsAt
        ? ` It resets on ${new Date(decision.resetsAt).toLocaleDateString('en-US', { month: 'long', day: 'numeric', timeZone: 'UTC' })}.`
        : '';
      return `You have used all${amount} of ${name} in your plan.${reset}`;
    }
    case 'NOT_IN_PLAN':
      return `${name} is not included in your current plan.`;
    case 'TRIAL_EXPIRED':
      return `Your trial has ended, and ${name} was part of it.`;
    case 'SUBSCRIPTION_INACTIVE':
      return `${name} needs an active subscription.`;
    case 'REVOKED_BY_OVERRIDE':
      return `${name} has been turned off for your account. Contact support if this is unexpected.`;
    case 'MISSING_DEPENDENCY':
      return `${name} needs ${decision.missingFeatures.join(', ')}, which your plan does not include.`;
    case 'NO_SUBSCRIPTION':
      return `Choose a plan to use ${name}.`;
    default:
      return `${name} is available on your plan.`;
  }
}
