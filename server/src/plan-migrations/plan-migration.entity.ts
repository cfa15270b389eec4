import { randomUUID } from 'node:crypto';
import { OptionalProps, type Rel } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { PlanVersion } from '../catalog/plan-version.entity.js';
import {
  PLAN_CHANGE_TIMINGS,
  PLAN_MIGRATION_STATUSES,
  type PlanChangeTiming,
  type PlanMigrationStatus,
} from '../vocabulary/index.js';

/**
 * Storage: one run of `startPlanMigration`, its input, who started it and why, and its counters.
 * The selection itself is frozen in `plan_migration_account` at start. At most one migration per
 * input is open (RUNNING or FAILED): starting the same input again resumes it instead of
 * selecting anew.
 */
@Entity({ tableName: 'plan_migration' })
@Index({
  name: 'plan_migration_open_input_key_unique',
  expression: `create unique index "plan_migration_open_input_key_unique" on "plan_migration" ("input_key") where "status" <> 'COMPLETED'`,
})
export class PlanMigration {
  [OptionalProps]?: 'prorationBehavior' | 'id' | 'status' | 'fromVersions' | 'accountIds' | 'migrated' | 'skipped' | 'failed' | 'error' | 'finishedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Enum({ items: [...PLAN_MIGRATION_STATUSES], nativeEnumName: 'plan_migration_status' })
  status: PlanMigrationStatus = 'RUNNING';

  /** SHA-256 of the normalised input: how a second start of the same input finds this one. */
  @Property({ type: 'string', length: 64 })
  inputKey!: string;

  /** The plan whose accounts move. */
  @Property({ type: 'string', length: 64 })
  planKey!: string;

  /** The source versions asked for; null = every version of the plan. */
  @Property({ type: 'json', nullable: true })
  fromVersions: number[] | null = null;

  /** The source versions resolved at start: batches move only accounts still on one of them. */
  @Property({ type: 'json' })
  sourceVersionIds!: string[];

  @ManyToOne(() => PlanVersion)
  toPlanVersion!: Rel<PlanVersion>;

  /** The accounts named; null = every account on the source versions. Named accounts are moved even when pinned. */
  @Property({ type: 'json', nullable: true })
  accountIds: string[] | null = null;

  @Enum({ items: [...PLAN_CHANGE_TIMINGS], nativeEnumName: 'plan_change_timing' })
  effective!: PlanChangeTiming;

  /** For Stripe-billed accounts: Stripe's proration_behavior of each plan change; null = CREATE_PRORATIONS. */
  @Property({ type: 'string', length: 32, nullable: true })
  prorationBehavior: string | null = null;

  @Property({ type: 'text' })
  reason!: string;

  /** The API key that started it; the audit entries of every account name it too. */
  @Property({ type: 'string', length: 200 })
  actor!: string;

  /** Accounts selected at start. */
  @Property({ type: 'integer' })
  total!: number;

  @Property({ type: 'integer', default: 0 })
  migrated: number = 0;

  @Property({ type: 'integer', default: 0 })
  skipped: number = 0;

  @Property({ type: 'integer', default: 0 })
  failed: number = 0;

  /** Why it stopped, when FAILED. */
  @Property({ type: 'text', nullable: true })
  error: string | null = null;

  @Property({ type: 'datetime' })
  startedAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  finishedAt: Date | null = null;
}
