import { Field, ID, InputType } from 'type-graphql';
import { Quantity } from '../validation/index.js';
import type { ConsumeValues } from './metering.validation.js';

/** GraphQL input of consume. */
@InputType('ConsumeInput')
export class ConsumeInput implements ConsumeValues {
  @Field(() => ID)
  accountId!: string;

  @Field(() => String)
  feature!: string;

  @Field(() => Quantity, { nullable: true, description: 'Units to count, 1 to 2147483647. Default 1.' })
  amount?: number | null;

  @Field(() => String, {
    description: 'Unique per request and account (up to 255 characters). A retry with the same key and payload counts nothing and gets the first answer.',
  })
  idempotencyKey!: string;
}
