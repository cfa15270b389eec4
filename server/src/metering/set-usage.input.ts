import { Field, ID, InputType } from 'type-graphql';
import { Quantity } from '../validation/index.js';
import type { SetUsageValues } from './metering.validation.js';

/** GraphQL input of setUsage. */
@InputType('SetUsageInput')
export class SetUsageInput implements SetUsageValues {
  @Field(() => ID)
  accountId!: string;

  @Field(() => String)
  feature!: string;

  @Field(() => Quantity, { description: 'The exact value of the current period\'s counter (a gauge\'s level).' })
  value!: number;

  @Field(() => String, { description: 'Why; kept in the audit log.' })
  reason!: string;
}
