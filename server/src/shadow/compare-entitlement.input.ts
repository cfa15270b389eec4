import { Field, ID, InputType } from 'type-graphql';
import { Quantity } from '../validation/index.js';
import type { CompareEntitlementValues } from './shadow.validation.js';

/** GraphQL input of compareEntitlement: the question, and the host's legacy answer to it. */
@InputType('CompareEntitlementInput')
export class CompareEntitlementInput implements CompareEntitlementValues {
  @Field(() => ID)
  accountId!: string;

  @Field(() => String)
  feature!: string;

  @Field(() => Quantity, { nullable: true, description: 'Evaluate for this many more units, as the entitlement query\'s amount. Default: none (1).' })
  amount?: number | null;

  @Field(() => Boolean, { description: 'What the legacy check answered: true when it let the request through.' })
  legacyAllowed!: boolean;

  @Field(() => Quantity, {
    nullable: true,
    description: 'The legacy check\'s limit, when it has one. Omitted or null: only access is compared.',
  })
  legacyLimit?: number | null;
}
