import { registerEnumType } from 'type-graphql';
import {
  BILLING_INTERVALS,
  enumObject,
  FEATURE_KINDS,
  OVERAGES,
  PLAN_VERSION_STATUSES,
  USAGE_PERIODS,
} from '../vocabulary/index.js';

/** GraphQL enums of the catalog, derived from the vocabulary; descriptions show in the schema. */
export const FeatureKind = enumObject(FEATURE_KINDS);
export const UsagePeriod = enumObject(USAGE_PERIODS);
export const Overage = enumObject(OVERAGES);
export const BillingInterval = enumObject(BILLING_INTERVALS);
export const PlanVersionStatus = enumObject(PLAN_VERSION_STATUSES);

registerEnumType(FeatureKind, {
  name: 'FeatureKind',
  description: 'How a feature is limited.',
  valuesConfig: {
    SWITCH: { description: 'On or off (export_csv, sso).' },
    QUANTITY: { description: 'A cap on something the account holds (seats, projects); a gauge.' },
    METERED: { description: 'Usage that accumulates in a period and resets (api_calls per month).' },
  },
});
registerEnumType(UsagePeriod, {
  name: 'UsagePeriod',
  description: 'When metered usage resets. UTC calendar-aligned, or aligned to the billing period.',
});
registerEnumType(Overage, {
  name: 'Overage',
  description: 'What happens at the limit: BLOCK refuses, ALLOW records past it.',
});
registerEnumType(BillingInterval, { name: 'BillingInterval', description: 'How often a price is charged.' });
registerEnumType(PlanVersionStatus, {
  name: 'PlanVersionStatus',
  description: 'DRAFT can change; PUBLISHED is immutable and assignable; RETIRED keeps its accounts but takes no new ones.',
});
