import { forbidden, unauthenticated } from './access.errors.js';
import type { Principal } from './principal.js';

/**
 * What any caller may read, a browser's client token of any account included: the published
 * price list, which a pricing page shows before and after sign-up alike.
 */
export function requireAnyCredential(principal: Principal): void {
  if (principal.kind === 'anonymous') throw unauthenticated(principal.problem);
}

/** Catalog, overrides, API keys and the audit log: admin keys only. */
export function requireAdmin(principal: Principal): void {
  if (principal.kind === 'anonymous') throw unauthenticated(principal.problem);
  if (principal.kind !== 'admin') throw forbidden('this operation needs an admin API key');
}

/**
 * What a host backend does (read any account, meter usage, mint client tokens, move an account
 * between plans after checkout): server or admin keys.
 */
export function requireBackend(principal: Principal): void {
  if (principal.kind === 'anonymous') throw unauthenticated(principal.problem);
  if (principal.kind === 'client') throw forbidden('a client token may only read its own account\'s entitlements, usage and offers');
}

/**
 * Reading one account's entitlements, usage and offers: backends, or a client token bound to
 * that same account. The refusal is the same whether or not the other account exists.
 */
export function requireAccountRead(principal: Principal, accountId: string): void {
  if (principal.kind === 'anonymous') throw unauthenticated(principal.problem);
  if (principal.kind === 'client' && principal.accountId !== accountId) {
    throw forbidden('a client token may only read the account it was minted for');
  }
}
