import { BigIntType, OptionalProps, type Rel } from '@mikro-orm/core';
import { Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Account } from '../accounts/account.entity.js';

/**
 * Storage: what Tollgate knows of one billing provider subscription, and the ordering keys that
 * make its events order-proof: the newest snapshot (subscription events, checkout,
 * reconciliation) with the `created` and id of the event that brought it, and the newest payment
 * outcome (invoice events) with its own. An event older than the newest of its kind changes
 * nothing. Tollgate's subscription of the account mirrors the governing one of these rows.
 */
@Entity({ tableName: 'billing_subscription' })
@Index({ properties: ['account'] })
export class BillingSubscription {
  [OptionalProps]?: 'customerId' | 'snapshot' | 'snapshotAt' | 'snapshotEventId' | 'snapshotSeq' | 'payment' | 'paymentAt' | 'paymentEventId' | 'unpaidInvoiceId' | 'unpaidSince';

  /** Stripe's `sub_…`. */
  @PrimaryKey({ type: 'string', length: 255 })
  subscriptionId!: string;

  @ManyToOne(() => Account, { deleteRule: 'cascade' })
  account!: Rel<Account>;

  @Property({ type: 'string', length: 255, nullable: true })
  customerId: string | null = null;

  /** The newest ProviderSubscription, dates as ISO strings; null until a subscription event maps. */
  @Property({ type: 'json', nullable: true })
  snapshot: unknown = null;

  @Property({ type: 'datetime', nullable: true })
  snapshotAt: Date | null = null;

  @Property({ type: 'string', length: 255, nullable: true })
  snapshotEventId: string | null = null;

  /**
   * With STRIPE_API_KEY: the sequence Tollgate took just before reading the snapshot from Stripe's
   * API (`billing_read_seq`); a snapshot read later wins. Null for a snapshot an event carried.
   */
  @Property({ type: new BigIntType('number'), nullable: true })
  snapshotSeq: number | null = null;

  /** The newest payment outcome, `{ outcome, amountPaid }`; null until an invoice event arrives. */
  @Property({ type: 'json', nullable: true })
  payment: { outcome: 'PAID' | 'FAILED'; amountPaid: number } | null = null;

  @Property({ type: 'datetime', nullable: true })
  paymentAt: Date | null = null;

  @Property({ type: 'string', length: 255, nullable: true })
  paymentEventId: string | null = null;

  /** The invoice that failed last (a cycle or first invoice) and its first failure: a past-due grace runs from there. */
  @Property({ type: 'string', length: 255, nullable: true })
  unpaidInvoiceId: string | null = null;

  @Property({ type: 'datetime', nullable: true })
  unpaidSince: Date | null = null;

  @Property({ type: 'datetime' })
  updatedAt!: Date;
}
