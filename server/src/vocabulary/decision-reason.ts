/** Why an entitlement decision came out as it did: the allowed reasons first, then the denials. */
export const DECISION_REASONS = [
  'INCLUDED_IN_PLAN',
  'GRANTED_BY_ADDON',
  'GRANTED_BY_OVERRIDE',
  'TRIAL',
  'TRIAL_GRACE',
  'NOT_IN_PLAN',
  'REVOKED_BY_OVERRIDE',
  'LIMIT_REACHED',
  'SUBSCRIPTION_INACTIVE',
  'TRIAL_EXPIRED',
  'MISSING_DEPENDENCY',
  'NO_SUBSCRIPTION',
] as const;

/** Why a decision came out as it did. */
export type DecisionReason = (typeof DECISION_REASONS)[number];
