import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { BILLING_SYNC_ISSUE_KINDS, type BillingSyncIssueKind } from '../vocabulary/index.js';

/**
 * Storage: a provider event that could not be applied (unknown customer or price), kept with
 * its payload so that it can be replayed, through the same path, once it maps. One per event.
 */
@Entity({ tableName: 'billing_sync_issue' })
@Index({ properties: ['resolvedAt', 'kind'] })
export class BillingSyncIssue {
  [OptionalProps]?: 'id' | 'customerId' | 'subscriptionId' | 'priceIds' | 'resolvedAt' | 'resolution';

  /** A sequence, so the list pages by a stable cursor. */
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Enum({ items: [...BILLING_SYNC_ISSUE_KINDS], nativeEnumName: 'billing_sync_issue_kind' })
  kind!: BillingSyncIssueKind;

  @Property({ type: 'string', length: 255, unique: true })
  eventId!: string;

  @Property({ type: 'string', length: 128 })
  eventType!: string;

  @Property({ type: 'string', length: 255, nullable: true })
  customerId: string | null = null;

  @Property({ type: 'string', length: 255, nullable: true })
  subscriptionId: string | null = null;

  /** The prices that map to nothing (UNKNOWN_PRICE). */
  @Property({ type: 'json' })
  priceIds: string[] = [];

  /** What is wrong and how to fix it. */
  @Property({ type: 'text' })
  message!: string;

  /** The verified event as Stripe sent it, replayed once the issue can be resolved. */
  @Property({ type: 'json' })
  payload!: unknown;

  @Property({ type: 'datetime' })
  createdAt!: Date;

  @Property({ type: 'datetime' })
  updatedAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  resolvedAt: Date | null = null;

  /** How it was resolved, in a sentence: "replayed after linkBillingCustomer by ops: applied". */
  @Property({ type: 'text', nullable: true })
  resolution: string | null = null;
}
