import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { PlanMigrationAccountType } from './plan-migration-account.type.js';
import { PlanMigrationChangeType } from './plan-migration-change.type.js';
import { PlanMigrationAccountConnectionType, PlanMigrationChangeConnectionType } from './plan-migration-connections.type.js';
import { PlanMigrationPreviewType } from './plan-migration-preview.type.js';
import type { PlanMigrationsContext } from './plan-migrations.context.js';

/**
 * The lists of a preview, paged in account id order. Only the admin key reaches a preview
 * (previewPlanMigration checks), so they check nothing more.
 */
@Resolver(() => PlanMigrationPreviewType)
export class PlanMigrationPreviewResolver {
  @FieldResolver(() => PlanMigrationChangeConnectionType, {
    description: 'The accounts that would move, each with what it would see change; `first` 1-1000 (default 50).',
  })
  async changes(
    @Root() root: PlanMigrationPreviewType,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: PlanMigrationsContext,
  ): Promise<PlanMigrationChangeConnectionType> {
    const page = await ctx.services.planMigrations.changes(root.preview, first, after);
    return PlanMigrationChangeConnectionType.from({ items: page.items.map((diff) => PlanMigrationChangeType.from(diff)), hasNextPage: page.hasNextPage });
  }

  @FieldResolver(() => PlanMigrationAccountConnectionType, {
    description: 'The selected accounts that would not move, with the reason (pinned accounts among them); `first` 1-1000 (default 50).',
  })
  async skippedAccounts(
    @Root() root: PlanMigrationPreviewType,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: PlanMigrationsContext,
  ): Promise<PlanMigrationAccountConnectionType> {
    const page = await ctx.services.planMigrations.skippedAccounts(root.preview, first, after);
    return PlanMigrationAccountConnectionType.from({ items: page.items.map((item) => PlanMigrationAccountType.from(item)), hasNextPage: page.hasNextPage });
  }
}
