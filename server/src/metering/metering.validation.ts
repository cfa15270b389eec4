import { z } from 'zod';
import { rules } from '../validation/index.js';

/** Amounts of usage: whole, positive, within a 32-bit counter. */
export const usageAmount = z
  .number()
  .int('must be a whole number')
  .min(1, 'must be at least 1')
  .max(2_147_483_647, 'must be at most 2147483647');

/** A client-chosen key that makes a retry count once. */
export const idempotencyKey = z
  .string({ error: 'is required: send a unique key per request, and the same key when retrying it' })
  .min(1, 'is required: send a unique key per request, and the same key when retrying it')
  .max(255, 'must be at most 255 characters');

/** consume and release. */
export const consumeSchema = z.object({
  accountId: rules.accountId,
  feature: rules.catalogKey,
  amount: usageAmount.default(1),
  idempotencyKey,
});

/** setUsage. */
export const setUsageSchema = z.object({
  accountId: rules.accountId,
  feature: rules.catalogKey,
  value: rules.nonNegativeInt,
  reason: rules.reason,
});

/** One event of reportUsage. */
export const usageEventSchema = z.object({
  accountId: rules.accountId,
  feature: rules.catalogKey,
  amount: usageAmount,
  idempotencyKey,
  timestamp: z.date().nullish(),
});

export const MAX_BATCH = 1000;
