/**
 * The orders the accounts list can be read in, across all pages (never just the page shown): by
 * id, by name (case-insensitive), or by when the account was created; each either way, the id
 * breaking ties.
 */
export const ACCOUNT_SORTS = ['ID', 'NAME', 'CREATED'] as const;

export type AccountSort = (typeof ACCOUNT_SORTS)[number];
