import { registerEnumType } from 'type-graphql';
import { DECISION_REASONS, enumObject } from '../vocabulary/index.js';

/** GraphQL enum: why an entitlement decision came out as it did, derived from the vocabulary. */
export const EntitlementReason = enumObject(DECISION_REASONS);

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
