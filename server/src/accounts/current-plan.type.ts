import { Field, ID, Int, ObjectType } from 'type-graphql';
import { BillingInterval, MoneyType } from '../catalog/index.js';
import { planInForce, type AccountState, type CatalogPlanVersion, type CatalogSnapshot, type SubscriptionState } from '../entitlements/index.js';
import { ScheduledPlanChangeType } from './scheduled-change.type.js';
import { SubscriptionPhase } from './subscription-phase.enum.js';
import { SubscriptionStatus } from './subscription-status.enum.js';

/** GraphQL: a plan version in a few words, for a badge. */
@ObjectType('PlanSummary', { description: 'A plan version in a few words: what a plan badge shows.' })
export class PlanSummaryType {
  @Field(() => String, { description: 'The plan key.' })
  key!: string;

  @Field(() => String)
  name!: string;

  @Field(() => Int)
  version!: number;

  @Field(() => MoneyType)
  price!: MoneyType;

  @Field(() => BillingInterval)
  interval!: keyof typeof BillingInterval;

  static from(version: CatalogPlanVersion): PlanSummaryType {
    return Object.assign(new PlanSummaryType(), {
      key: version.planKey,
      name: version.planName,
      version: version.version,
      price: MoneyType.from({ amount: version.priceAmount, currency: version.priceCurrency }),
      interval: version.interval,
    });
  }
}

/** GraphQL: one purchased add-on, named. */
@ObjectType('CurrentAddOn')
export class CurrentAddOnType {
  @Field(() => String, { description: 'The add-on key.' })
  key!: string;

  @Field(() => String)
  name!: string;

  @Field(() => Int)
  quantity!: number;
}

/** GraphQL: the account's subscription as its own browser may see it. */
@ObjectType('CurrentSubscription', {
  description: 'The account\'s subscription as the account itself may see it: no billing ids, no overrides.',
})
export class CurrentSubscriptionType {
  @Field(() => PlanSummaryType, { description: 'The subscribed version, kept when newer ones are published, and even when no longer in force.' })
  plan!: PlanSummaryType;

  @Field(() => SubscriptionStatus)
  status!: keyof typeof SubscriptionStatus;

  @Field(() => SubscriptionPhase, { description: 'Where the subscription is in its life right now.' })
  phase!: keyof typeof SubscriptionPhase;

  @Field(() => Boolean, {
    description: 'Whether its plan applies now: ACTIVE, a trial or its grace, PAST_DUE within graceEndsAt, CANCELING until the period ends. When false the account has the default plan.',
  })
  inForce!: boolean;

  @Field(() => Date, { nullable: true })
  trialEndsAt!: Date | null;

  @Field(() => Date, { nullable: true })
  graceEndsAt!: Date | null;

  @Field(() => Date, { nullable: true })
  currentPeriodStart!: Date | null;

  @Field(() => Date, { nullable: true })
  currentPeriodEnd!: Date | null;

  @Field(() => [CurrentAddOnType])
  addOns!: CurrentAddOnType[];

  @Field(() => Boolean, { description: 'Canceled at the end of the period (phase CANCELING): the plan applies until currentPeriodEnd.' })
  cancelAtPeriodEnd!: boolean;

  @Field(() => ScheduledPlanChangeType, { nullable: true, description: 'A plan change waiting for the end of the period; null when none is.' })
  scheduledChange!: ScheduledPlanChangeType | null;
}

/**
 * GraphQL: which plan an account is on, read from the same inputs as its entitlement decisions,
 * so a badge and a paywall never disagree. Readable by the account's own client token.
 */
@ObjectType('CurrentPlan', {
  description: 'Which plan an account is on now, for a plan badge or a pricing table; readable by the account\'s client token.',
})
export class CurrentPlanType {
  @Field(() => ID)
  accountId!: string;

  @Field(() => PlanSummaryType, {
    nullable: true,
    description: 'The plan whose entitlements apply now (Entitlement.plan): the subscription\'s while in force, else the default plan. null: neither.',
  })
  plan!: PlanSummaryType | null;

  @Field(() => Boolean, { description: 'true when `plan` is the default plan because no subscription is in force.' })
  onDefaultPlan!: boolean;

  @Field(() => CurrentSubscriptionType, { nullable: true, description: 'null: the account has never subscribed.' })
  subscription!: CurrentSubscriptionType | null;

  static from(catalog: CatalogSnapshot, account: AccountState, now: Date): CurrentPlanType {
    const inForce = planInForce(catalog, account, now);
    const subscription = inForce.subscription;
    const subscribed = subscription ? catalog.planVersions.get(subscription.planVersionId) : undefined;
    if (subscription && !subscribed) {
      throw new Error(`currentPlan: plan version ${subscription.planVersionId} of account "${account.accountId}" is not in the catalog snapshot`);
    }
    return Object.assign(new CurrentPlanType(), {
      accountId: account.accountId,
      plan: inForce.planVersion ? PlanSummaryType.from(inForce.planVersion) : null,
      onDefaultPlan: inForce.planVersion !== null && !inForce.subscriptionInForce,
      subscription:
        subscription && subscribed
          ? Object.assign(new CurrentSubscriptionType(), {
              plan: PlanSummaryType.from(subscribed),
              status: subscription.status,
              phase: inForce.phase!.phase,
              inForce: inForce.subscriptionInForce,
              trialEndsAt: subscription.trialEndsAt,
              graceEndsAt: subscription.graceEndsAt,
              currentPeriodStart: subscription.currentPeriodStart,
              currentPeriodEnd: subscription.currentPeriodEnd,
              addOns: subscription.addOns
                .filter((addOn) => addOn.quantity > 0)
                .map((addOn) =>
                  Object.assign(new CurrentAddOnType(), {
                    key: addOn.addOnKey,
                    name: catalog.addOns.get(addOn.addOnKey)?.name ?? addOn.addOnKey,
                    quantity: addOn.quantity,
                  }),
                ),
              cancelAtPeriodEnd: subscription.cancelAtPeriodEnd ?? false,
              scheduledChange: scheduledChangeOf(catalog, subscription),
            })
          : null,
    });
  }
}

function scheduledChangeOf(catalog: CatalogSnapshot, subscription: SubscriptionState): ScheduledPlanChangeType | null {
  const change = subscription.scheduledChange;
  const version = change ? catalog.planVersions.get(change.planVersionId) : undefined;
  return change && version ? ScheduledPlanChangeType.of(version, change.at) : null;
}
