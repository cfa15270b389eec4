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

  @Field(() => Int, {
    nullable: true,
    description: 'Days a PAST_DUE subscription on this version keeps its plan (0-365); null = the server\'s TOLLGATE_PAST_DUE_GRACE_DAYS (default 7).',
  })
  pastDueGraceDays?: number | null;

  @Field(() => [String], {
    nullable: true,
    description: 'Stripe price ids that stand for this version (a monthly and a yearly one, say). A price maps to one plan version or add-on.',
  })
  billingPriceIds?: string[] | null;

  @Field(() => String, {
    nullable: true,
    description:
      'A per-seat price: this QUANTITY feature\'s limit is the quantity of the subscription\'s plan item in Stripe (the seats paid for), ' +
      'not the entitlement\'s limit, which applies while no quantity is known. The feature must be enabled in `entitlements`.',
  })
  quantityFeature?: string | null;

  @Field(() => [PlanEntitlementInput])
  entitlements!: PlanEntitlementInput[];
}
