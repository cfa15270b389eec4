/**
 * The Tollgate SDK core: the entitlement error contract and the types of Tollgate's answers.
 * Host backends use `@tollgate/sdk/server`; React apps use `@tollgate/sdk/react`, and server
 * rendering fetches their first decisions with `prefetchEntitlements`.
 */
export {
  ENTITLEMENT_ERROR_CODES,
  entitlementErrorExtensions,
  entitlementErrorMessage,
  isEntitlementErrorCode,
  readEntitlementError,
  type EntitlementErrorCode,
  type EntitlementErrorExtensions,
} from './entitlement-error.js';
export {
  EntitlementsPrefetchError,
  prefetchEntitlements,
  type EntitlementsSnapshot,
  type PrefetchEntitlementsOptions,
} from './entitlements-snapshot.js';
export type { ConsumeResult, Entitlement, EntitlementReason, Money, PublishedPlan, UpgradeOffer, Usage } from './tollgate-types.js';
