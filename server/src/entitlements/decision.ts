import type { DecisionReason, Overage, UsagePeriod } from '../vocabulary/index.js';

export type { DecisionReason };

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
  overage: Overage;
  period: UsagePeriod | null;
  periodStart: Date | null;
  missingFeatures: string[];
}
