import { Field, Int, ObjectType } from 'type-graphql';
import { Overage, UsagePeriod } from './catalog.enums.js';
import type { PlanEntitlement } from './plan-entitlement.entity.js';
import { Quantity } from '../validation/index.js';

/** GraphQL: what a plan version gives for one feature. */
@ObjectType('PlanEntitlement')
export class PlanEntitlementType {
  @Field(() => String, { description: 'The feature key.' })
  feature!: string;

  @Field(() => Boolean)
  enabled!: boolean;

  @Field(() => Quantity, { nullable: true, description: 'null = unlimited.' })
  limit!: number | null;

  @Field(() => UsagePeriod)
  period!: keyof typeof UsagePeriod;

  @Field(() => Int, { description: 'Percent of the limit at which softLimitReached turns true.' })
  softLimitPercent!: number;

  @Field(() => Overage)
  overage!: keyof typeof Overage;

  static from(entitlement: PlanEntitlement): PlanEntitlementType {
    return Object.assign(new PlanEntitlementType(), {
      feature: entitlement.featureKey,
      enabled: entitlement.enabled,
      limit: entitlement.limit,
      period: entitlement.period,
      softLimitPercent: entitlement.softLimitPercent,
      overage: entitlement.overage,
    });
  }
}
