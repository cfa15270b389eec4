import { Field, InputType, Int } from 'type-graphql';
import type { CreatePlanValues } from './catalog.validation.js';

/** GraphQL input of createPlan. */
@InputType('CreatePlanInput')
export class CreatePlanInput implements CreatePlanValues {
  @Field(() => String)
  key!: string;

  @Field(() => String)
  name!: string;

  @Field(() => Int, { description: 'Upgrade order: a higher rank is an upgrade.' })
  rank!: number;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Make this the default (free) plan for accounts without a subscription; the previous default stops being one.',
  })
  isDefault?: boolean | null;
}
