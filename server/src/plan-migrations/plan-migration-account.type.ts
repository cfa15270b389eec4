import { Field, ID, Int, ObjectType } from 'type-graphql';
import { PlanMigrationOutcome, PlanMigrationReason } from './plan-migration.enums.js';
import type { MigrationAccount } from './plan-migrations.service.js';

/** GraphQL: one account a migration selected, and what it did (or, in a preview, would do) with it. */
@ObjectType('PlanMigrationAccount')
export class PlanMigrationAccountType {
  @Field(() => ID)
  accountId!: string;

  @Field(() => Int, { description: 'The version of `plan` it was on when selected.' })
  fromVersion!: number;

  @Field(() => PlanMigrationOutcome)
  outcome!: keyof typeof PlanMigrationOutcome;

  @Field(() => PlanMigrationReason, { nullable: true, description: 'Why it was skipped or failed; null otherwise.' })
  reason!: keyof typeof PlanMigrationReason | null;

  static from(account: MigrationAccount): PlanMigrationAccountType {
    return Object.assign(new PlanMigrationAccountType(), account);
  }
}

/** GraphQL: how many selected accounts a rule skips. */
@ObjectType('PlanMigrationSkipCount')
export class PlanMigrationSkipCountType {
  @Field(() => PlanMigrationReason)
  reason!: keyof typeof PlanMigrationReason;

  @Field(() => Int)
  accounts!: number;
}
