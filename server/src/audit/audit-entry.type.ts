import { GraphQLJSON } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import type { AuditEntry } from './audit-entry.entity.js';

/** GraphQL: one audited write. */
@ObjectType('AuditEntry')
export class AuditEntryType {
  @Field(() => ID)
  id!: string;

  @Field(() => Date)
  at!: Date;

  @Field(() => String, { description: 'The name of the API key that made the change.' })
  actor!: string;

  @Field(() => String, { description: 'What happened, such as "override.grant" or "subscription.change_plan".' })
  action!: string;

  @Field(() => ID, { nullable: true })
  accountId!: string | null;

  @Field(() => String)
  entityType!: string;

  @Field(() => String, { nullable: true })
  entityId!: string | null;

  @Field(() => GraphQLJSON, { nullable: true })
  before!: unknown;

  @Field(() => GraphQLJSON, { nullable: true })
  after!: unknown;

  @Field(() => String, { nullable: true })
  reason!: string | null;

  static from(entry: AuditEntry): AuditEntryType {
    return Object.assign(new AuditEntryType(), {
      id: String(entry.id),
      at: entry.at,
      actor: entry.actor,
      action: entry.action,
      accountId: entry.accountId,
      entityType: entry.entityType,
      entityId: entry.entityId,
      before: entry.before,
      after: entry.after,
      reason: entry.reason,
    });
  }
}
