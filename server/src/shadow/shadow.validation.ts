import { z } from 'zod';
import { rules } from '../validation/index.js';

/** compareEntitlement: the question, and what the host's legacy check answered to it. */
export const compareEntitlementSchema = z.object({
  accountId: rules.accountId,
  feature: rules.catalogKey,
  /** Absent or null: evaluated as the `entitlement` query does without an amount. */
  amount: rules.usageAmount.nullish(),
  legacyAllowed: z.boolean({ error: 'is required: true when the legacy check allowed the request' }),
  /** Absent or null: the legacy check has no limit to compare, so only access is compared. */
  legacyLimit: rules.quantity.nullish(),
});

/** The most comparisons one compareEntitlements call may carry; the SDK sends smaller batches. */
export const MAX_COMPARISONS_PER_CALL = 1000;

/** shadowReport's filters. */
export const shadowReportSchema = z.object({
  since: rules.instant.nullish(),
  feature: rules.catalogKey.nullish(),
});

/** What compareEntitlement takes, before validation: the GraphQL input implements it. */
export type CompareEntitlementValues = z.input<typeof compareEntitlementSchema>;
/** shadowReport's filters, before validation. */
export type ShadowReportValues = z.input<typeof shadowReportSchema>;
