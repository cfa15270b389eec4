import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { ACTOR_KINDS, type ActorKind } from '../vocabulary/index.js';

/** Storage: one write, recorded in the same transaction as the write itself. */
@Entity({ tableName: 'audit_entry' })
@Index({ properties: ['accountId', 'id'] })
// The audit log's filters: by actor (its name, as the log shows it), by action, by time; each
// ends with id, so a filtered page is read in cursor order from the index.
@Index({ properties: ['actor', 'id'] })
@Index({ properties: ['action', 'id'] })
@Index({ properties: ['at', 'id'] })
export class AuditEntry {
  [OptionalProps]?: 'id' | 'at' | 'accountId' | 'entityId' | 'before' | 'after' | 'reason' | 'actorId';

  /** A sequence, so the log pages by a stable, strictly ordered cursor. */
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'datetime' })
  at: Date = new Date();

  /** Who made the change, readably: an operator's email, an API key's name, `stripe`, `lifecycle`, `reconciliation`. */
  @Property({ type: 'string', length: 320 })
  actor!: string;

  /** What kind of actor made it. */
  @Enum({ items: [...ACTOR_KINDS], nativeEnumName: 'actor_kind' })
  actorKind!: ActorKind;

  /** The operator's or API key's id, or the plan migration's; null for the bootstrap key, Stripe, lifecycle and reconciliation. */
  @Property({ type: 'string', length: 64, nullable: true })
  actorId: string | null = null;

  @Property({ type: 'string', length: 64 })
  action!: string;

  @Property({ type: 'string', length: 128, nullable: true })
  accountId: string | null = null;

  @Property({ type: 'string', length: 64 })
  entityType!: string;

  @Property({ type: 'string', length: 200, nullable: true })
  entityId: string | null = null;

  @Property({ type: 'json', nullable: true })
  before: unknown = null;

  @Property({ type: 'json', nullable: true })
  after: unknown = null;

  @Property({ type: 'text', nullable: true })
  reason: string | null = null;
}
