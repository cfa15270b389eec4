import type { ApiKeyRole, OperatorRole, Permission } from '../vocabulary/index.js';
import { PERMISSIONS } from '../vocabulary/index.js';

/** What each permission covers, as a refusal says it ("the SUPPORT role may not …"). */
export const PERMISSION_TEXT: Record<Permission, string> = {
  READ: 'read accounts and their entitlements, the catalog',
  READ_OPERATIONS: 'read the audit log, billing sync issues, override requests and plan migrations',
  REQUEST_OVERRIDE: 'request an override',
  GRANT_OVERRIDE: 'grant or revoke an override within the policy without approval, and extend a trial',
  APPROVE_OVERRIDE: 'approve or reject another operator\'s override request',
  MANAGE_SUBSCRIPTIONS: 'change plans, cancel, set add-ons, create and rename accounts',
  MANAGE_BILLING: 'link billing customers and reconcile billing',
  EDIT_CATALOG: 'edit and publish the catalog, and run plan migrations',
  MANAGE_ACCESS: 'manage operators and API keys',
};

const READ: Permission[] = ['READ', 'READ_OPERATIONS'];
const SUPPORT: Permission[] = [...READ, 'REQUEST_OVERRIDE', 'GRANT_OVERRIDE'];

/**
 * The permission table of DESIGN.md ("Operators: people, roles, sessions, approvals"), once:
 * what each operator role may do. Every resolver asks for a permission; nothing else compares roles.
 */
export const OPERATOR_PERMISSIONS: Record<OperatorRole, ReadonlySet<Permission>> = {
  VIEWER: new Set(READ),
  SUPPORT: new Set(SUPPORT),
  BILLING: new Set([...SUPPORT, 'APPROVE_OVERRIDE', 'MANAGE_SUBSCRIPTIONS', 'MANAGE_BILLING']),
  PRICING: new Set([...READ, 'EDIT_CATALOG']),
  OWNER: new Set(PERMISSIONS),
};

/**
 * What each API key role may do, as before operators existed: ADMIN everything; SERVER what a
 * host backend does (read any account and the catalog, create accounts and move them between
 * plans). Program-only work (metering, client tokens, shadow comparisons) is `requireBackend`.
 */
export const API_KEY_PERMISSIONS: Record<ApiKeyRole, ReadonlySet<Permission>> = {
  ADMIN: new Set(PERMISSIONS),
  SERVER: new Set(['READ', 'MANAGE_SUBSCRIPTIONS']),
};

/**
 * Operator roles whose trial extensions are not bound by TOLLGATE_OVERRIDE_POLICY_DAYS: BILLING
 * and OWNER may change plans (and so start trials) anyway. Override grants outside the policy
 * need a second person whatever the operator's role.
 */
export const UNBOUNDED_TRIAL_EXTENSION: ReadonlySet<OperatorRole> = new Set(['BILLING', 'OWNER']);
