/**
 * Why a billing provider's event could not be applied: its customer maps to no account, or one
 * of its prices maps to no plan version or add-on. Each is fixed by an admin, after which the
 * event is replayed.
 */
export const BILLING_SYNC_ISSUE_KINDS = ['UNKNOWN_CUSTOMER', 'UNKNOWN_PRICE'] as const;

/** Why a billing provider's event could not be applied. */
export type BillingSyncIssueKind = (typeof BILLING_SYNC_ISSUE_KINDS)[number];
