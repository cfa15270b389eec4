/** Why a decision came out as it did; mirrors the GraphQL enum EntitlementReason. */
export type EntitlementReason =
  | 'INCLUDED_IN_PLAN'
  | 'GRANTED_BY_ADDON'
  | 'GRANTED_BY_OVERRIDE'
  | 'TRIAL'
  | 'NOT_IN_PLAN'
  | 'REVOKED_BY_OVERRIDE'
  | 'LIMIT_REACHED'
  | 'SUBSCRIPTION_INACTIVE'
  | 'TRIAL_EXPIRED'
  | 'MISSING_DEPENDENCY'
  | 'NO_SUBSCRIPTION';

/** Money in integer minor units, with a ready-to-show string. */
export interface Money {
  amount: number;
  currency: string;
  formatted: string;
}

/** Tollgate's answer to "can this account do this thing right now?" (GraphQL type Entitlement). */
export interface Entitlement {
  accountId: string;
  feature: string;
  featureName: string;
  allowed: boolean;
  reason: EntitlementReason;
  /** null = unlimited. */
  limit: number | null;
  used: number;
  remaining: number | null;
  requested: number | null;
  softLimitReached: boolean;
  resetsAt: string | null;
  expiresAt: string | null;
  plan: { key: string; name: string; version: number } | null;
}

/** A plan or add-on that would unlock a refused request (GraphQL type UpgradeOffer). */
export interface UpgradeOffer {
  kind: 'PLAN' | 'ADD_ON';
  key: string;
  name: string;
  version: number | null;
  quantity: number;
  price: Money;
  interval: 'MONTH' | 'YEAR';
  priceDifference: Money;
  newLimit: number | null;
  unlocks: string[];
  recommended: boolean;
}

/** The answer to consume and release. */
export interface ConsumeResult {
  ok: boolean;
  overage: number;
  entitlement: Entitlement;
  offers: UpgradeOffer[];
}

/** Usage of one feature in its current period. */
export interface Usage {
  feature: string;
  used: number;
  limit: number | null;
  remaining: number | null;
  periodStart: string | null;
  periodEnd: string | null;
  softLimitReached: boolean;
}
