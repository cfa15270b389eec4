/**
 * What an operator (a person signed in to the console) may do, least to most: VIEWER reads;
 * SUPPORT also requests and (within the policy) grants overrides and extends trials; BILLING also
 * approves requests and changes subscriptions and billing links; PRICING edits the catalog and
 * runs plan migrations; OWNER does everything, operators and API keys included. The permission
 * table itself is access/permissions.ts.
 */
export const OPERATOR_ROLES = ['VIEWER', 'SUPPORT', 'BILLING', 'PRICING', 'OWNER'] as const;

/** What an operator may do. */
export type OperatorRole = (typeof OPERATOR_ROLES)[number];
