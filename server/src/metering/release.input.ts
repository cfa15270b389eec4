import { Field, ID, InputType } from 'type-graphql';
import { Quantity } from '../validation/index.js';
import type { ConsumeValues } from './metering.validation.js';

/** GraphQL input of release. */
@InputType('ReleaseInput')
export class ReleaseInput implements ConsumeValues {
  @Field(() => ID)
  accountId!: string;

  @Field(() => String, { description: 'A QUANTITY feature.' })
  feature!: string;

  @Field(() => Quantity, { nullable: true, description: 'Units to give back. Default 1. The gauge never goes below 0.' })
  amount?: number | null;

  @Field(() => String)
  idempotencyKey!: string;
}
