import { OptionalProps } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * Storage: idempotency keys recorded within an hour of a month boundary, kept a day. The ledger is
 * partitioned by month and a unique index only sees its own partition, so two requests with one
 * key on both sides of the boundary collide here instead (usage-ledger.ts). Written only by the
 * ledger's statements; pruned by ledger-horizon.ts.
 */
@Entity({ tableName: 'usage_key_guard' })
export class UsageKeyGuard {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'string', length: 128 })
  accountId!: string;

  @PrimaryKey({ type: 'string', length: 255 })
  idempotencyKey!: string;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
