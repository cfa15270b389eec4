import { Field, ID, InputType } from 'type-graphql';
import type { CancelSubscriptionValues } from './accounts.validation.js';

/** GraphQL input of cancelSubscription. */
@InputType('CancelSubscriptionInput')
export class CancelSubscriptionInput implements CancelSubscriptionValues {
  @Field(() => ID)
  accountId!: string;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: true,
    description: 'true (default): the plan applies until the period ends (phase CANCELING), then CANCELED. false: CANCELED at once.',
  })
  atPeriodEnd?: boolean | null;

  @Field(() => String, { description: 'Why; kept in the audit log.' })
  reason!: string;
}
