import { registerEnumType } from 'type-graphql';

/** GraphQL enum: why an entitlement decision came out as it did. */
export const EntitlementReason = {
  INCLUDED_IN_PLAN: 'INCLUDED_IN_PLAN',
  GRANTED_BY_ADDON: 'GRANTED_BY_ADDON',
  GRANTED_BY_OVERRIDE: 'GRANTED_BY_OVERRIDE',
  TRIAL: 'TRIAL',
  NOT_IN_PLAN: 'NOT_IN_PLAN',
  REVOKED_BY_OVERRIDE: 'REVOKED_BY_OVERRIDE',
  LIMIT_REACHED: 'LIMIT_REACHED',
  SUBSCRIPTION_INACTIVE: 'SUBSCRIPTION_INACTIVE',
  TRIAL_EXPIRED: 'TRIAL_EXPIRED',
  MISSING_DEPENDENCY: 'MISSING_DEPENDENCY',
  NO_SUBSCRIPTION: 'NO_SUBSCRIPTION',
} as const;

registerEnumType(EntitlementReason, {
  name: 'EntitlementReason',
  valuesConfig: {
    INCLUDED_IN_PLAN: { description: 'Allowed: the plan version includes it.' },
    GRANTED_BY_ADDON: { description: 'Allowed: a purchased add-on enables it.' },
    GRANTED_BY_OVERRIDE: { description: 'Allowed: an override grants it (see expiresAt).' },
    TRIAL: { description: 'Allowed: included in the plan being trialed (see expiresAt).' },
    NOT_IN_PLAN: { description: 'Denied: the plan does not include it.' },
    REVOKED_BY_OVERRIDE: { description: 'Denied: an override takes it away.' },
    LIMIT_REACHED: { description: 'Denied: the request would pass the limit.' },
    SUBSCRIPTION_INACTIVE: { description: 'Denied: the subscription is canceled, expired, or past due beyond its grace period.' },
    TRIAL_EXPIRED: { description: 'Denied: the trial has ended.' },
    MISSING_DEPENDENCY: { description: 'Denied: a feature it requires is not available.' },
    NO_SUBSCRIPTION: { description: 'Denied: no subscription and no default plan.' },
  },
});
