import { OptionalProps, type Rel } from '@mikro-orm/core';
import { Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Operator } from './operator.entity.js';

/**
 * Storage: a signed-in browser. Only the SHA-256 of the session id is kept, so a copy of the
 * database signs nobody in. Ending a session deletes its row.
 */
@Entity({ tableName: 'operator_session' })
@Index({ properties: ['operator'] })
@Index({ properties: ['expiresAt'] })
export class OperatorSession {
  [OptionalProps]?: 'userAgent' | 'address';

  @PrimaryKey({ type: 'string', length: 64 })
  idHash!: string;

  @ManyToOne(() => Operator, { deleteRule: 'cascade' })
  operator!: Rel<Operator>;

  @Property({ type: 'datetime' })
  createdAt!: Date;

  /** Moved forward at most once a minute; the idle limit counts from it. */
  @Property({ type: 'datetime' })
  lastSeenAt!: Date;

  /** The absolute end, however busy the session is. */
  @Property({ type: 'datetime' })
  expiresAt!: Date;

  @Property({ type: 'string', length: 64, nullable: true })
  address: string | null = null;

  @Property({ type: 'string', length: 512, nullable: true })
  userAgent: string | null = null;
}
