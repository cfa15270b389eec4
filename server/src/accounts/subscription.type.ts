import { Field, ID, Int, ObjectType } from 'type-graphql';
import { PlanVersionType } from '../catalog/index.js';
import { subscriptionPhase } from '../entitlements/index.js';
import { BillingProviderIdsType } from './billing-provider-ids.type.js';
import { ScheduledPlanChangeType } from './scheduled-change.type.js';
import { SubscriptionPhase } from './subscription-phase.enum.js';
import { SubscriptionStatus } from './subscription-status.enum.js';
import type { Subscription } from './subscription.entity.js';

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

  /** Needs `planVersion`, its `plan` and `entitlements`, and `scheduledPlanVersion` with its `plan` loaded. */
  static from(subscription: Subscription, now: Date): SubscriptionType {
    return Object.assign(new SubscriptionType(), {
      id: subscription.id,
      status: subscription.status,
      phase: subscriptionPhase(subscription, subscription.planVersion.trialGraceDays, now).phase,
      plan: subscription.planVersion.plan.key,
      planVersion: PlanVersionType.from(subscription.planVersion),
      trialEndsAt: subscription.trialEndsAt,
      graceEndsAt: subscription.graceEndsAt,
      convertedAt: subscription.convertedAt,
      currentPeriodStart: subscription.currentPeriodStart,
      currentPeriodEnd: subscription.currentPeriodEnd,
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
    });
  }
}
