import { Field, Int, ObjectType } from 'type-graphql';
import { PlanChangeTiming } from '../accounts/index.js';
import { MoneyTotalType } from './money-total.type.js';
import { PlanMigrationSkipCountType } from './plan-migration-account.type.js';
import type { PlanMigrationPreview } from './plan-migrations.service.js';

/**
 * GraphQL: what a plan migration would do, computed without writing anything. Its lists
 * (`changes`, `skippedAccounts`) are resolved by PlanMigrationPreviewResolver from `preview`,
 * at the same instant and on the same catalog as the totals.
 */
@ObjectType('PlanMigrationPreview')
export class PlanMigrationPreviewType {
  @Field(() => String)
  plan!: string;

  @Field(() => [Int], { nullable: true, description: 'The source versions asked for; null = every version of `plan`.' })
  fromVersions!: number[] | null;

  @Field(() => String)
  toPlan!: string;

  @Field(() => Int, { description: 'The target version (the newest published one unless toVersion was given).' })
  toVersion!: number;

  @Field(() => PlanChangeTiming)
  effective!: keyof typeof PlanChangeTiming;

  @Field(() => Int, { description: 'Accounts the filters select: those on the source versions (and named, when accountIds is given).' })
  selected!: number;

  @Field(() => Int, { description: 'How many of them would move.' })
  accounts!: number;

  @Field(() => Int, { description: 'How many would not: selected - accounts (skippedByReason says why, skippedAccounts who).' })
  skipped!: number;

  @Field(() => [PlanMigrationSkipCountType])
  skippedByReason!: PlanMigrationSkipCountType[];

  @Field(() => [MoneyTotalType], {
    description:
      'The change in monthly recurring revenue, per currency: over the accounts that move and pay now (ACTIVE, or PAST_DUE in grace, not canceling), new minus old list price per month. Yearly prices count 1/12 a month; each total is rounded once, to the nearest minor unit (halves away from zero).',
  })
  monthlyRevenueChange!: MoneyTotalType[];

  /** Not a GraphQL field: what the list resolvers page through. */
  preview!: PlanMigrationPreview;

  static from(preview: PlanMigrationPreview): PlanMigrationPreviewType {
    return Object.assign(new PlanMigrationPreviewType(), {
      plan: preview.selection.planKey,
      fromVersions: preview.selection.fromVersions,
      toPlan: preview.selection.target.planKey,
      toVersion: preview.selection.target.version,
      effective: preview.selection.effective,
      selected: preview.selected,
      accounts: preview.accounts,
      skipped: preview.skipped,
      skippedByReason: preview.skippedByReason.map((count) => Object.assign(new PlanMigrationSkipCountType(), count)),
      monthlyRevenueChange: preview.monthlyRevenueChange.map((money) => MoneyTotalType.from(money)),
      preview,
    });
  }
}
