import { GraphQLJSON } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { ActorKind } from './actor-kind.enum.js';
import type { AuditEntry } from './audit-entry.entity.js';

/** GraphQL: one audited write. */
@ObjectType('AuditEntry')
export class AuditEntryType {
  @Field(() => ID)
  id!: string;

  @Field(() => Date)
  at!: Date;

  @Field(() => String, { description: 'Who made the change: an operator\'s email, an API key\'s name, or `stripe`, `lifecycle`, `reconciliation`; a plan migration\'s entries name who started it.' })
  actor!: string;

  @Field(() => ActorKind, { description: 'What kind of actor made the change.' })
  actorKind!: keyof typeof ActorKind;

  @Field(() => String, { nullable: true, description: 'The operator\'s or API key\'s id, or the plan migration\'s; null for the bootstrap admin key and for Stripe, lifecycle and reconciliation.' })
  actorId!: string | null;

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
      actorKind: entry.actorKind,
      actorId: entry.actorId,
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
