import { Field, ID, InputType } from 'type-graphql';
import { Quantity } from '../validation/index.js';
import type { UsageEventValues } from './metering.validation.js';

/** GraphQL input: one event of reportUsage. */
@InputType('UsageEventInput')
export class UsageEventInput implements UsageEventValues {
  @Field(() => ID)
  accountId!: string;

  @Field(() => String, { description: 'A METERED feature.' })
  feature!: string;

  @Field(() => Quantity)
  amount!: number;

  @Field(() => String)
  idempotencyKey!: string;

  @Field(() => Date, { nullable: true, description: 'When the usage happened; it counts in that period. Default now; at most 5 minutes ahead.' })
  timestamp?: Date | null;
}
