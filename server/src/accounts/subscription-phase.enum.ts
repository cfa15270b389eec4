import { registerEnumType } from 'type-graphql';
import { enumObject, SUBSCRIPTION_PHASES } from '../vocabulary/index.js';

/** GraphQL enum of where a subscription is in its life, derived from the vocabulary. */
export const SubscriptionPhase = enumObject(SUBSCRIPTION_PHASES);

registerEnumType(SubscriptionPhase, {
  name: 'SubscriptionPhase',
  description: 'Computed at the moment it is read from the status and timestamps, so it is right without a background job.',
  valuesConfig: {
    TRIAL: { description: 'A trial, until trialEndsAt: the plan applies.' },
    TRIAL_GRACE: { description: 'After the trial, for the plan version\'s trialGraceDays: the plan still applies (reason TRIAL_GRACE).' },
    ACTIVE: { description: 'Paid and in force.' },
    PAST_DUE: { description: 'A payment failed; the plan applies until graceEndsAt.' },
    CANCELING: { description: 'Canceled at the end of the period (or at cancelAt): the plan applies until then.' },
    EXPIRED: { description: 'The trial, its grace or the past-due grace ended: the default plan applies.' },
    CANCELED: { description: 'Canceled: the default plan applies.' },
    PAUSED: { description: 'Paused by Stripe (a trial ended without a payment method): the default plan applies until it resumes.' },
  },
});
