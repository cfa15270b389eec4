/** When metered usage resets; NEVER for gauges. UTC calendar-aligned, or the billing period. */
export const USAGE_PERIODS = ['HOUR', 'DAY', 'WEEK', 'MONTH', 'YEAR', 'BILLING_PERIOD', 'NEVER'] as const;

/** When metered usage resets. */
export type UsagePeriod = (typeof USAGE_PERIODS)[number];
