import { z } from 'zod';
import { rules } from '../validation/index.js';
import { ACCOUNT_SORTS, PLAN_CHANGE_TIMINGS, PRORATION_BEHAVIORS, SUBSCRIPTION_STATUSES, SUBSCRIPTION_PHASES } from '../vocabulary/index.js';

/** upsertAccount. */
export const upsertAccountSchema = z.object({
  id: rules.accountId,
  name: rules.displayName,
  metadata: z
    .record(z.string(), z.unknown())
    .refine((metadata) => JSON.stringify(metadata).length <= 16_384, 'must be at most 16 kB of JSON')
    .nullish(),
});

/** changePlan. */
export const changePlanSchema = z.object({
  accountId: rules.accountId,
  plan: rules.catalogKey,
  version: z.number().int().min(1, 'must be 1 or more').nullish(),
  trial: z.boolean().nullish(),
  /** Admin only: start a trial of a plan the account has already trialed. */
  allowTrialRestart: z.boolean().nullish(),
  /** NOW (default) or PERIOD_END: wait for the current period to end (subscription.scheduledChange). */
  at: z.enum(PLAN_CHANGE_TIMINGS).nullish(),
  /** true pins the subscription to its version (plan migrations skip it unless named), false unpins; null keeps it. */
  pinned: z.boolean().nullish(),
  reason: rules.reason.nullish(),
  /** A Stripe-billed subscription: Stripe's proration_behavior. */
  prorationBehavior: z.enum(PRORATION_BEHAVIORS).nullish(),
  /** A Stripe-billed subscription: the request's own key, from which Stripe's Idempotency-Key is derived. */
  idempotencyKey: z.string().regex(/^[\x21-\x7e]{1,200}$/, 'must be 1-200 printable characters').nullish(),
});

/** cancelSubscription: at once, or (the default) at the end of the paid period. */
export const cancelSubscriptionSchema = z.object({
  accountId: rules.accountId,
  atPeriodEnd: z.boolean().nullish(),
  reason: rules.reason,
});

/** setAddOn. */
export const setAddOnSchema = z.object({
  accountId: rules.accountId,
  addOn: rules.catalogKey,
  quantity: rules.addOnQuantity,
});

/** extendTrial: a new trial end, with who approved it and why. */
export const extendTrialSchema = z.object({
  accountId: rules.accountId,
  endsAt: rules.instant,
  reason: rules.reason,
  // Required from API keys; an operator's extension is approved by the operator (see AccountsService).
  approvedBy: rules.displayName.nullish(),
});

/** updateSubscriptionStatus. */
export const updateSubscriptionStatusSchema = z.object({
  accountId: rules.accountId,
  status: z.enum(SUBSCRIPTION_STATUSES),
  graceEndsAt: rules.instant.nullish(),
  reason: rules.reason,
});

/** What upsertAccount takes, before validation: the GraphQL input implements it. */
export type UpsertAccountValues = z.input<typeof upsertAccountSchema>;
/** What changePlan takes, before validation. */
export type ChangePlanValues = z.input<typeof changePlanSchema>;
/** What setAddOn takes, before validation. */
export type SetAddOnValues = z.input<typeof setAddOnSchema>;
/** What updateSubscriptionStatus takes, before validation. */
export type UpdateSubscriptionStatusValues = z.input<typeof updateSubscriptionStatusSchema>;
/** What cancelSubscription takes, before validation. */
export type CancelSubscriptionValues = z.input<typeof cancelSubscriptionSchema>;
/** What extendTrial takes, before validation. */
export type ExtendTrialValues = z.input<typeof extendTrialSchema>;

/** accounts(search, plan, phase, first, after): bounded before anything reaches SQL. */
export const accountSearchSchema = z.object({
  search: z.string().max(200, 'must be at most 200 characters').nullish(),
  plan: rules.catalogKey.nullish(),
  phase: z.enum(SUBSCRIPTION_PHASES).nullish(),
  hasActiveOverrides: z.boolean().nullish(),
  overLimit: z.boolean().nullish(),
  hasSyncIssue: z.boolean().nullish(),
  sort: z.enum(ACCOUNT_SORTS).nullish(),
  descending: z.boolean().nullish(),
  first: z.number().int('must be a whole number').min(1, 'must be from 1 to 100').max(100, 'must be from 1 to 100').nullish(),
  after: z.string().max(400, 'is not a cursor from this list; pass pageInfo.endCursor').nullish(),
});

/** What accounts() takes, before validation. */
export type AccountSearchValues = z.input<typeof accountSearchSchema>;
