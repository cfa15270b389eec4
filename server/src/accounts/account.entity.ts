import { OptionalProps } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/** Storage: a customer account of the host product, keyed by the host's own id. */
@Entity({ tableName: 'account' })
export class Account {
  [OptionalProps]?: 'metadata' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'string', length: 128 })
  id!: string;

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'json' })
  metadata: Record<string, unknown> = {};

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
