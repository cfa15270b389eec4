import { registerEnumType } from 'type-graphql';
import { enumObject, SUBSCRIPTION_STATUSES } from '../vocabulary/index.js';

/** GraphQL enum of a subscription's state, derived from the vocabulary. */
export const SubscriptionStatus = enumObject(SUBSCRIPTION_STATUSES);

registerEnumType(SubscriptionStatus, {
  name: 'SubscriptionStatus',
  description: 'TRIALING until trialEndsAt; PAST_DUE keeps access until graceEndsAt; CANCELED, EXPIRED and PAUSED (Stripe\'s paused: a trial ended without a payment method) fall back to the default plan.',
});
