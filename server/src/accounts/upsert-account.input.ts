import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, InputType } from 'type-graphql';
import type { UpsertAccountValues } from './accounts.validation.js';

/** GraphQL input of upsertAccount. */
@InputType('UpsertAccountInput')
export class UpsertAccountInput implements UpsertAccountValues {
  @Field(() => ID, { description: 'The host product\'s own id: up to 128 printable characters.' })
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Free-form JSON, replaced whole when given.' })
  metadata?: Record<string, unknown> | null;
}
