import { Field, ID, InputType, Int } from 'type-graphql';
import type { ChangePlanValues } from './accounts.validation.js';
import { PlanChangeTiming } from './plan-change-timing.enum.js';

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
}
