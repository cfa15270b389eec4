import { randomUUID } from 'node:crypto';
import { OptionalProps, type Rel } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, OneToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { PlanVersion } from '../catalog/index.js';
import { SUBSCRIPTION_STATUSES, type SubscriptionStatus } from '../vocabulary/index.js';
import { Account } from './account.entity.js';

/** One purchased add-on on a subscription. */
export interface SubscriptionAddOnRecord {
  addOnKey: string;
  quantity: number;
}

/**
 * Storage: an account's one current subscription. Plan changes update it in place; the audit
 * log keeps every earlier state.
 */
@Entity({ tableName: 'subscription' })
export class Subscription {
  [OptionalProps]?:
    | 'id'
    | 'trialEndsAt'
    | 'graceEndsAt'
    | 'addOns'
    | 'billingProviderIds'
    | 'createdAt'
    | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @OneToOne(() => Account, { owner: true, unique: true, deleteRule: 'cascade' })
  account!: Rel<Account>;

  @ManyToOne(() => PlanVersion)
  planVersion!: Rel<PlanVersion>;

  @Enum({ items: [...SUBSCRIPTION_STATUSES], nativeEnumName: 'subscription_status' })
  status!: SubscriptionStatus;

  @Property({ type: 'datetime', nullable: true })
  trialEndsAt: Date | null = null;

  @Property({ type: 'datetime', nullable: true })
  graceEndsAt: Date | null = null;

  @Property({ type: 'datetime' })
  currentPeriodStart!: Date;

  @Property({ type: 'datetime' })
  currentPeriodEnd!: Date;

  @Property({ type: 'json' })
  addOns: SubscriptionAddOnRecord[] = [];

  /** Ids in the billing provider (Stripe customer, subscription...), opaque to Tollgate. */
  @Property({ type: 'json' })
  billingProviderIds: Record<string, string> = {};

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
