import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { OverrideType } from '../overrides/index.js';
import type { AccountView } from './accounts.service.js';
import { SubscriptionType } from './subscription.type.js';

/** GraphQL: an account with its subscription and overrides. */
@ObjectType('Account')
export class AccountType {
  @Field(() => ID, { description: 'The host product\'s own id for the account.' })
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => GraphQLJSONObject)
  metadata!: Record<string, unknown>;

  @Field(() => SubscriptionType, { nullable: true, description: 'null: the account gets the default plan.' })
  subscription!: SubscriptionType | null;

  @Field(() => [OverrideType], { description: 'Overrides in force now.' })
  activeOverrides!: OverrideType[];

  @Field(() => [OverrideType], { description: 'Every override ever granted, newest first: expired and revoked ones too.' })
  overrides!: OverrideType[];

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;

  static from(view: AccountView, now: Date): AccountType {
    const overrides = view.overrides.map((override) => OverrideType.from(override, now));
    return Object.assign(new AccountType(), {
      id: view.account.id,
      name: view.account.name,
      metadata: view.account.metadata,
      subscription: view.subscription ? SubscriptionType.from(view.subscription, now) : null,
      activeOverrides: overrides.filter((override) => override.active),
      overrides,
      createdAt: view.account.createdAt,
      updatedAt: view.account.updatedAt,
    });
  }
}
