import { randomUUID } from 'node:crypto';
import { Collection, OptionalProps, type Rel } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, OneToMany, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Plan } from './plan.entity.js';
import { PlanEntitlement } from './plan-entitlement.entity.js';
import { BILLING_INTERVALS, PLAN_VERSION_STATUSES, type BillingInterval, type PlanVersionStatus } from '../vocabulary/index.js';

export type { BillingInterval, PlanVersionStatus };

/** Storage: one version of a plan. Once published its row and its entitlements never change. */
@Entity({ tableName: 'plan_version' })
@Unique({ properties: ['plan', 'version'] })
export class PlanVersion {
  [OptionalProps]?: 'id' | 'status' | 'trialDays' | 'trialGraceDays' | 'pastDueGraceDays' | 'billingPriceIds' | 'quantityFeatureKey' | 'createdAt' | 'publishedAt' | 'entitlements';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Plan)
  plan!: Rel<Plan>;

  @Property({ type: 'integer' })
  version!: number;

  @Enum({ items: [...PLAN_VERSION_STATUSES], nativeEnumName: 'plan_version_status' })
  status: PlanVersionStatus = 'DRAFT';

  /** Integer minor units (cents), never a float. */
  @Property({ type: 'integer' })
  priceAmount!: number;

  @Property({ type: 'string', length: 3 })
  priceCurrency!: string;

  @Enum({ items: [...BILLING_INTERVALS], nativeEnumName: 'billing_interval' })
  interval!: BillingInterval;

  @Property({ type: 'integer' })
  trialDays: number = 0;

  /** Days after a trial ends during which its plan still applies (phase TRIAL_GRACE). */
  @Property({ type: 'integer', default: 0 })
  trialGraceDays: number = 0;

  /** Days a PAST_DUE subscription on this version keeps its plan; null = the server's default (TOLLGATE_PAST_DUE_GRACE_DAYS). */
  @Property({ type: 'integer', nullable: true })
  pastDueGraceDays: number | null = null;

  /** The billing provider's prices of this version, as listed (unique across the catalog through `billing_price`). */
  @Property({ type: 'json', defaultRaw: `'[]'` })
  billingPriceIds: string[] = [];

  /** A per-seat price: this QUANTITY feature's limit is the subscription's plan item quantity. Null = none. */
  @Property({ type: 'string', length: 64, nullable: true })
  quantityFeatureKey: string | null = null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  publishedAt: Date | null = null;

  @OneToMany(() => PlanEntitlement, (entitlement) => entitlement.planVersion, {
    orderBy: { featureKey: 'asc' },
  })
  entitlements = new Collection<PlanEntitlement>(this);
}
