import { registerEnumType } from 'type-graphql';

/** GraphQL enum of a subscription's state. */
export const SubscriptionStatus = {
  TRIALING: 'TRIALING',
  ACTIVE: 'ACTIVE',
  PAST_DUE: 'PAST_DUE',
  CANCELED: 'CANCELED',
  EXPIRED: 'EXPIRED',
} as const;

registerEnumType(SubscriptionStatus, {
  name: 'SubscriptionStatus',
  description: 'TRIALING until trialEndsAt; PAST_DUE keeps access until graceEndsAt; CANCELED and EXPIRED fall back to the default plan.',
});
