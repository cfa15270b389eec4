import { Field, ObjectType } from 'type-graphql';
import { AuditEntryType } from './audit-entry.type.js';

/** GraphQL: an entry with its cursor. */
@ObjectType('AuditEntryEdge')
export class AuditEntryEdgeType {
  @Field(() => String)
  cursor!: string;

  @Field(() => AuditEntryType)
  node!: AuditEntryType;
}

/** GraphQL: where a page ends, Relay style. */
@ObjectType('PageInfo')
export class PageInfoType {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page.' })
  endCursor!: string | null;
}

/** GraphQL: a page of the audit log, newest first. */
@ObjectType('AuditEntryConnection')
export class AuditEntryConnectionType {
  @Field(() => [AuditEntryEdgeType])
  edges!: AuditEntryEdgeType[];

  @Field(() => PageInfoType)
  pageInfo!: PageInfoType;
}
