import { Field, InputType, Int } from 'type-graphql';
import { BillingInterval } from './catalog.enums.js';
import { MoneyInput } from './money.input.js';
import { PlanEntitlementInput } from './plan-entitlement.input.js';
import type { UpdatePlanVersionValues } from './catalog.validation.js';

/** GraphQL input of updatePlanVersion: changes to a draft. Absent fields stay as they are. */
@InputType('UpdatePlanVersionInput')
export class UpdatePlanVersionInput implements UpdatePlanVersionValues {
  @Field(() => String)
  plan!: string;

  @Field(() => Int)
  version!: number;

  @Field(() => MoneyInput, { nullable: true })
  price?: MoneyInput | null;

  @Field(() => BillingInterval, { nullable: true })
  interval?: keyof typeof BillingInterval | null;

  @Field(() => Int, { nullable: true })
  trialDays?: number | null;

  @Field(() => Int, { nullable: true })
  trialGraceDays?: number | null;

  @Field(() => Int, { nullable: true, description: 'Days a PAST_DUE subscription on this version keeps its plan (0-365).' })
  pastDueGraceDays?: number | null;

  @Field(() => [String], { nullable: true, description: 'Replaces the draft\'s Stripe price ids.' })
  billingPriceIds?: string[] | null;

  @Field(() => [PlanEntitlementInput], { nullable: true, description: 'Replaces every entitlement of the draft.' })
  entitlements?: PlanEntitlementInput[] | null;
}
