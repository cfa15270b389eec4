import { Field, ObjectType } from 'type-graphql';
import type { BillingProviderIds } from './subscription.entity.js';

/** GraphQL: where a subscription lives in the billing provider, filled by Stripe webhooks. */
@ObjectType('BillingProviderIds', { description: 'The subscription\'s ids in Stripe; both null until Stripe events reach it.' })
export class BillingProviderIdsType {
  @Field(() => String, { nullable: true, description: 'Stripe\'s cus_… of the paying customer.' })
  stripeCustomerId!: string | null;

  @Field(() => String, { nullable: true, description: 'Stripe\'s sub_… this subscription mirrors.' })
  stripeSubscriptionId!: string | null;

  static from(ids: BillingProviderIds): BillingProviderIdsType {
    return Object.assign(new BillingProviderIdsType(), {
      stripeCustomerId: ids.stripeCustomerId ?? null,
      stripeSubscriptionId: ids.stripeSubscriptionId ?? null,
    });
  }
}
