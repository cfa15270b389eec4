import { Field, ObjectType } from 'type-graphql';
import { PageInfoType } from '../audit/index.js';
import { AccountType } from './account.type.js';

/** GraphQL: an account with its cursor. */
@ObjectType('AccountEdge')
export class AccountEdgeType {
  @Field(() => String)
  cursor!: string;

  @Field(() => AccountType)
  node!: AccountType;
}

/** GraphQL: a page of accounts, by id. */
@ObjectType('AccountConnection')
export class AccountConnectionType {
  @Field(() => [AccountEdgeType])
  edges!: AccountEdgeType[];

  @Field(() => PageInfoType)
  pageInfo!: PageInfoType;
}
