import { z } from 'zod';
import { badUserInput, rules } from '../validation/index.js';

/** linkBillingCustomer. */
export const linkBillingCustomerSchema = z.object({
  accountId: rules.accountId,
  customerId: rules.billingCustomerId,
});

/** What linkBillingCustomer takes, before validation. */
export type LinkBillingCustomerValues = z.input<typeof linkBillingCustomerSchema>;

const MAX_PAGE = 100;

/** The page size of `billingSyncIssues`: 1 to 100, 20 when not given. */
export function pageSize(first: number | null | undefined): number {
  const size = first ?? 20;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE) throw badUserInput([{ path: 'first', message: `must be from 1 to ${MAX_PAGE}` }]);
  return size;
}

/** The opaque cursor of a sync issue. */
export function encodeIssueCursor(id: string): string {
  return Buffer.from(`billing-sync-issue:${id}`).toString('base64url');
}

/** The issue id a cursor stands for; BAD_USER_INPUT for anything that is not one of ours. */
export function decodeIssueCursor(cursor: string): string {
  const match = /^billing-sync-issue:(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match || BigInt(match[1]!) > 9_223_372_036_854_775_807n) {
    throw badUserInput([{ path: 'after', message: 'is not a cursor from this list; pass pageInfo.endCursor' }]);
  }
  return match[1]!;
}
