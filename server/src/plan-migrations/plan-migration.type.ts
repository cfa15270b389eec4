import { Field, ID, Int, ObjectType } from 'type-graphql';
import { PlanChangeTiming } from '../accounts/index.js';
import { PlanMigrationStatus } from './plan-migration.enums.js';
import type { PlanMigration } from './plan-migration.entity.js';

/** GraphQL: one run of startPlanMigration and its progress. Its `accounts` list is resolved by PlanMigrationsResolver. */
@ObjectType('PlanMigration')
export class PlanMigrationType {
  @Field(() => ID)
  id!: string;

  @Field(() => PlanMigrationStatus)
  status!: keyof typeof PlanMigrationStatus;

  @Field(() => String)
  plan!: string;

  @Field(() => [Int], { nullable: true, description: 'The source versions asked for; null = every version of `plan`.' })
  fromVersions!: number[] | null;

  @Field(() => String)
  toPlan!: string;

  @Field(() => Int)
  toVersion!: number;

  @Field(() => [ID], { nullable: true, description: 'The accounts named; null = every account on the source versions.' })
  accountIds!: string[] | null;

  @Field(() => PlanChangeTiming)
  effective!: keyof typeof PlanChangeTiming;

  @Field(() => String)
  reason!: string;

  @Field(() => String, { description: 'The API key that started it; every account\'s audit entry names it too.' })
  actor!: string;

  @Field(() => Int, { description: 'Accounts selected when it started (frozen then: accounts that join the plan later are not included).' })
  total!: number;

  @Field(() => Int, { description: 'Moved (NOW), or scheduled to move at their period end (PERIOD_END).' })
  migrated!: number;

  @Field(() => Int, { description: 'Left alone by a rule (pinned, already on the target, a change scheduled, canceling).' })
  skipped!: number;

  @Field(() => Int, { description: 'Changed or gone since the start, so not moved.' })
  failed!: number;

  @Field(() => Int, { description: 'Not reached yet: total - migrated - skipped - failed.' })
  pending!: number;

  @Field(() => String, { nullable: true, description: 'Why it stopped, when FAILED.' })
  error!: string | null;

  @Field(() => Date)
  startedAt!: Date;

  @Field(() => Date, { nullable: true })
  finishedAt!: Date | null;

  /** Needs `toPlanVersion` and its `plan` loaded. */
  static from(migration: PlanMigration): PlanMigrationType {
    return Object.assign(new PlanMigrationType(), {
      id: migration.id,
      status: migration.status,
      plan: migration.planKey,
      fromVersions: migration.fromVersions,
      toPlan: migration.toPlanVersion.plan.key,
      toVersion: migration.toPlanVersion.version,
      accountIds: migration.accountIds,
      effective: migration.effective,
      reason: migration.reason,
      actor: migration.actor,
      total: migration.total,
      migrated: migration.migrated,
      skipped: migration.skipped,
      failed: migration.failed,
      pending: migration.total - migration.migrated - migration.skipped - migration.failed,
      error: migration.error,
      startedAt: migration.startedAt,
      finishedAt: migration.finishedAt,
    });
  }
}
