import { z } from 'zod';
import { rules } from '../validation/index.js';
import { PLAN_CHANGE_TIMINGS, PRORATION_BEHAVIORS } from '../vocabulary/index.js';

/** The most accounts one migration may name; bigger cohorts are selected by version instead. */
export const MAX_NAMED_ACCOUNTS = 10_000;

const versionNumber = z.number().int('must be a whole number').min(1, 'must be 1 or more').max(2_147_483_647, 'must be at most 2147483647');

/** previewPlanMigration and startPlanMigration: which accounts move where, and when. */
export const planMigrationInputSchema = z.object({
  plan: rules.catalogKey,
  fromVersions: z.array(versionNumber).min(1, 'name at least one version, or omit fromVersions for all').max(1000).nullish(),
  toPlan: rules.catalogKey.nullish(),
  toVersion: versionNumber.nullish(),
  accountIds: z
    .array(rules.accountId)
    .min(1, 'name at least one account, or omit accountIds for every account on the source versions')
    .max(MAX_NAMED_ACCOUNTS, `must name at most ${MAX_NAMED_ACCOUNTS} accounts`)
    .nullish(),
  effective: z.enum(PLAN_CHANGE_TIMINGS).nullish(),
  prorationBehavior: z.enum(PRORATION_BEHAVIORS).nullish(),
});

/** startPlanMigration: the input and why, kept with the migration and in every account's audit entry. */
export const startPlanMigrationSchema = z.object({
  input: planMigrationInputSchema,
  reason: rules.reason,
});

/** What previewPlanMigration takes, before validation: the GraphQL input implements it. */
export type PlanMigrationInputValues = z.input<typeof planMigrationInputSchema>;
/** What startPlanMigration takes, before validation. */
export type StartPlanMigrationValues = z.input<typeof startPlanMigrationSchema>;
/** A validated migration input. */
export type PlanMigrationInputParsed = z.output<typeof planMigrationInputSchema>;
