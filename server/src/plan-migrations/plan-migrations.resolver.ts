import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requirePermission } from '../access/index.js';
import { PlanMigrationAccountType } from './plan-migration-account.type.js';
import { PlanMigrationAccountConnectionType } from './plan-migration-connections.type.js';
import { PlanMigrationOutcome } from './plan-migration.enums.js';
import { PlanMigrationInput } from './plan-migration.input.js';
import { PlanMigrationPreviewType } from './plan-migration-preview.type.js';
import { PlanMigrationType } from './plan-migration.type.js';
import type { PlanMigrationsContext } from './plan-migrations.context.js';

/** GraphQL face of plan migrations: preview, start and follow them. Admin key: they change what many accounts pay. */
@Resolver(() => PlanMigrationType)
export class PlanMigrationsResolver {
  @Query(() => PlanMigrationPreviewType, {
    description:
      'What a plan migration would do, writing nothing: how many accounts move, the monthly revenue change, and per account what it gains, loses and pays. Any operator, or an admin key.',
  })
  async previewPlanMigration(
    @Arg('input', () => PlanMigrationInput) input: PlanMigrationInput,
    @Ctx() ctx: PlanMigrationsContext,
  ): Promise<PlanMigrationPreviewType> {
    requirePermission(ctx.principal, 'READ_OPERATIONS');
    return PlanMigrationPreviewType.from(await ctx.services.planMigrations.preview(input));
  }

  @Query(() => PlanMigrationType, { nullable: true, description: 'A plan migration and its progress; null when unknown. Any operator, or an admin key.' })
  async planMigration(@Arg('id', () => ID) id: string, @Ctx() ctx: PlanMigrationsContext): Promise<PlanMigrationType | null> {
    requirePermission(ctx.principal, 'READ_OPERATIONS');
    const migration = await ctx.services.planMigrations.get(id);
    return migration ? PlanMigrationType.from(migration) : null;
  }

  @Query(() => [PlanMigrationType], {
    description: 'Plan migrations, newest first: what ran, who started it and why, and how far it got. `first` 1-100 (default 20). Any operator, or an admin key.',
  })
  async planMigrations(@Arg('first', () => Int, { nullable: true }) first: number | null, @Ctx() ctx: PlanMigrationsContext): Promise<PlanMigrationType[]> {
    requirePermission(ctx.principal, 'READ_OPERATIONS');
    return (await ctx.services.planMigrations.list(first)).map((migration) => PlanMigrationType.from(migration));
  }

  @Mutation(() => PlanMigrationType, {
    description:
      'Moves the selected accounts to the target version in batches of 500, one audit entry per account. Answers after the first batch (a migration of up to 500 accounts is COMPLETED by then); planMigration(id) follows the rest. Resumed after a crash; the same input again resumes an open migration, and a finished one moves nobody twice. PRICING or OWNER, or an admin key.',
  })
  async startPlanMigration(
    @Arg('input', () => PlanMigrationInput) input: PlanMigrationInput,
    @Arg('reason', () => String) reason: string,
    @Ctx() ctx: PlanMigrationsContext,
  ): Promise<PlanMigrationType> {
    requirePermission(ctx.principal, 'EDIT_CATALOG');
    return PlanMigrationType.from(await ctx.services.planMigrations.start(ctx.principal, { input, reason }));
  }

  @FieldResolver(() => PlanMigrationAccountConnectionType, {
    description: 'The selected accounts and what the migration did with each, in account id order; `first` 1-1000 (default 50).',
  })
  async accounts(
    @Root() migration: PlanMigrationType,
    @Arg('outcome', () => PlanMigrationOutcome, { nullable: true }) outcome: keyof typeof PlanMigrationOutcome | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: PlanMigrationsContext,
  ): Promise<PlanMigrationAccountConnectionType> {
    const page = await ctx.services.planMigrations.accounts(migration.id, outcome, first, after);
    return PlanMigrationAccountConnectionType.from({ items: page.items.map((item) => PlanMigrationAccountType.from(item)), hasNextPage: page.hasNextPage });
  }
}
