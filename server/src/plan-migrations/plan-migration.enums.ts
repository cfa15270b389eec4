import { registerEnumType } from 'type-graphql';
import { enumObject, PLAN_MIGRATION_OUTCOMES, PLAN_MIGRATION_REASONS, PLAN_MIGRATION_STATUSES } from '../vocabulary/index.js';

/** GraphQL enums of plan migrations, derived from the vocabulary; descriptions show in the schema. */
export const PlanMigrationStatus = enumObject(PLAN_MIGRATION_STATUSES);
export const PlanMigrationOutcome = enumObject(PLAN_MIGRATION_OUTCOMES);
export const PlanMigrationReason = enumObject(PLAN_MIGRATION_REASONS);

registerEnumType(PlanMigrationStatus, {
  name: 'PlanMigrationStatus',
  description: 'Where a plan migration is.',
  valuesConfig: {
    RUNNING: { description: 'Moving accounts in batches; after a crash, until a server resumes it (every server start does).' },
    COMPLETED: { description: 'Every selected account was migrated, skipped or failed.' },
    FAILED: { description: 'Stopped on an error (see `error`); startPlanMigration with the same input resumes it where it stopped.' },
  },
});
registerEnumType(PlanMigrationOutcome, {
  name: 'PlanMigrationOutcome',
  description: 'What a plan migration did with one selected account.',
  valuesConfig: {
    PENDING: { description: 'Not reached yet.' },
    MIGRATED: { description: 'Moved to the target version (effective NOW), or scheduled to move at its period end (PERIOD_END).' },
    SKIPPED: { description: 'Left alone by a rule; `reason` says which.' },
    FAILED: { description: 'Its subscription was no longer what the selection saw; `reason` says what changed.' },
  },
});
registerEnumType(PlanMigrationReason, {
  name: 'PlanMigrationReason',
  description: 'Why a selected account was not migrated.',
  valuesConfig: {
    PINNED: { description: 'Pinned to its version (changePlan pinned: true) and not named in accountIds.' },
    ALREADY_ON_TARGET: { description: 'Already on the target version, or scheduled to move to it.' },
    CHANGE_SCHEDULED: { description: 'Another plan change is scheduled for its period end; the account\'s own change comes first.' },
    CANCELING: { description: 'Canceled at period end, and the migration is effective PERIOD_END: the subscription ends then.' },
    PLAN_CHANGED: { description: 'Moved off the source versions after the migration started (a failure).' },
    NO_SUBSCRIPTION: { description: 'It no longer has a subscription (a failure).' },
    BILLING_MANAGED: { description: 'Stripe bills it and Tollgate cannot change its price there (no STRIPE_API_KEY with write access, or an effective PERIOD_END, which is Stripe\'s own schedule): change it in Stripe.' },
    BILLING_FAILED: { description: 'Stripe refused or kept failing the price change (a failure); the account stays where it was.' },
  },
});
