import { OptionalProps, type Rel } from '@mikro-orm/core';
import { Check, Entity, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { AddOn } from './add-on.entity.js';
import { PlanVersion } from './plan-version.entity.js';

/**
 * Storage: which plan version or add-on a billing provider's price stands for. The price id is
 * the primary key, so a price maps to one thing at most, even when two admins race to map it;
 * billing sync reads prices here to turn a Stripe subscription's items into a plan and add-ons.
 */
@Entity({ tableName: 'billing_price' })
@Check({ name: 'billing_price_one_owner', expression: '(plan_version_id is null) <> (add_on_id is null)' })
export class BillingPrice {
  [OptionalProps]?: 'planVersion' | 'addOn' | 'createdAt';

  /** Stripe's `price_…`. */
  @PrimaryKey({ type: 'string', length: 255 })
  priceId!: string;

  @ManyToOne(() => PlanVersion, { nullable: true, deleteRule: 'cascade' })
  planVersion: Rel<PlanVersion> | null = null;

  @ManyToOne(() => AddOn, { nullable: true, deleteRule: 'cascade' })
  addOn: Rel<AddOn> | null = null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
