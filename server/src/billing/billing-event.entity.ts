import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { BILLING_EVENT_OUTCOMES, type BillingEventOutcome } from '../vocabulary/index.js';

/**
 * Storage: every billing provider event Tollgate received, once. Its primary key is the event's
 * own id, inserted in the same transaction as the change the event makes: a redelivery, or two
 * deliveries at the same instant, find the row taken and change nothing.
 */
@Entity({ tableName: 'billing_event' })
@Index({ properties: ['subscriptionId', 'created'] })
export class BillingEvent {
  [OptionalProps]?: 'subscriptionId' | 'customerId' | 'accountId' | 'detail';

  /** Stripe's `evt_…`. */
  @PrimaryKey({ type: 'string', length: 255 })
  id!: string;

  /** Such as `customer.subscription.updated`. */
  @Property({ type: 'string', length: 128 })
  type!: string;

  /** When Stripe created the event: with the id, the order of events of one subscription. */
  @Property({ type: 'datetime' })
  created!: Date;

  /** The first delivery's outcome (a replay of an UNMAPPED event updates it); never DUPLICATE. */
  @Enum({ items: [...BILLING_EVENT_OUTCOMES], nativeEnumName: 'billing_event_outcome' })
  outcome!: BillingEventOutcome;

  /** Stripe's `sub_…` the event concerns, if any. */
  @Property({ type: 'string', length: 255, nullable: true })
  subscriptionId: string | null = null;

  @Property({ type: 'string', length: 255, nullable: true })
  customerId: string | null = null;

  /** The account it was applied to; null when it mapped to none. */
  @Property({ type: 'string', length: 128, nullable: true })
  accountId: string | null = null;

  /** Why it was ignored, stale or unmapped, in a sentence. */
  @Property({ type: 'text', nullable: true })
  detail: string | null = null;

  @Property({ type: 'datetime' })
  receivedAt!: Date;
}
