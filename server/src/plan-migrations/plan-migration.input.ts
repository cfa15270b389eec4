import { Field, ID, InputType, Int } from 'type-graphql';
import { ProrationBehavior } from '../accounts/index.js';
import { PlanChangeTiming } from '../accounts/index.js';
import type { PlanMigrationInputValues } from './plan-migrations.validation.js';

/** GraphQL input of previewPlanMigration and startPlanMigration: which accounts move where, and when. */
@InputType('PlanMigrationInput')
export class PlanMigrationInput implements PlanMigrationInputValues {
  @Field(() => String, { description: 'The plan whose accounts move.' })
  plan!: string;

  @Field(() => [Int], { nullable: true, description: 'Only accounts on these versions of `plan`; default every version.' })
  fromVersions?: number[] | null;

  @Field(() => String, {
    nullable: true,
    description: 'The plan to move to; default `plan` (a newer version of the same plan). Another plan retires a legacy plan into it.',
  })
  toPlan?: string | null;

  @Field(() => Int, { nullable: true, description: 'A PUBLISHED version of toPlan; default its newest published version.' })
  toVersion?: number | null;

  @Field(() => [ID], {
    nullable: true,
    description: 'Only these accounts (of those on the source versions). Named accounts move even when pinned.',
  })
  accountIds?: string[] | null;

  @Field(() => PlanChangeTiming, {
    nullable: true,
    defaultValue: 'NOW',
    description: 'NOW (default): at once, keeping the billing period when the interval stays the same. PERIOD_END: each account at the end of its current period (subscription.scheduledChange).',
  })
  effective?: keyof typeof PlanChangeTiming | null;

  @Field(() => ProrationBehavior, {
    nullable: true,
    description: 'For accounts Stripe bills: what Stripe does about the part of the period already paid (default CREATE_PRORATIONS). Each such account\'s Stripe subscription is changed once, with an idempotency key derived from the migration and the account.',
  })
  prorationBehavior?: keyof typeof ProrationBehavior | null;
}
