import { Field, ObjectType } from 'type-graphql';
import { PageInfoType } from '../audit/index.js';
import { BillingSyncIssueType } from './billing-sync-issue.type.js';

/** GraphQL: a sync issue with its cursor. */
@ObjectType('BillingSyncIssueEdge')
export class BillingSyncIssueEdgeType {
  @Field(() => String)
  cursor!: string;

  @Field(() => BillingSyncIssueType)
  node!: BillingSyncIssueType;
}

/** GraphQL: a page of billing sync issues, newest first (the audit log's connection shape). */
@ObjectType('BillingSyncIssueConnection')
export class BillingSyncIssueConnectionType {
  @Field(() => [BillingSyncIssueEdgeType])
  edges!: BillingSyncIssueEdgeType[];

  @Field(() => PageInfoType)
  pageInfo!: PageInfoType;
}
