/**
 * The Tollgate client SDK. The typed core client, the React hooks and paywalls (`/react`) and
 * the Node helpers for host backends (`/server`) arrive with the issues that build them; this
 * entry exists so the package already builds and can be depended on.
 */

/** The GraphQL error codes a caller reacts to when an operation is refused for entitlement reasons. */
export const ENTITLEMENT_ERROR_CODES = ['ENTITLEMENT_DENIED', 'LIMIT_EXCEEDED'] as const;

/** One of {@link ENTITLEMENT_ERROR_CODES}. */
export type EntitlementErrorCode = (typeof ENTITLEMENT_ERROR_CODES)[number];
