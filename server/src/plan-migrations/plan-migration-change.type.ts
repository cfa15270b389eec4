import { Field, ID, Int, ObjectType } from 'type-graphql';
import { MoneyType } from '../catalog/index.js';
import { Quantity } from '../validation/index.js';
import type { LimitChange, MigrationDiff } from './migration-diff.js';

/** GraphQL: one feature whose limit a migration changes. */
@ObjectType('PlanMigrationLimitChange')
export class PlanMigrationLimitChangeType {
  @Field(() => String, { description: 'The feature key.' })
  feature!: string;

  @Field(() => Quantity, { nullable: true, description: 'The limit now; null = unlimited.' })
  from!: number | null;

  @Field(() => Quantity, { nullable: true, description: 'The limit after the migration; null = unlimited.' })
  to!: number | null;

  @Field(() => Quantity, { description: 'Usage counted against the new limit when the change takes effect. It is kept even above a lower limit.' })
  used!: number;

  static from(change: LimitChange): PlanMigrationLimitChangeType {
    return Object.assign(new PlanMigrationLimitChangeType(), { feature: change.featureKey, from: change.from, to: change.to, used: change.used });
  }
}

/** GraphQL: what one account would see change, as the evaluator decides it before and after. */
@ObjectType('PlanMigrationChange')
export class PlanMigrationChangeType {
  @Field(() => ID)
  accountId!: string;

  @Field(() => Int, { description: 'The version of `plan` the account is on.' })
  fromVersion!: number;

  @Field(() => Int, { description: 'The version of `toPlan` it moves to.' })
  toVersion!: number;

  @Field(() => Date, { description: 'When the change takes effect for this account (now, or its period end); both sides are evaluated at this instant.' })
  effectiveAt!: Date;

  @Field(() => [String], { description: 'Feature keys the account would have (allowed, or at its limit) and has not now.' })
  featuresGained!: string[];

  @Field(() => [String], { description: 'Feature keys the account has now and would not have.' })
  featuresLost!: string[];

  @Field(() => [PlanMigrationLimitChangeType], { description: 'Features held before and after whose limit changes.' })
  limitChanges!: PlanMigrationLimitChangeType[];

  @Field(() => Boolean, {
    description: 'Usage above a new, lower limit: the usage is kept, and the feature says LIMIT_REACHED (used > limit) until units are released.',
  })
  wouldBeOverLimit!: boolean;

  @Field(() => [MoneyType], {
    description: 'The list price change per month (yearly prices divided by 12, rounded to the nearest minor unit), one per currency involved.',
  })
  priceChange!: MoneyType[];

  static from(diff: MigrationDiff): PlanMigrationChangeType {
    return Object.assign(new PlanMigrationChangeType(), {
      accountId: diff.accountId,
      fromVersion: diff.fromVersion.version,
      toVersion: diff.toVersion.version,
      effectiveAt: diff.effectiveAt,
      featuresGained: diff.featuresGained,
      featuresLost: diff.featuresLost,
      limitChanges: diff.limitChanges.map((change) => PlanMigrationLimitChangeType.from(change)),
      wouldBeOverLimit: diff.wouldBeOverLimit,
      priceChange: diff.priceChange.map((money) => MoneyType.from(money)),
    });
  }
}
