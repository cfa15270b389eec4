import type { EntitlementReason, OverrideEffect, SubscriptionPhase } from '../../generated/graphql.js';

/** Each decision's reason as support would say it to a customer's colleague. */
export const REASON_WORDS: Record<EntitlementReason, string> = {
  INCLUDED_IN_PLAN: 'Included in the plan',
  GRANTED_BY_ADDON: 'Granted by an add-on',
  GRANTED_BY_OVERRIDE: 'Granted by an override',
  TRIAL: 'Included during the trial',
  TRIAL_GRACE: 'Trial over; allowed during its grace period',
  NOT_IN_PLAN: 'Not included in the plan',
  REVOKED_BY_OVERRIDE: 'Taken away by an override',
  LIMIT_REACHED: 'Limit reached',
  SUBSCRIPTION_INACTIVE: 'Subscription not in force',
  TRIAL_EXPIRED: 'Trial expired',
  MISSING_DEPENDENCY: 'Needs a feature the account does not have',
  NO_SUBSCRIPTION: 'No subscription and no free plan',
};

/** The subscription's phase in words. */
export const PHASE_WORDS: Record<SubscriptionPhase, string> = {
  TRIAL: 'Trial',
  TRIAL_GRACE: 'Trial grace',
  ACTIVE: 'Active',
  PAST_DUE: 'Past due',
  CANCELING: 'Canceling',
  PAUSED: 'Paused',
  EXPIRED: 'Expired',
  CANCELED: 'Canceled',
};

/** How a phase looks: good, needs attention, or over. */
export const PHASE_TONE: Record<SubscriptionPhase, 'ok' | 'warn' | 'bad' | 'info'> = {
  TRIAL: 'info',
  TRIAL_GRACE: 'warn',
  ACTIVE: 'ok',
  PAST_DUE: 'warn',
  CANCELING: 'warn',
  PAUSED: 'bad',
  EXPIRED: 'bad',
  CANCELED: 'bad',
};

/** An override's effect in words. */
export function effectWords(effect: OverrideEffect, value: number | null): string {
  switch (effect) {
    case 'GRANT':
      return value === null ? 'Grant access' : `Grant access, limit ${value.toLocaleString()}`;
    case 'REVOKE':
      return 'Take access away';
    case 'SET_LIMIT':
      return `Set the limit to ${(value ?? 0).toLocaleString()}`;
    case 'ADD_LIMIT':
      return `Add ${(value ?? 0).toLocaleString()} to the limit`;
  }
}
