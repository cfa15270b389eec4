import { Field, ObjectType } from 'type-graphql';
import { PageInfoType } from '../audit/index.js';
import { PlanMigrationAccountType } from './plan-migration-account.type.js';
import { PlanMigrationChangeType } from './plan-migration-change.type.js';
import { encodeAccountCursor } from './selection.js';

/** GraphQL: an account's diff with its cursor. */
@ObjectType('PlanMigrationChangeEdge')
export class PlanMigrationChangeEdgeType {
  @Field(() => String)
  cursor!: string;

  @Field(() => PlanMigrationChangeType)
  node!: PlanMigrationChangeType;
}

/** GraphQL: a page of a preview's per-account diffs, in account id order. */
@ObjectType('PlanMigrationChangeConnection')
export class PlanMigrationChangeConnectionType {
  @Field(() => [PlanMigrationChangeEdgeType])
  edges!: PlanMigrationChangeEdgeType[];

  @Field(() => PageInfoType)
  pageInfo!: PageInfoType;

  static from(page: { items: PlanMigrationChangeType[]; hasNextPage: boolean }): PlanMigrationChangeConnectionType {
    const edges = page.items.map((node) => Object.assign(new PlanMigrationChangeEdgeType(), { cursor: encodeAccountCursor(node.accountId), node }));
    return Object.assign(new PlanMigrationChangeConnectionType(), { edges, pageInfo: pageInfo(edges, page.hasNextPage) });
  }
}

/** GraphQL: a selected account with its cursor. */
@ObjectType('PlanMigrationAccountEdge')
export class PlanMigrationAccountEdgeType {
  @Field(() => String)
  cursor!: string;

  @Field(() => PlanMigrationAccountType)
  node!: PlanMigrationAccountType;
}

/** GraphQL: a page of a migration's (or a preview's skipped) accounts, in account id order. */
@ObjectType('PlanMigrationAccountConnection')
export class PlanMigrationAccountConnectionType {
  @Field(() => [PlanMigrationAccountEdgeType])
  edges!: PlanMigrationAccountEdgeType[];

  @Field(() => PageInfoType)
  pageInfo!: PageInfoType;

  static from(page: { items: PlanMigrationAccountType[]; hasNextPage: boolean }): PlanMigrationAccountConnectionType {
    const edges = page.items.map((node) => Object.assign(new PlanMigrationAccountEdgeType(), { cursor: encodeAccountCursor(node.accountId), node }));
    return Object.assign(new PlanMigrationAccountConnectionType(), { edges, pageInfo: pageInfo(edges, page.hasNextPage) });
  }
}

function pageInfo(edges: { cursor: string }[], hasNextPage: boolean): PageInfoType {
  return Object.assign(new PageInfoType(), { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null });
}
