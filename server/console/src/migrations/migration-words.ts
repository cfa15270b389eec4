import type { PlanMigrationOutcome, PlanMigrationReason, PlanMigrationStatus } from '../generated/graphql.js';

/** Why an account was skipped or failed, in a sentence a pricing person reads. */
export const REASON_WORDS: Record<PlanMigrationReason, string> = {
  PINNED: 'Pinned to its version (name it to move it anyway)',
  ALREADY_ON_TARGET: 'Already on the target version',
  CHANGE_SCHEDULED: 'Another plan change is scheduled for its period end',
  CANCELING: 'Canceled at period end',
  PLAN_CHANGED: 'Its plan changed since the selection',
  NO_SUBSCRIPTION: 'No subscription any more',
  BILLING_MANAGED: 'Billed by Stripe and Tollgate cannot change it there',
  BILLING_FAILED: 'Stripe refused the change',
};

/** A migration's status as a badge. */
export const STATUS_BADGE: Record<PlanMigrationStatus, { tone: 'ok' | 'bad' | 'info'; words: string }> = {
  RUNNING: { tone: 'info', words: 'Running' },
  COMPLETED: { tone: 'ok', words: 'Completed' },
  FAILED: { tone: 'bad', words: 'Stopped' },
};

/** An account's outcome as a badge. */
export const OUTCOME_BADGE: Record<PlanMigrationOutcome, { tone: 'ok' | 'bad' | 'warn' | 'neutral'; words: string }> = {
  PENDING: { tone: 'neutral', words: 'Waiting' },
  MIGRATED: { tone: 'ok', words: 'Moved' },
  SKIPPED: { tone: 'warn', words: 'Skipped' },
  FAILED: { tone: 'bad', words: 'Failed' },
};

/** "pro v1, v2 → pro v3". */
export function routeWords(migration: { plan: string; fromVersions: number[] | null; toPlan: string; toVersion: number }): string {
  const from = migration.fromVersions?.length ? migration.fromVersions.map((version) => `v${version}`).join(', ') : 'every version';
  return `${migration.plan} ${from} → ${migration.toPlan} v${migration.toVersion}`;
}
