import { randomUUID } from 'node:crypto';
import { BigIntType, OptionalProps, type Rel } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, OneToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { PlanVersion } from '../catalog/index.js';
import { SUBSCRIPTION_STATUSES, type SubscriptionStatus } from '../vocabulary/index.js';
import { Account } from './account.entity.js';

/** One purchased add-on on a subscription. */
export interface SubscriptionAddOnRecord {
  addOnKey: string;
  quantity: number;
}

/**
 * The subscription's ids in the billing provider. Round 2's Stripe integration fills and reads
 * them (webhooks map events to accounts by them; reconciliation compares by them).
 */
export interface BillingProviderIds {
  /** Stripe's `cus_…` id of the customer paying for this account. */
  stripeCustomerId?: string;
  /** Stripe's `sub_…` id of the subscription this one mirrors. */
  stripeSubscriptionId?: string;
}

/** Stripe's `pause_collection` as stored: how invoices are held, and until when (null: until resumed). */
export interface CollectionPauseRecord {
  behavior: 'keep_as_draft' | 'mark_uncollectible' | 'void';
  resumesAt: string | null;
}

/**
 * Storage: an account's one current subscription. Plan changes update it in place; the audit
 * log keeps every earlier state.
 */
@Entity({ tableName: 'subscription' })
// Plan migrations select by version: the legacy cohort is found without reading every subscription.
@Index({ properties: ['planVersion'] })
export class Subscription {
  [OptionalProps]?:
    | 'id'
    | 'trialEndsAt'
    | 'graceEndsAt'
    | 'convertedAt'
    | 'trialedPlanKeys'
    | 'addOns'
    | 'billingProviderIds'
    | 'cancelAtPeriodEnd'
    | 'canceledAt'
    | 'scheduledPlanVersion'
    | 'scheduledChangeAt'
    | 'pinned'
    | 'cancelAt'
    | 'collectionPause'
    | 'planQuantity'
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

  /** When a trial of this subscription turned into a paid one (a paid plan change, or the billing provider saying ACTIVE). */
  @Property({ type: 'datetime', nullable: true })
  convertedAt: Date | null = null;

  /** Keys of the plans this account has had a trial of: a trial is not restarted on the same plan unless an admin says so. */
  @Property({ type: 'json', defaultRaw: `'[]'` })
  trialedPlanKeys: string[] = [];

  @Property({ type: 'datetime' })
  currentPeriodStart!: Date;

  @Property({ type: 'datetime' })
  currentPeriodEnd!: Date;

  /** Canceled at the end of the current period: in force (phase CANCELING) until currentPeriodEnd, CANCELED from then. */
  @Property({ type: 'boolean', default: false })
  cancelAtPeriodEnd: boolean = false;

  /** When the cancellation was asked for (at once or at period end); null if it never was. */
  @Property({ type: 'datetime', nullable: true })
  canceledAt: Date | null = null;

  /**
   * A plan change waiting for the period to end (`changePlan(at: PERIOD_END)`). It applies at
   * `scheduledChangeAt` exactly: readers compute it at `now`, the next write stores it.
   */
  @ManyToOne(() => PlanVersion, { nullable: true })
  scheduledPlanVersion: Rel<PlanVersion> | null = null;

  @Property({ type: 'datetime', nullable: true })
  scheduledChangeAt: Date | null = null;

  /**
   * Pinned to its plan version (a negotiated contract, a lifetime-deal cohort): plan migrations
   * skip it unless they name the account. Set by `changePlan(pinned:)`; a plain changePlan keeps it.
   */
  @Property({ type: 'boolean', default: false })
  pinned: boolean = false;

  @Property({ type: 'json' })
  addOns: SubscriptionAddOnRecord[] = [];

  /** Where this subscription lives in the billing provider; empty until one is linked. */
  @Property({ type: 'json' })
  billingProviderIds: BillingProviderIds = {};

  /**
   * Canceled at this instant, which is not the end of a period (Stripe's `cancel_at` set to a
   * date): phase CANCELING until then, CANCELED from then. Null when none is set.
   */
  @Property({ type: 'datetime', nullable: true })
  cancelAt: Date | null = null;

  /**
   * Stripe's `pause_collection`: invoices are not collected (kept as drafts, voided or marked
   * uncollectible) until `resumesAt`. The status, and so access, stays what Stripe says.
   */
  @Property({ type: 'json', nullable: true })
  collectionPause: CollectionPauseRecord | null = null;

  /** The quantity of the billing provider's plan item: the seats of a per-seat price. Null when not billed so. */
  @Property({ type: new BigIntType('number'), nullable: true })
  planQuantity: number | null = null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

/** The entity's pending plan change in the evaluator's shape; null when none is scheduled. */
export function scheduledChangeOf(subscription: Subscription): { planVersionId: string; at: Date } | null {
  if (!subscription.scheduledPlanVersion || !subscription.scheduledChangeAt) return null;
  return { planVersionId: subscription.scheduledPlanVersion.id, at: subscription.scheduledChangeAt };
}
