import { Field, ID, InputType } from 'type-graphql';
import { OverrideEffect } from './override-effect.enum.js';
import { Quantity } from '../validation/index.js';
import type { GrantOverrideValues } from './overrides.validation.js';

/** GraphQL input of grantOverride. */
@InputType('GrantOverrideInput')
export class GrantOverrideInput implements GrantOverrideValues {
  @Field(() => ID)
  accountId!: string;

  @Field(() => String)
  feature!: string;

  @Field(() => OverrideEffect)
  effect!: keyof typeof OverrideEffect;

  @Field(() => Quantity, { nullable: true, description: 'Required for SET_LIMIT and ADD_LIMIT; optional limit for GRANT; none for REVOKE.' })
  value?: number | null;

  @Field(() => Date, { nullable: true, description: 'Default now; may be in the future.' })
  startsAt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Required unless permanent: true.' })
  endsAt?: Date | null;

  @Field(() => Boolean, { nullable: true, description: 'No end date. Use sparingly: endsAt is the safe default.' })
  permanent?: boolean | null;

  @Field(() => String, { description: 'Why; kept with the override and in the audit log.' })
  reason!: string;

  @Field(() => String, {
    nullable: true,
    description:
      'Who approved it (a person, not a key): required with an API key. An operator\'s own grant is approved by them (leave it out, or give their email); requestOverride takes none: the approver is recorded.',
  })
  approvedBy?: string | null;
}
