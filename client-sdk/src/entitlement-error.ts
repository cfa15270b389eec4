import type { Entitlement, EntitlementReason } from './tollgate-types.js';

/** The error codes a frontend reacts to by opening a paywall. Part of the public contract. */
export const ENTITLEMENT_ERROR_CODES = ['ENTITLEMENT_DENIED', 'LIMIT_EXCEEDED'] as const;

/** One of {@link ENTITLEMENT_ERROR_CODES}. */
export type EntitlementErrorCode = (typeof ENTITLEMENT_ERROR_CODES)[number];

/**
 * `extensions` of an operation refused for entitlement reasons, Tollgate's or the host's own.
 * `limit`, `used` and `requested` are present for LIMIT_EXCEEDED.
 */
export interface EntitlementErrorExtensions {
  code: EntitlementErrorCode;
  feature: string;
  accountId: string;
  reason: EntitlementReason;
  limit?: number | null;
  used?: number;
  requested?: number;
}

/** Whether a GraphQL error code is one of the entitlement codes. */
export function isEntitlementErrorCode(code: unknown): code is EntitlementErrorCode {
  return code === 'ENTITLEMENT_DENIED' || code === 'LIMIT_EXCEEDED';
}

/**
 * The contract's extensions for a refused entitlement: LIMIT_EXCEEDED when a limit is in the
 * way, ENTITLEMENT_DENIED for everything else (not in the plan, revoked, trial over...).
 *
 * @example
 * const extensions = entitlementErrorExtensions(decision, 1);
 * // { code: 'LIMIT_EXCEEDED', feature: 'notes', accountId: 'acme', reason: 'LIMIT_REACHED', limit: 5, used: 5, requested: 1 }
 */
export function entitlementErrorExtensions(
  decision: Pick<Entitlement, 'accountId' | 'feature' | 'reason' | 'limit' | 'used' | 'requested'>,
  requested?: number,
): EntitlementErrorExtensions {
  const base = { feature: decision.feature, accountId: decision.accountId, reason: decision.reason };
  if (decision.reason !== 'LIMIT_REACHED') return { code: 'ENTITLEMENT_DENIED', ...base };
  return { code: 'LIMIT_EXCEEDED', ...base, limit: decision.limit, used: decision.used, requested: requested ?? decision.requested ?? 1 };
}

const reasonText: Record<EntitlementReason, string> = {
  INCLUDED_IN_PLAN: 'is included in the plan',
  GRANTED_BY_ADDON: 'is granted by an add-on',
  GRANTED_BY_OVERRIDE: 'is granted by an override',
  TRIAL: 'is included in the trial',
  TRIAL_GRACE: 'is included for a few more days after the trial',
  NOT_IN_PLAN: 'is not included in the current plan',
  REVOKED_BY_OVERRIDE: 'has been turned off for this account',
  LIMIT_REACHED: 'has reached its limit',
  SUBSCRIPTION_INACTIVE: 'needs an active subscription',
  TRIAL_EXPIRED: 'was part of a trial that has ended',
  MISSING_DEPENDENCY: 'needs another feature that is not available',
  NO_SUBSCRIPTION: 'needs a subscription',
};

/** A message a person can read, for the error's `message`. */
export function entitlementErrorMessage(extensions: EntitlementErrorExtensions, featureName?: string): string {
  const name = featureName ?? extensions.feature;
  if (extensions.code === 'LIMIT_EXCEEDED') {
    return `"${name}" ${reasonText.LIMIT_REACHED}: ${extensions.used} of ${extensions.limit} used, ${extensions.requested} more requested. Upgrade to continue.`;
  }
  return `"${name}" ${reasonText[extensions.reason]}. Upgrade to use it.`;
}

/**
 * Reads the contract's extensions out of any GraphQL error (or formatted error), or null when
 * the error is not about entitlements.
 */
export function readEntitlementError(error: { extensions?: Record<string, unknown> | null } | null | undefined): EntitlementErrorExtensions | null {
  const extensions = error?.extensions;
  if (!extensions || !isEntitlementErrorCode(extensions.code)) return null;
  if (typeof extensions.feature !== 'string' || typeof extensions.accountId !== 'string') return null;
  return extensions as unknown as EntitlementErrorExtensions;
}
