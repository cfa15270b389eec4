import { Field, InputType, Int } from 'type-graphql';
import { BillingInterval } from './catalog.enums.js';
import { MoneyInput } from './money.input.js';
import { PlanEntitlementInput } from './plan-entitlement.input.js';
import type { CreatePlanVersionValues } from './catalog.validation.js';

/** GraphQL input of createPlanVersion: a new draft. */
@InputType('CreatePlanVersionInput')
export class CreatePlanVersionInput implements CreatePlanVersionValues {
  @Field(() => String, { description: 'The plan key.' })
  plan!: string;

  @Field(() => MoneyInput)
  price!: MoneyInput;

  @Field(() => BillingInterval, { nullable: true, description: 'Default MONTH.' })
  interval?: keyof typeof BillingInterval | null;

  @Field(() => Int, { nullable: true, description: 'Length of a trial of this version; 0 (default) = no trial.' })
  trialDays?: number | null;

  @Field(() => Int, { nullable: true, description: 'Days after a trial ends during which the plan still applies (reason TRIAL_GRACE); 0 (default) = none.' })
  trialGraceDays?: number | null;

  @Field(() => [PlanEntitlementInput])
  entitlements!: PlanEntitlementInput[];
}
