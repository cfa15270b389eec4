import { Field, Int, ObjectType } from 'type-graphql';
import { Quantity } from '../validation/index.js';
import { BillingInterval, FeatureKind, UsagePeriod } from './catalog.enums.js';
import type { Feature } from './feature.entity.js';
import { MoneyType } from './money.type.js';
import type { PlanEntitlement } from './plan-entitlement.entity.js';
import type { PlanVersion } from './plan-version.entity.js';

/** GraphQL: what a published plan gives for one feature, named as a pricing page shows it. */
@ObjectType('PublishedPlanEntitlement', { description: 'What a published plan includes of one feature.' })
export class PublishedPlanEntitlementType {
  @Field(() => String, { description: 'The feature key.' })
  feature!: string;

  @Field(() => String, { description: 'The feature\'s display name.' })
  featureName!: string;

  @Field(() => FeatureKind)
  kind!: keyof typeof FeatureKind;

  @Field(() => String, { nullable: true, description: 'What is counted: "calls", "seats".' })
  unit!: string | null;

  @Field(() => Boolean, { description: 'false: the plan names the feature but does not include it.' })
  enabled!: boolean;

  @Field(() => Quantity, { nullable: true, description: 'null = unlimited (and always for SWITCH features).' })
  limit!: number | null;

  @Field(() => UsagePeriod, { description: 'When metered usage resets; NEVER for SWITCH and QUANTITY features.' })
  period!: keyof typeof UsagePeriod;

  static from(entitlement: PlanEntitlement, feature: Feature | undefined): PublishedPlanEntitlementType {
    return Object.assign(new PublishedPlanEntitlementType(), {
      feature: entitlement.featureKey,
      featureName: feature?.name ?? entitlement.featureKey,
      kind: feature?.kind ?? 'SWITCH',
      unit: feature?.unit ?? null,
      enabled: entitlement.enabled,
      limit: entitlement.limit,
      period: entitlement.period,
    });
  }
}

/**
 * GraphQL: a plan as a pricing page shows it, its newest published version only. Safe for a
 * browser: no drafts, no retired versions, nothing about any account.
 */
@ObjectType('PublishedPlan', {
  description: 'A plan\'s newest published version, as a pricing page shows it: what new subscriptions get.',
})
export class PublishedPlanType {
  @Field(() => String, { description: 'The plan key (what changePlan takes).' })
  key!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => Int, { description: 'Upgrade order: a higher rank is an upgrade.' })
  rank!: number;

  @Field(() => Boolean, { description: 'Accounts without a subscription get this plan.' })
  isDefault!: boolean;

  @Field(() => Int, { description: 'The newest published version\'s number.' })
  version!: number;

  @Field(() => MoneyType)
  price!: MoneyType;

  @Field(() => BillingInterval)
  interval!: keyof typeof BillingInterval;

  @Field(() => Int)
  trialDays!: number;

  @Field(() => [String], {
    description: 'The Stripe price ids of this version, in the order they were given: what a host\'s checkout charges (the first, unless it offers a choice). Price ids are not secret.',
  })
  billingPriceIds!: string[];

  @Field(() => [PublishedPlanEntitlementType], { description: 'What the version includes, by feature key.' })
  entitlements!: PublishedPlanEntitlementType[];

  /** Needs the version's `plan` and `entitlements` loaded. */
  static from(version: PlanVersion, features: ReadonlyMap<string, Feature>): PublishedPlanType {
    return Object.assign(new PublishedPlanType(), {
      key: version.plan.key,
      name: version.plan.name,
      description: version.plan.description,
      rank: version.plan.rank,
      isDefault: version.plan.isDefault,
      version: version.version,
      price: MoneyType.from({ amount: version.priceAmount, currency: version.priceCurrency }),
      interval: version.interval,
      trialDays: version.trialDays,
      billingPriceIds: [...version.billingPriceIds],
      entitlements: version.entitlements
        .getItems()
        .map((entitlement) => PublishedPlanEntitlementType.from(entitlement, features.get(entitlement.featureKey))),
    });
  }
}
