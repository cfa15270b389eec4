import { Field, InputType, Int } from 'type-graphql';
import { Overage, UsagePeriod } from './catalog.enums.js';
import { Quantity } from '../validation/index.js';
import type { PlanEntitlementInputValues } from './catalog.validation.js';

/** GraphQL input: what a plan version gives for one feature. */
@InputType('PlanEntitlementInput')
export class PlanEntitlementInput implements PlanEntitlementInputValues {
  @Field(() => String, { description: 'The feature key; checked when the version is published.' })
  feature!: string;

  @Field(() => Boolean, { nullable: true, description: 'Default true.' })
  enabled?: boolean | null;

  @Field(() => Quantity, { nullable: true, description: 'null or absent = unlimited. Not for SWITCH features.' })
  limit?: number | null;

  @Field(() => UsagePeriod, { nullable: true, description: 'METERED only. Default MONTH for METERED, NEVER otherwise.' })
  period?: keyof typeof UsagePeriod | null;

  @Field(() => Int, { nullable: true, description: '1 to 100, default 80.' })
  softLimitPercent?: number | null;

  @Field(() => Overage, { nullable: true, description: 'Default BLOCK.' })
  overage?: keyof typeof Overage | null;
}
