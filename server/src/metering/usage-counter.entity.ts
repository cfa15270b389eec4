import { BigIntType, OptionalProps } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * Storage: usage of one feature by one account in one period. A new period is a new row, so a
 * reset is implicit and exact; QUANTITY gauges use the period starting at the epoch (NEVER).
 * Written only by single atomic statements in the metering service.
 */
@Entity({ tableName: 'usage_counter' })
export class UsageCounter {
  [OptionalProps]?: 'used' | 'updatedAt';

  @PrimaryKey({ type: 'string', length: 128 })
  accountId!: string;

  @PrimaryKey({ type: 'string', length: 64 })
  featureKey!: string;

  @PrimaryKey({ type: 'datetime' })
  periodStart!: Date;

  /** bigint, read as a number: writes keep it within 2^53−1 (MAX_QUANTITY). */
  @Property({ type: new BigIntType('number') })
  used: number = 0;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  updatedAt: Date = new Date();
}
