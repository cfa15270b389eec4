/**
 * The Tollgate SDK core: the entitlement error contract and the types of Tollgate's answers.
 * Host backends use `@tollgate/sdk/server`; React apps will use `@tollgate/sdk/react`.
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
export type { ConsumeResult, Entitlement, EntitlementReason, Money, UpgradeOffer, Usage } from './tollgate-types.js';
