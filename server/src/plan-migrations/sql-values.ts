import type { SubscriptionState } from '../entitlements/index.js';
import type { SubscriptionStatus } from '../vocabulary/index.js';

/**
 * A timestamp as a raw query returns it: the ORM leaves `timestamptz` columns as PostgreSQL's
 * text ('2026-03-10 12:00:00.123+00'), which `Date` does not parse everywhere. ISO 8601 it is.
 */
export function timestamp(value: string | Date): Date;
export function timestamp(value: string | Date | null): Date | null;
export function timestamp(value: string | Date | null): Date | null {
  if (value === null || value instanceof Date) return value;
  const date = new Date(value.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'));
  if (Number.isNaN(date.getTime())) throw new Error(`not a PostgreSQL timestamp: "${value}"`);
  return date;
}

/** The subscription columns both a preview page and a migration batch read, as a raw query returns them. */
export interface SubscriptionColumns {
  account_id: string;
  plan_version_id: string;
  status: SubscriptionStatus;
  trial_ends_at: string | null;
  grace_ends_at: string | null;
  current_period_start: string;
  current_period_end: string;
  add_ons: { addOnKey: string; quantity: number }[];
  cancel_at_period_end: boolean;
  scheduled_plan_version_id: string | null;
  scheduled_change_at: string | null;
}

/** Those columns in the evaluator's shape. */
export function subscriptionState(row: SubscriptionColumns): SubscriptionState {
  return {
    planVersionId: row.plan_version_id,
    status: row.status,
    trialEndsAt: timestamp(row.trial_ends_at),
    graceEndsAt: timestamp(row.grace_ends_at),
    currentPeriodStart: timestamp(row.current_period_start),
    currentPeriodEnd: timestamp(row.current_period_end),
    addOns: row.add_ons,
    cancelAtPeriodEnd: row.cancel_at_period_end,
    scheduledChange: row.scheduled_plan_version_id && row.scheduled_change_at
      ? { planVersionId: row.scheduled_plan_version_id, at: timestamp(row.scheduled_change_at) }
      : null,
  };
}
