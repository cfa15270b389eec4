import { forbidden, unauthenticated } from './access.errors.js';
import type { Permission } from '../vocabulary/index.js';
import { API_KEY_PERMISSIONS, OPERATOR_PERMISSIONS, PERMISSION_TEXT } from './permissions.js';
import type { OperatorPrincipal, Principal } from './principal.js';

/**
 * What any caller may read, a browser's client token of any account included: the published
 * price list, which a pricing page shows before and after sign-up alike.
 */
export function requireAnyCredential(principal: Principal): void {
  if (principal.kind === 'anonymous') throw unauthenticated(principal.problem);
}

/** Whether the principal holds `permission` (the table in permissions.ts). */
export function hasPermission(principal: Principal, permission: Permission): boolean {
  switch (principal.kind) {
    case 'admin':
      return API_KEY_PERMISSIONS.ADMIN.has(permission);
    case 'server':
      return API_KEY_PERMISSIONS.SERVER.has(permission);
    case 'operator':
      return OPERATOR_PERMISSIONS[principal.role].has(permission);
    case 'client':
    case 'anonymous':
      return false;
  }
}

/**
 * Refuses the request unless the principal holds `permission`: UNAUTHENTICATED without a
 * credential, FORBIDDEN naming what is needed otherwise. For operators the message names the
 * role that would do.
 */
export function requirePermission(principal: Principal, permission: Permission): void {
  if (principal.kind === 'anonymous') throw unauthenticated(principal.problem);
  if (hasPermission(principal, permission)) return;
  if (principal.kind === 'operator') {
    const roles = Object.entries(OPERATOR_PERMISSIONS).filter(([, allowed]) => allowed.has(permission)).map(([role]) => role);
    throw forbidden(`the ${principal.role} role may not ${PERMISSION_TEXT[permission]}; ${roles.join(' or ')} may`, { permission, role: principal.role });
  }
  if (principal.kind === 'client') throw forbidden('a client token may only read its own account\'s entitlements, usage and offers');
  throw forbidden(`this operation needs an admin API key (${PERMISSION_TEXT[permission]})`, { permission });
}

/** An operator signed in to the console, or FORBIDDEN (`me` and other questions about one's own session). */
export function requireOperator(principal: Principal): OperatorPrincipal {
  if (principal.kind === 'anonymous') throw unauthenticated(principal.problem);
  if (principal.kind !== 'operator') throw forbidden('this is about a person signed in to the console; an API key or client token has no session');
  return principal;
}

/** API keys, sessions' housekeeping and anything else only an admin API key may do (no operator role). */
export function requireAdmin(principal: Principal): void {
  if (principal.kind === 'anonymous') throw unauthenticated(principal.problem);
  if (principal.kind !== 'admin') throw forbidden('this operation needs an admin API key');
}

/**
 * Program work of a host backend (meter usage, mint client tokens, shadow comparisons): server
 * or admin keys. A person does not meter usage: operators are refused.
 */
export function requireBackend(principal: Principal): void {
  if (principal.kind === 'anonymous') throw unauthenticated(principal.problem);
  if (principal.kind === 'client') throw forbidden('a client token may only read its own account\'s entitlements, usage and offers');
  if (principal.kind === 'operator') throw forbidden('metering, client tokens and shadow comparisons are a host backend\'s work: use a server API key');
}

/**
 * Reading one account's entitlements, usage and offers: backends, operators, or a client token
 * bound to that same account. The refusal is the same whether or not the other account exists.
 */
export function requireAccountRead(principal: Principal, accountId: string): void {
  if (principal.kind === 'anonymous') throw unauthenticated(principal.problem);
  if (principal.kind === 'client' && principal.accountId !== accountId) {
    throw forbidden('a client token may only read the account it was minted for');
  }
}
