import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Quantity } from '../validation/index.js';
import { PlanVersionType } from '../catalog/index.js';
import { renewedAt, subscriptionPhase } from '../entitlements/index.js';
import { BillingProviderIdsType } from './billing-provider-ids.type.js';
import { ScheduledPlanChangeType } from './scheduled-change.type.js';
import { SubscriptionPhase } from './subscription-phase.enum.js';
import { SubscriptionStatus } from './subscription-status.enum.js';
import type { Subscription } from './subscription.entity.js';

/** GraphQL: Stripe's pause_collection on a subscription. */
@ObjectType('CollectionPause')
export class CollectionPauseType {
  @Field(() => String, { description: 'What Stripe does with invoices meanwhile: keep_as_draft, mark_uncollectible or void.' })
  behavior!: string;

  @Field(() => Date, { nullable: true, description: 'When collection resumes by itself; null until it is resumed.' })
  resumesAt!: Date | null;
}

/** GraphQL: one purchased add-on. */
@ObjectType('SubscriptionAddOn')
export class SubscriptionAddOnType {
  @Field(() => String, { description: 'The add-on key.' })
  addOn!: string;

  @Field(() => Int)
  quantity!: number;
}

/** GraphQL: an account's current subscription. Named AccountSubscription: GraphQL's root subscription type is `Subscription`. */
@ObjectType('AccountSubscription')
export class SubscriptionType {
  @Field(() => ID)
  id!: string;

  @Field(() => SubscriptionStatus)
  status!: keyof typeof SubscriptionStatus;

  @Field(() => SubscriptionPhase, { description: 'Where the subscription is in its life right now (computed from status and timestamps).' })
  phase!: keyof typeof SubscriptionPhase;

  @Field(() => String, { description: 'The plan key.' })
  plan!: string;

  @Field(() => PlanVersionType, { description: 'The version the account is on; kept when newer versions are published.' })
  planVersion!: PlanVersionType;

  @Field(() => Date, { nullable: true })
  trialEndsAt!: Date | null;

  @Field(() => Date, { nullable: true })
  graceEndsAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When a trial turned into a paid subscription; null if it never did.' })
  convertedAt!: Date | null;

  @Field(() => Date)
  currentPeriodStart!: Date;

  @Field(() => Date)
  currentPeriodEnd!: Date;

  @Field(() => [SubscriptionAddOnType])
  addOns!: SubscriptionAddOnType[];

  @Field(() => Boolean, { description: 'Canceled at the end of the period: phase CANCELING, the plan applies until currentPeriodEnd.' })
  cancelAtPeriodEnd!: boolean;

  @Field(() => Date, { nullable: true, description: 'When the cancellation was asked for; null if it never was.' })
  canceledAt!: Date | null;

  @Field(() => Boolean, { description: 'Pinned to its plan version: plan migrations skip it unless they name the account (changePlan pinned).' })
  pinned!: boolean;

  @Field(() => ScheduledPlanChangeType, {
    nullable: true,
    description: 'A plan change waiting for the end of the period (changePlan at: PERIOD_END); it takes effect at `at` by itself.',
  })
  scheduledChange!: ScheduledPlanChangeType | null;

  @Field(() => BillingProviderIdsType, { description: 'Where this subscription lives in Stripe, once Stripe events have reached it.' })
  billingProviderIds!: BillingProviderIdsType;

  @Field(() => Date, { nullable: true, description: 'Canceled at this instant, which is not a period end (Stripe\'s cancel_at): phase CANCELING until then.' })
  cancelAt!: Date | null;

  @Field(() => CollectionPauseType, {
    nullable: true,
    description: 'Stripe\'s pause_collection: invoices are not collected until resumesAt; access follows the status, which Stripe keeps.',
  })
  collectionPause!: CollectionPauseType | null;

  @Field(() => Quantity, { nullable: true, description: 'The quantity of the plan item in Stripe: the seats of a per-seat price (PlanVersion.quantityFeature).' })
  planQuantity!: number | null;

  /** Needs `planVersion`, its `plan` and `entitlements`, and `scheduledPlanVersion` with its `plan` loaded. */
  static from(subscription: Subscription, now: Date): SubscriptionType {
    // A Tollgate-only subscription renews its period by itself: shown as the evaluator counts it.
    const period = renewedAt({
      planVersionId: subscription.planVersion.id,
      status: subscription.status,
      currentPeriodStart: subscription.currentPeriodStart,
      currentPeriodEnd: subscription.currentPeriodEnd,
      cancelAtPeriodEnd: subscription.cancelAtPeriodEnd,
      billedByProvider: !!subscription.billingProviderIds?.stripeSubscriptionId,
    }, () => subscription.planVersion.interval, now);
    return Object.assign(new SubscriptionType(), {
      id: subscription.id,
      status: subscription.status,
      phase: subscriptionPhase(subscription, subscription.planVersion.trialGraceDays, now).phase,
      plan: subscription.planVersion.plan.key,
      planVersion: PlanVersionType.from(subscription.planVersion),
      trialEndsAt: subscription.trialEndsAt,
      graceEndsAt: subscription.graceEndsAt,
      convertedAt: subscription.convertedAt,
      currentPeriodStart: period.currentPeriodStart!,
      currentPeriodEnd: period.currentPeriodEnd!,
      addOns: subscription.addOns.map((addOn) =>
        Object.assign(new SubscriptionAddOnType(), { addOn: addOn.addOnKey, quantity: addOn.quantity }),
      ),
      cancelAtPeriodEnd: subscription.cancelAtPeriodEnd,
      canceledAt: subscription.canceledAt,
      pinned: subscription.pinned,
      scheduledChange:
        subscription.scheduledPlanVersion && subscription.scheduledChangeAt
          ? ScheduledPlanChangeType.of(
              {
                planKey: subscription.scheduledPlanVersion.plan.key,
                version: subscription.scheduledPlanVersion.version,
                planName: subscription.scheduledPlanVersion.plan.name,
              },
              subscription.scheduledChangeAt,
            )
          : null,
      billingProviderIds: BillingProviderIdsType.from(subscription.billingProviderIds ?? {}),
      cancelAt: subscription.cancelAt ?? null,
      collectionPause: subscription.collectionPause
        ? Object.assign(new CollectionPauseType(), {
            behavior: subscription.collectionPause.behavior,
            resumesAt: subscription.collectionPause.resumesAt ? new Date(subscription.collectionPause.resumesAt) : null,
          })
        : null,
      planQuantity: subscription.planQuantity === null || subscription.planQuantity === undefined ? null : Number(subscription.planQuantity),
    });
  }
}
