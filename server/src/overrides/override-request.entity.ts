import { randomUUID } from 'node:crypto';
import { BigIntType, OptionalProps, type Rel } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
// Relations between entities are the database's own links and span domains (see override.entity.ts).
import { Account } from '../accounts/account.entity.js';
import { OVERRIDE_EFFECTS, OVERRIDE_REQUEST_STATUSES, type OverrideEffect, type OverrideRequestStatus } from '../vocabulary/index.js';
import { Override } from './override.entity.js';

/**
 * Storage: an override someone asked for and a second person decides (four eyes). Approving it
 * creates the override, whose `approvedBy` is the approver. Never deleted.
 */
@Entity({ tableName: 'override_request' })
// The queue: pending ones, newest first; and every request in cursor order.
@Index({ properties: ['status', 'requestedAt', 'id'] })
@Index({ properties: ['requestedAt', 'id'] })
@Index({ properties: ['account'] })
export class OverrideRequest {
  [OptionalProps]?: 'id' | 'value' | 'startsAt' | 'endsAt' | 'decidedBy' | 'decidedById' | 'decidedAt' | 'decisionNote' | 'override';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Account, { deleteRule: 'cascade' })
  account!: Rel<Account>;

  @Property({ type: 'string', length: 64 })
  featureKey!: string;

  @Enum({ items: [...OVERRIDE_EFFECTS], nativeEnumName: 'override_effect' })
  effect!: OverrideEffect;

  @Property({ type: new BigIntType('number'), nullable: true })
  value: number | null = null;

  /** Null: from the moment it is approved. */
  @Property({ type: 'datetime', nullable: true })
  startsAt: Date | null = null;

  @Property({ type: 'datetime', nullable: true })
  endsAt: Date | null = null;

  @Property({ type: 'boolean' })
  permanent!: boolean;

  @Property({ type: 'text' })
  reason!: string;

  @Enum({ items: [...OVERRIDE_REQUEST_STATUSES], nativeEnumName: 'override_request_status' })
  status!: OverrideRequestStatus;

  /** The requester as the audit log names them: an operator's email, an API key's name. */
  @Property({ type: 'string', length: 320 })
  requestedBy!: string;

  /** The requester's identity (`operator:<id>`, `api-key:<id>`), compared with the approver's: nobody approves their own. */
  @Property({ type: 'string', length: 100 })
  requestedById!: string;

  @Property({ type: 'datetime' })
  requestedAt!: Date;

  @Property({ type: 'string', length: 320, nullable: true })
  decidedBy: string | null = null;

  @Property({ type: 'string', length: 100, nullable: true })
  decidedById: string | null = null;

  @Property({ type: 'datetime', nullable: true })
  decidedAt: Date | null = null;

  /** The approver's note, or the rejection's reason. */
  @Property({ type: 'text', nullable: true })
  decisionNote: string | null = null;

  @ManyToOne(() => Override, { nullable: true })
  override: Rel<Override> | null = null;
}
