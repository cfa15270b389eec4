import { z } from 'zod';
import { rules } from '../validation/index.js';

/** A client-chosen key that makes a retry count once. */
export const idempotencyKey = z
  .string({ error: 'is required: send a unique key per request, and the same key when retrying it' })
  .min(1, 'is required: send a unique key per request, and the same key when retrying it')
  .max(255, 'must be at most 255 characters');

/** consume and release. */
export const consumeSchema = z.object({
  accountId: rules.accountId,
  feature: rules.catalogKey,
  /** Absent or null: 1. */
  amount: rules.usageAmount.nullish().transform((amount) => amount ?? 1),
  idempotencyKey,
});

/** setUsage. */
export const setUsageSchema = z.object({
  accountId: rules.accountId,
  feature: rules.catalogKey,
  value: rules.quantity,
  reason: rules.reason,
});

/** One event of reportUsage. */
export const usageEventSchema = z.object({
  accountId: rules.accountId,
  feature: rules.catalogKey,
  amount: rules.usageAmount,
  idempotencyKey,
  timestamp: rules.instant.nullish(),
});

/** The most events one reportUsage call takes (the HTTP body limit is sized for it: server.ts). */
export const MAX_BATCH = 10_000;

/** What consume and release take, before validation: the GraphQL inputs implement it. */
export type ConsumeValues = z.input<typeof consumeSchema>;
/** What setUsage takes, before validation. */
export type SetUsageValues = z.input<typeof setUsageSchema>;
/** One event of reportUsage, before validation. */
export type UsageEventValues = z.input<typeof usageEventSchema>;

/**
 * The HTTP body a full reportUsage batch may need: MAX_BATCH events of the largest size the
 * schema allows (a 128-character account id, 64-character feature, 255-character key, the
 * longest amount and timestamp, with JSON's quotes and names: under 600 bytes), plus the query.
 */
export const REPORT_USAGE_BODY_BYTES = MAX_BATCH * 600 + 64 * 1024;
