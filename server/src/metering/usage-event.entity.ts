import { BigIntType, OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, Index, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { USAGE_EVENT_KINDS, type UsageEventKind } from '../vocabulary/index.js';

export type { UsageEventKind };

/**
 * Storage: the append-only ledger of every counted consume, release, set and report, partitioned
 * by the month it was recorded in (migration 20261207021000; old months are dropped by
 * ledger-horizon.ts). Its unique (account, idempotency key, month) and the key window lookup make
 * a retried request count once; `result` is the answer the first request got, replayed to every
 * retry. Refused requests leave no row. Written only with SQL in usage-ledger.ts and the service.
 */
@Entity({ tableName: 'usage_event' })
@Unique({ name: 'usage_event_account_id_idempotency_key_unique', properties: ['accountId', 'idempotencyKey', 'ledgerMonth'] })
// The daily usage history (usage-history.ts) reads one account's feature over a time range.
@Index({ properties: ['accountId', 'featureKey', 'occurredAt'] })
export class UsageEvent {
  [OptionalProps]?: 'id' | 'idempotencyKey' | 'fingerprint' | 'result' | 'createdAt' | 'ledgerMonth';

  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  /** The UTC month the row was recorded in: the partition key. */
  @PrimaryKey({ type: 'date', defaultRaw: `(date_trunc('month'::text, (now() AT TIME ZONE 'UTC'::text)))::date` })
  ledgerMonth!: string;

  @Property({ type: 'string', length: 128 })
  accountId!: string;

  @Property({ type: 'string', length: 64 })
  featureKey!: string;

  @Enum({ items: [...USAGE_EVENT_KINDS], nativeEnumName: 'usage_event_kind' })
  kind!: UsageEventKind;

  /** Units consumed, released or reported; the new value for SET. */
  @Property({ type: new BigIntType('number') })
  amount!: number;

  @Property({ type: 'datetime' })
  periodStart!: Date;

  /** When the usage happened: the request time, or a reported event's own timestamp. */
  @Property({ type: 'datetime' })
  occurredAt!: Date;

  @Property({ type: 'string', length: 255, nullable: true })
  idempotencyKey: string | null = null;

  /** SHA-256 of the request's payload: the same key with another payload is a conflict. */
  @Property({ type: 'string', length: 64, nullable: true })
  fingerprint: string | null = null;

  @Property({ type: 'json', nullable: true })
  result: unknown = null;

  @Property({ type: 'string', length: 200 })
  actor!: string;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
