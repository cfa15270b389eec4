import { OptionalProps } from '@mikro-orm/core';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/** Storage: one write, recorded in the same transaction as the write itself. */
@Entity({ tableName: 'audit_entry' })
@Index({ properties: ['accountId', 'id'] })
export class AuditEntry {
  [OptionalProps]?: 'id' | 'at' | 'accountId' | 'entityId' | 'before' | 'after' | 'reason';

  /** A sequence, so the log pages by a stable, strictly ordered cursor. */
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'datetime' })
  at: Date = new Date();

  /** The name of the API key (or `bootstrap admin`) that made the change. */
  @Property({ type: 'string', length: 200 })
  actor!: string;

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
