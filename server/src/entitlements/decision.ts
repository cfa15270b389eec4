import type { UsagePeriod } from './evaluation-input.js';

/** Why a decision came out as it did. The GraphQL enum EntitlementReason mirrors it. */
export type DecisionReason =
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

/** The evaluator's answer for one account and feature at one instant. */
export interface Decision {
  featureKey: string;
  allowed: boolean;
  reason: DecisionReason;
  source: { planVersionId: string | null; addOnKeys: string[]; overrideIds: string[] };
  /** null = unlimited (always null for SWITCH features). */
  limit: number | null;
  used: number;
  /** null when unlimited. */
  remaining: number | null;
  softLimitReached: boolean;
  resetsAt: Date | null;
  /** When the granting override or trial ends. */
  expiresAt: Date | null;
  plan: { key: string; name: string; version: number } | null;
  overage: 'BLOCK' | 'ALLOW';
  period: UsagePeriod | null;
  periodStart: Date | null;
  missingFeatures: string[];
}
