import { registerEnumType } from 'type-graphql';
import { enumObject, PLAN_CHANGE_TIMINGS } from '../vocabulary/index.js';

/** GraphQL enum of when a plan change takes effect, derived from the vocabulary. */
export const PlanChangeTiming = enumObject(PLAN_CHANGE_TIMINGS);

registerEnumType(PlanChangeTiming, {
  name: 'PlanChangeTiming',
  description: 'When changePlan takes effect.',
  valuesConfig: {
    NOW: { description: 'At once. The billing period is kept when the interval stays the same, so metered usage of the period is kept too.' },
    PERIOD_END: { description: 'At the end of the current period (subscription.scheduledChange until then): the usual way to downgrade.' },
  },
});
