import { Field, ID, InputType, Int } from 'type-graphql';

/** GraphQL input of setUsage. */
@InputType('SetUsageInput')
export class SetUsageInput {
  @Field(() => ID)
  accountId!: string;

  @Field(() => String)
  feature!: string;

  @Field(() => Int, { description: 'The exact value of the current period\'s counter (a gauge\'s level).' })
  value!: number;

  @Field(() => String, { description: 'Why; kept in the audit log.' })
  reason!: string;
}
