import { type Rel } from '@mikro-orm/core';
import { Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Account } from '../accounts/account.entity.js';

/**
 * Storage: a billing provider's customer and the account it pays for. Keyed by the customer, so
 * a customer links to one account; an account may have several customers. Made by
 * `linkBillingCustomer`, by a completed checkout, or the first time an event's metadata names
 * the account.
 */
@Entity({ tableName: 'billing_customer' })
@Index({ properties: ['account'] })
export class BillingCustomer {
  /** Stripe's `cus_…`. */
  @PrimaryKey({ type: 'string', length: 255 })
  customerId!: string;

  @ManyToOne(() => Account, { deleteRule: 'cascade' })
  account!: Rel<Account>;

  /** Who linked it: an API key's name, or `stripe`. */
  @Property({ type: 'string', length: 200 })
  linkedBy!: string;

  @Property({ type: 'datetime' })
  linkedAt!: Date;
}
