/**
 * What a caller may be allowed to do: the rows of DESIGN.md's permission table. Which role holds
 * which is access/permissions.ts; what each one covers is said there and in the GraphQL enum.
 */
export const PERMISSIONS = [
  'READ',
  'READ_OPERATIONS',
  'REQUEST_OVERRIDE',
  'GRANT_OVERRIDE',
  'APPROVE_OVERRIDE',
  'MANAGE_SUBSCRIPTIONS',
  'MANAGE_BILLING',
  'EDIT_CATALOG',
  'MANAGE_ACCESS',
] as const;

/** One thing a caller may be allowed to do. */
export type Permission = (typeof PERMISSIONS)[number];
