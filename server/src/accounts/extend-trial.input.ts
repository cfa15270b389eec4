import { Field, ID, InputType } from 'type-graphql';
import type { ExtendTrialValues } from './accounts.validation.js';

/** GraphQL input of extendTrial. */
@InputType('ExtendTrialInput')
export class ExtendTrialInput implements ExtendTrialValues {
  @Field(() => ID)
  accountId!: string;

  @Field(() => Date, { description: 'The new end of the trial: in the future, and later than the current end.' })
  endsAt!: Date;

  @Field(() => String, { description: 'Why; kept in the audit log.' })
  reason!: string;

  @Field(() => String, { nullable: true, description: 'Who approved it (a person, for the audit log): required with an API key; an operator\'s own extension is approved by them (leave it out, or give their email).' })
  approvedBy?: string | null;
}
