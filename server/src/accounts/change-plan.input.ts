import { Field, ID, InputType, Int } from 'type-graphql';
import type { ChangePlanValues } from './accounts.validation.js';
import { PlanChangeTiming } from './plan-change-timing.enum.js';
import { ProrationBehavior } from './proration-behavior.enum.js';

/** GraphQL input of changePlan. */
@InputType('ChangePlanInput')
export class ChangePlanInput implements ChangePlanValues {
  @Field(() => ID)
  accountId!: string;

  @Field(() => String, { description: 'The plan key.' })
  plan!: string;

  @Field(() => Int, { nullable: true, description: 'A published version; default the newest published one.' })
  version?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'Start a trial of the version\'s trialDays (status TRIALING).' })
  trial?: boolean | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'With trial: start a trial of a plan the account has already had a trial of. Admin key only.',
  })
  allowTrialRestart?: boolean | null;

  @Field(() => PlanChangeTiming, {
    nullable: true,
    defaultValue: 'NOW',
    description: 'NOW (default), or PERIOD_END: the change waits in subscription.scheduledChange and takes effect when the period ends.',
  })
  at?: keyof typeof PlanChangeTiming | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'true pins the subscription to its plan version (a negotiated contract, a lifetime deal): plan migrations skip it unless they name the account. false unpins. Omitted or null keeps what it was.',
  })
  pinned?: boolean | null;

  @Field(() => String, { nullable: true, description: 'Kept in the audit log.' })
  reason?: string | null;

  @Field(() => ProrationBehavior, {
    nullable: true,
    description: 'For a subscription Stripe bills: what Stripe does about the part of the period already paid. Default CREATE_PRORATIONS (Stripe\'s own default).',
  })
  prorationBehavior?: keyof typeof ProrationBehavior | null;

  @Field(() => String, {
    nullable: true,
    description:
      'For a subscription Stripe bills: this request\'s own key (1-200 characters). Stripe\'s Idempotency-Key is derived from it and the account, so a retry ' +
      'is written to Stripe once. Without it, the key is derived from the account, the target and the subscription as Tollgate last saw it.',
  })
  idempotencyKey?: string | null;
}
