import type { BillingInterval, PlanChangeTiming, ProrationBehavior } from '../vocabulary/index.js';

/**
 * A migration's filters resolved against the catalog: the preview, the frozen selection at start
 * and every batch select by exactly this, with the SQL below, so they cannot disagree.
 */
export interface Selection {
  planKey: string;
  /** The version numbers asked for; null = every version of the plan. */
  fromVersions: number[] | null;
  sourceVersionIds: string[];
  target: { id: string; planKey: string; version: number; interval: BillingInterval };
  /** Named accounts, sorted and without repeats; null = every account on the source versions. */
  accountIds: string[] | null;
  effective: PlanChangeTiming;
  /** For Stripe-billed accounts: Stripe's proration_behavior of each change. */
  prorationBehavior?: ProrationBehavior;
  /**
   * Whether Tollgate may write plan changes to Stripe (an API key is set). Without it, and for a
   * PERIOD_END migration (a Stripe subscription schedule, not Tollgate's), Stripe-billed accounts
   * are skipped as BILLING_MANAGED.
   */
  billingWritable?: boolean;
}

/** The values the SQL fragments below name, for `named()`. */
export function selectionValues(selection: Selection, now: Date): Record<string, unknown> {
  return {
    sources: selection.sourceVersionIds,
    target: selection.target.id,
    everyone: selection.accountIds === null,
    named: selection.accountIds ?? [],
    periodEnd: selection.effective === 'PERIOD_END',
    billingLocked: !selection.billingWritable || selection.effective === 'PERIOD_END',
    now,
  };
}

/** The subscriptions `s` a migration selects: on a source version, and named when accounts are named. */
export const SELECTED_SQL = `s.plan_version_id = any(array[:sources]::uuid[]) and (:everyone or s.account_id = any(array[:named]::text[]))`;

/**
 * Subscriptions `s` Stripe bills and that are in force: their plan is Stripe's price, changed in
 * Stripe (the runner's billed path) or not at all (BILLING_MANAGED).
 */
export const BILLED_SQL = `(s.billing_provider_ids->>'stripeSubscriptionId' is not null and s.status in ('TRIALING', 'ACTIVE', 'PAST_DUE'))`;

/**
 * What the migration does with subscription `s`: 'MOVE', or the reason it does not (a
 * PlanMigrationReason). The same rules at preview, at start and in each batch, where they are
 * checked again on the locked row, so a subscription changed since the start is not overwritten:
 * - on the target version, or scheduled to move to it: ALREADY_ON_TARGET (a second run finds nobody to move);
 * - moved off the source versions since the selection was frozen: PLAN_CHANGED (a failure);
 * - another plan change scheduled: CHANGE_SCHEDULED (the account's own choice comes first);
 * - pinned, unless the migration names its accounts: PINNED;
 * - at PERIOD_END, canceled at period end: CANCELING (applying the change at that instant would withdraw the cancellation);
 * - billed by Stripe while Tollgate may not write there (no key, or PERIOD_END): BILLING_MANAGED.
 */
export const VERDICT_SQL = `case
  when s.plan_version_id = :target then 'ALREADY_ON_TARGET'
  when s.plan_version_id <> all(array[:sources]::uuid[]) then 'PLAN_CHANGED'
  when s.scheduled_plan_version_id = :target then 'ALREADY_ON_TARGET'
  when s.scheduled_plan_version_id is not null then 'CHANGE_SCHEDULED'
  when s.pinned and :everyone then 'PINNED'
  when :periodEnd and s.cancel_at_period_end then 'CANCELING'
  when :billingLocked and ${BILLED_SQL} then 'BILLING_MANAGED'
  else 'MOVE'
end`;

/**
 * Subscriptions that pay now and so count in the monthly revenue change: ACTIVE, or PAST_DUE
 * within its grace, and not canceled at period end. Trials, canceled and expired ones pay nothing.
 */
export const PAYING_SQL = `not s.cancel_at_period_end and (s.status = 'ACTIVE' or (s.status = 'PAST_DUE' and (s.grace_ends_at is null or s.grace_ends_at > :now)))`;

/** Cursors of this domain's connections: the account id of the last row of a page, opaque to callers. */
export function encodeAccountCursor(accountId: string): string {
  return Buffer.from(`account:${accountId}`).toString('base64url');
}

/** The account id a cursor holds, or null when it is not one of ours. */
export function decodeAccountCursor(cursor: string): string | null {
  const decoded = Buffer.from(cursor, 'base64url').toString();
  const match = /^account:([\x21-\x7e]{1,128})$/.exec(decoded);
  return match ? match[1]! : null;
}
