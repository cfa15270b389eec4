/** When a plan change takes effect: at once, or at the end of the current billing period. */
export const PLAN_CHANGE_TIMINGS = ['NOW', 'PERIOD_END'] as const;

/** When a plan change takes effect. */
export type PlanChangeTiming = (typeof PLAN_CHANGE_TIMINGS)[number];
