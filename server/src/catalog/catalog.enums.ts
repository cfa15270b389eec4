import { registerEnumType } from 'type-graphql';

/** GraphQL enums of the catalog. Values are the contract; descriptions show in the schema. */
export const FeatureKind = { SWITCH: 'SWITCH', QUANTITY: 'QUANTITY', METERED: 'METERED' } as const;
export const UsagePeriod = {
  HOUR: 'HOUR',
  DAY: 'DAY',
  WEEK: 'WEEK',
  MONTH: 'MONTH',
  YEAR: 'YEAR',
  BILLING_PERIOD: 'BILLING_PERIOD',
  NEVER: 'NEVER',
} as const;
export const Overage = { BLOCK: 'BLOCK', ALLOW: 'ALLOW' } as const;
export const BillingInterval = { MONTH: 'MONTH', YEAR: 'YEAR' } as const;
export const PlanVersionStatus = { DRAFT: 'DRAFT', PUBLISHED: 'PUBLISHED', RETIRED: 'RETIRED' } as const;

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
