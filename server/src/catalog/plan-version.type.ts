import { Field, ID, Int, ObjectType } from 'type-graphql';
import { BillingInterval, PlanVersionStatus } from './catalog.enums.js';
import { MoneyType } from './money.type.js';
import { PlanEntitlementType } from './plan-entitlement.type.js';
import type { PlanVersion } from './plan-version.entity.js';

/** GraphQL: one version of a plan. */
@ObjectType('PlanVersion', { description: 'An immutable (once published) set of prices and entitlements.' })
export class PlanVersionType {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'The plan\'s key.' })
  plan!: string;

  @Field(() => String, { description: 'The plan\'s name.' })
  planName!: string;

  @Field(() => Int)
  version!: number;

  @Field(() => PlanVersionStatus)
  status!: keyof typeof PlanVersionStatus;

  @Field(() => MoneyType)
  price!: MoneyType;

  @Field(() => BillingInterval)
  interval!: keyof typeof BillingInterval;

  @Field(() => Int)
  trialDays!: number;

  @Field(() => Int, { description: 'Days after a trial ends during which the plan still applies (reason TRIAL_GRACE).' })
  trialGraceDays!: number;

  @Field(() => Int, {
    nullable: true,
    description: 'Days a PAST_DUE subscription on this version keeps its plan; null = the server\'s default (TOLLGATE_PAST_DUE_GRACE_DAYS).',
  })
  pastDueGraceDays!: number | null;

  @Field(() => [String], { description: 'Stripe price ids that stand for this version.' })
  billingPriceIds!: string[];

  @Field(() => String, { nullable: true, description: 'A per-seat price: this QUANTITY feature\'s limit is the quantity of the subscription\'s plan item.' })
  quantityFeature!: string | null;

  @Field(() => [PlanEntitlementType])
  entitlements!: PlanEntitlementType[];

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  publishedAt!: Date | null;

  /** Needs `plan` and `entitlements` loaded. */
  static from(version: PlanVersion): PlanVersionType {
    return Object.assign(new PlanVersionType(), {
      id: version.id,
      plan: version.plan.key,
      planName: version.plan.name,
      version: version.version,
      status: version.status,
      price: MoneyType.from({ amount: version.priceAmount, currency: version.priceCurrency }),
      interval: version.interval,
      trialDays: version.trialDays,
      trialGraceDays: version.trialGraceDays,
      pastDueGraceDays: version.pastDueGraceDays,
      billingPriceIds: version.billingPriceIds,
      quantityFeature: version.quantityFeatureKey ?? null,
      entitlements: version.entitlements.getItems().map((entitlement) => PlanEntitlementType.from(entitlement)),
      createdAt: version.createdAt,
      publishedAt: version.publishedAt,
    });
  }
}
