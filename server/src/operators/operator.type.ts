import { Field, ID, Int, ObjectType } from 'type-graphql';
import { PageInfoType } from '../audit/index.js';
import { OperatorRole, OperatorState, Permission } from './operator-role.enum.js';
import type { Operator } from './operator.entity.js';
import { operatorState } from './operators.service.js';

/** GraphQL: a person who operates Tollgate. */
@ObjectType('Operator')
export class OperatorType {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'How they sign in, lowercased; the audit log\'s `actor` for their changes.' })
  email!: string;

  @Field(() => String)
  name!: string;

  @Field(() => OperatorRole)
  role!: keyof typeof OperatorRole;

  @Field(() => OperatorState)
  state!: keyof typeof OperatorState;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => String, { description: 'Who invited them.' })
  createdBy!: string;

  @Field(() => Date, { nullable: true })
  deactivatedAt!: Date | null;

  static from(operator: Operator): OperatorType {
    return Object.assign(new OperatorType(), {
      id: operator.id,
      email: operator.email,
      name: operator.name,
      role: operator.role,
      state: operatorState(operator),
      createdAt: operator.createdAt,
      createdBy: operator.createdBy,
      deactivatedAt: operator.deactivatedAt,
    });
  }
}

/** GraphQL: an invite, with its one-time link shown this once. */
@ObjectType('OperatorInvite')
export class OperatorInviteType {
  @Field(() => String, { description: '`/console/invite/<token>`: give it to the person. Shown once; only a hash is kept. Used once, within 72 hours.' })
  link!: string;

  @Field(() => Date)
  expiresAt!: Date;

  @Field(() => OperatorType)
  operator!: OperatorType;
}

/** GraphQL: a password reset link, shown this once. */
@ObjectType('PasswordResetLink')
export class PasswordResetLinkType {
  @Field(() => String, { description: '`/console/reset/<token>`: give it to the person. Shown once; only a hash is kept. Used once, within 72 hours.' })
  link!: string;

  @Field(() => Date)
  expiresAt!: Date;

  @Field(() => OperatorType)
  operator!: OperatorType;
}

/** GraphQL: who is signed in, and what they may do. */
@ObjectType('Me')
export class MeType {
  @Field(() => OperatorType)
  operator!: OperatorType;

  @Field(() => [Permission], { description: 'What this operator\'s role may do: the console draws only these controls (the server refuses the others anyway).' })
  permissions!: (keyof typeof Permission)[];

  @Field(() => Date, { description: 'When this session ends however busy it is; it also ends after TOLLGATE_SESSION_IDLE_MINUTES unused.' })
  sessionExpiresAt!: Date;

  @Field(() => Int, { description: 'TOLLGATE_OVERRIDE_POLICY_DAYS: an override reaching further ahead (or permanent) needs requestOverride and a second person.' })
  overridePolicyDays!: number;
}

/** GraphQL: an operator with its cursor. */
@ObjectType('OperatorEdge')
export class OperatorEdgeType {
  @Field(() => String)
  cursor!: string;

  @Field(() => OperatorType)
  node!: OperatorType;
}

/** GraphQL: a page of operators, by email. */
@ObjectType('OperatorConnection')
export class OperatorConnectionType {
  @Field(() => [OperatorEdgeType])
  edges!: OperatorEdgeType[];

  @Field(() => PageInfoType)
  pageInfo!: PageInfoType;
}
