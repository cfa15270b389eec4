import type { FeatureKind } from './feature-kind.js';
import type { UsagePeriod } from './usage-period.js';

/** What a kind of feature can do. Every kind-specific check reads this table, nothing else. */
export interface FeatureKindRules {
  /** Has a limit and a usage counter: consume and setUsage apply. */
  countable: boolean;
  /** Usage is a gauge that can go down: release applies. */
  releasable: boolean;
  /** Usage that already happened can be reported in batches: reportUsage applies. */
  reportable: boolean;
  /** Usage resets each period (and so has a resetsAt); otherwise the period is NEVER. */
  hasPeriod: boolean;
  /** The period a plan entitlement gets when none is given. */
  defaultPeriod: UsagePeriod;
  /** Percent of the limit at which softLimitReached turns true, when none is given. */
  defaultSoftLimitPercent: number;
}

/**
 * The rules of each feature kind. Adding a kind is a row here plus its branch in the evaluator;
 * `satisfies` makes the compiler point at this table when a kind is missing.
 */
export const FEATURE_KIND_RULES = {
  SWITCH: { countable: false, releasable: false, reportable: false, hasPeriod: false, defaultPeriod: 'NEVER', defaultSoftLimitPercent: 80 },
  QUANTITY: { countable: true, releasable: true, reportable: false, hasPeriod: false, defaultPeriod: 'NEVER', defaultSoftLimitPercent: 80 },
  METERED: { countable: true, releasable: false, reportable: true, hasPeriod: true, defaultPeriod: 'MONTH', defaultSoftLimitPercent: 80 },
} as const satisfies Record<FeatureKind, FeatureKindRules>;

/** The kinds for which `rule` holds, for error messages ("applies to QUANTITY and METERED features"). */
export function kindsWhere(rule: 'countable' | 'releasable' | 'reportable' | 'hasPeriod'): FeatureKind[] {
  return (Object.keys(FEATURE_KIND_RULES) as FeatureKind[]).filter((kind) => FEATURE_KIND_RULES[kind][rule]);
}
