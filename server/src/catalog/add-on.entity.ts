import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { BILLING_INTERVALS, type BillingInterval } from '../vocabulary/index.js';

/** One feature grant of an add-on, per purchased unit. */
export interface AddOnGrantRecord {
  featureKey: string;
  enable: boolean;
  limitIncrement: number | null;
}

/** Storage: an add-on an account can buy on top of its plan, in any quantity. */
@Entity({ tableName: 'add_on' })
export class AddOn {
  [OptionalProps]?: 'id' | 'description' | 'interval' | 'billingPriceId' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'string', length: 64, unique: true })
  key!: string;

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'text', nullable: true })
  description: string | null = null;

  @Property({ type: 'integer' })
  priceAmount!: number;

  @Property({ type: 'string', length: 3 })
  priceCurrency!: string;

  @Enum({ items: [...BILLING_INTERVALS], nativeEnumName: 'billing_interval' })
  interval: BillingInterval = 'MONTH';

  @Property({ type: 'json' })
  grants!: AddOnGrantRecord[];

  /** The billing provider's price of one unit (unique across the catalog through `billing_price`). */
  @Property({ type: 'string', length: 255, nullable: true })
  billingPriceId: string | null = null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
