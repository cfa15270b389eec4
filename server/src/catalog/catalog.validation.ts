import { z } from 'zod';
import { rules } from '../validation/index.js';
import { BILLING_INTERVALS, FEATURE_KINDS, OVERAGES, USAGE_PERIODS } from '../vocabulary/index.js';

/** createFeature. */
export const createFeatureSchema = z.object({
  key: rules.catalogKey,
  name: rules.displayName,
  kind: z.enum(FEATURE_KINDS),
  unit: z.string().trim().min(1).max(64, 'must be at most 64 characters').nullish(),
  description: rules.description.nullish(),
  requires: z.array(rules.catalogKey).max(20, 'at most 20 dependencies').nullish(),
});

/** createPlan. */
export const createPlanSchema = z.object({
  key: rules.catalogKey,
  name: rules.displayName,
  rank: z.number().int('must be a whole number').min(0, 'must not be negative').max(1_000_000),
  description: rules.description.nullish(),
  isDefault: z.boolean().nullish(),
});

const planEntitlementSchema = z
  .object({
    feature: rules.catalogKey,
    enabled: z.boolean().nullish(),
    limit: rules.quantity.nullish(),
    period: z.enum(USAGE_PERIODS).nullish(),
    softLimitPercent: z.number().int().min(1, 'must be from 1 to 100').max(100, 'must be from 1 to 100').nullish(),
    overage: z.enum(OVERAGES).nullish(),
  });

const entitlementList = z
  .array(planEntitlementSchema)
  .max(500, 'at most 500 entitlements')
  .refine(
    (entitlements) => new Set(entitlements.map((entitlement) => entitlement.feature)).size === entitlements.length,
    'each feature may appear only once',
  );

const trialDays = z.number().int('must be a whole number').min(0, 'must not be negative').max(365, 'must be at most 365');

/** Days a PAST_DUE subscription keeps its plan; null = the server's TOLLGATE_PAST_DUE_GRACE_DAYS. */
const pastDueGraceDays = trialDays;

/** The Stripe prices of a plan version: a monthly and a yearly one, say; each listed once. */
const billingPriceIds = z
  .array(rules.billingPriceId)
  .max(20, 'at most 20 prices')
  .refine((ids) => new Set(ids).size === ids.length, 'each price may appear only once');

/** createPlanVersion. */
export const createPlanVersionSchema = z.object({
  plan: rules.catalogKey,
  price: rules.money,
  interval: z.enum(BILLING_INTERVALS).nullish(),
  trialDays: trialDays.nullish(),
  trialGraceDays: trialDays.nullish(),
  pastDueGraceDays: pastDueGraceDays.nullish(),
  billingPriceIds: billingPriceIds.nullish(),
  quantityFeature: rules.catalogKey.nullish(),
  entitlements: entitlementList,
});

/** updatePlanVersion. */
export const updatePlanVersionSchema = z.object({
  plan: rules.catalogKey,
  version: z.number().int().min(1),
  price: rules.money.nullish(),
  interval: z.enum(BILLING_INTERVALS).nullish(),
  trialDays: trialDays.nullish(),
  trialGraceDays: trialDays.nullish(),
  pastDueGraceDays: pastDueGraceDays.nullish(),
  billingPriceIds: billingPriceIds.nullish(),
  entitlements: entitlementList.nullish(),
});

/** createAddOn. */
export const createAddOnSchema = z.object({
  key: rules.catalogKey,
  name: rules.displayName,
  description: rules.description.nullish(),
  price: rules.money,
  interval: z.enum(BILLING_INTERVALS).nullish(),
  billingPriceId: rules.billingPriceId.nullish(),
  grants: z
    .array(
      z
        .object({
          feature: rules.catalogKey,
          enable: z.boolean().nullish(),
          limitIncrement: rules.quantity.nullish(),
        })
        .refine((grant) => grant.enable || (grant.limitIncrement ?? 0) > 0, 'a grant must enable the feature or raise its limit'),
    )
    .min(1, 'an add-on must grant something')
    .max(100)
    .refine((grants) => new Set(grants.map((grant) => grant.feature)).size === grants.length, 'each feature may appear only once'),
});

export type PlanEntitlementValues = z.output<typeof planEntitlementSchema>;

/** What createFeature takes, before validation: the GraphQL input implements it. */
export type CreateFeatureValues = z.input<typeof createFeatureSchema>;
/** What createPlan takes, before validation. */
export type CreatePlanValues = z.input<typeof createPlanSchema>;
/** One plan entitlement as sent, before validation. */
export type PlanEntitlementInputValues = z.input<typeof planEntitlementSchema>;
/** What createPlanVersion takes, before validation. */
export type CreatePlanVersionValues = z.input<typeof createPlanVersionSchema>;
/** What updatePlanVersion takes, before validation. */
export type UpdatePlanVersionValues = z.input<typeof updatePlanVersionSchema>;
/** What createAddOn takes, before validation. */
export type CreateAddOnValues = z.input<typeof createAddOnSchema>;
/** One add-on grant as sent, before validation. */
export type AddOnGrantValues = CreateAddOnValues['grants'][number];
/** An amount of money as sent, before validation. */
export type MoneyValues = CreateAddOnValues['price'];
