import { Field, InputType } from 'type-graphql';
import { OperatorRole } from './operator-role.enum.js';
import type { InviteOperatorValues } from './operators.validation.js';

/** GraphQL input of inviteOperator. */
@InputType('InviteOperatorInput')
export class InviteOperatorInput implements InviteOperatorValues {
  @Field(() => String, { description: 'How they will sign in; lowercased.' })
  email!: string;

  @Field(() => String)
  name!: string;

  @Field(() => OperatorRole)
  role!: keyof typeof OperatorRole;
}
