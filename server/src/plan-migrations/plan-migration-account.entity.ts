import { OptionalProps, type Rel } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import {
  PLAN_MIGRATION_OUTCOMES,
  PLAN_MIGRATION_REASONS,
  type PlanMigrationOutcome,
  type PlanMigrationReason,
} from '../vocabulary/index.js';
import { PlanMigration } from './plan-migration.entity.js';

/**
 * Storage: one account a plan migration selected, frozen at start, and what the migration did to
 * it. A batch claims PENDING rows and settles them in the same transaction as the subscriptions
 * it changes, so after a crash exactly the unsettled accounts remain, and none is moved twice.
 */
@Entity({ tableName: 'plan_migration_account' })
@Index({
  name: 'plan_migration_account_pending_index',
  expression: `create index "plan_migration_account_pending_index" on "plan_migration_account" ("migration_id", "account_id") where "outcome" = 'PENDING'`,
})
export class PlanMigrationAccount {
  [OptionalProps]?: 'outcome' | 'reason' | 'settledAt';

  @ManyToOne(() => PlanMigration, { primary: true, deleteRule: 'cascade' })
  migration!: Rel<PlanMigration>;

  @PrimaryKey({ type: 'string', length: 128 })
  accountId!: string;

  /** The version the account was on when the selection was frozen. */
  @Property({ type: 'uuid' })
  fromPlanVersionId!: string;

  @Enum({ items: [...PLAN_MIGRATION_OUTCOMES], nativeEnumName: 'plan_migration_outcome' })
  outcome: PlanMigrationOutcome = 'PENDING';

  /** Why it was skipped or failed; null when migrated or pending. */
  @Enum({ items: [...PLAN_MIGRATION_REASONS], nativeEnumName: 'plan_migration_reason', nullable: true })
  reason: PlanMigrationReason | null = null;

  @Property({ type: 'datetime', nullable: true })
  settledAt: Date | null = null;
}
