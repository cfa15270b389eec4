import { Field, ID, InputType } from 'type-graphql';
import { SubscriptionStatus } from './subscription-status.enum.js';
import type { UpdateSubscriptionStatusValues } from './accounts.validation.js';

/** GraphQL input of updateSubscriptionStatus. */
@InputType('UpdateSubscriptionStatusInput')
export class UpdateSubscriptionStatusInput implements UpdateSubscriptionStatusValues {
  @Field(() => ID)
  accountId!: string;

  @Field(() => SubscriptionStatus)
  status!: keyof typeof SubscriptionStatus;

  @Field(() => Date, { nullable: true, description: 'PAST_DUE only: access continues until then.' })
  graceEndsAt?: Date | null;

  @Field(() => String)
  reason!: string;
}
