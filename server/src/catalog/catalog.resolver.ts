import { Arg, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import { requireAnyCredential, requirePermission } from '../access/index.js';
import { AddOnType } from './add-on.type.js';
import { CreateAddOnInput } from './create-add-on.input.js';
import { CreateFeatureInput } from './create-feature.input.js';
import { CreatePlanVersionInput } from './create-plan-version.input.js';
import { CreatePlanInput } from './create-plan.input.js';
import { FeatureType } from './feature.type.js';
import { PlanVersionType } from './plan-version.type.js';
import { PublishedPlanType } from './published-plan.type.js';
import { PlanType } from './plan.type.js';
import { UpdatePlanVersionInput } from './update-plan-version.input.js';
import type { CatalogContext } from './catalog.context.js';

/** GraphQL face of the catalog: the price list for anyone, full reads for backends, writes for admins. */
@Resolver()
export class CatalogResolver {
  @Query(() => [FeatureType], { description: 'Every feature in the catalog. Any operator, a server or admin key.' })
  async features(@Ctx() ctx: CatalogContext): Promise<FeatureType[]> {
    requirePermission(ctx.principal, 'READ');
    return (await ctx.services.catalog.listFeatures()).map((feature) => FeatureType.from(feature));
  }

  @Query(() => [PlanType], { description: 'Every plan with its versions, by rank. Any operator, a server or admin key.' })
  async plans(@Ctx() ctx: CatalogContext): Promise<PlanType[]> {
    requirePermission(ctx.principal, 'READ');
    return (await ctx.services.catalog.listPlans()).map((plan) => PlanType.from(plan));
  }

  @Query(() => [PublishedPlanType], {
    description:
      'The price list: every plan with a published version, as its newest published version (what new subscriptions get), by rank. No drafts. Any credential, client tokens included.',
  })
  async publishedPlans(@Ctx() ctx: CatalogContext): Promise<PublishedPlanType[]> {
    requireAnyCredential(ctx.principal);
    const { versions, features } = await ctx.services.catalog.listPublishedPlans();
    return versions.map((version) => PublishedPlanType.from(version, features));
  }

  @Query(() => [AddOnType], { description: 'Every add-on. Any operator, a server or admin key.' })
  async addOns(@Ctx() ctx: CatalogContext): Promise<AddOnType[]> {
    requirePermission(ctx.principal, 'READ');
    return (await ctx.services.catalog.listAddOns()).map((addOn) => AddOnType.from(addOn));
  }

  @Mutation(() => FeatureType, { description: 'Adds a feature to the catalog. PRICING or OWNER, or an admin key.' })
  async createFeature(@Arg('input', () => CreateFeatureInput) input: CreateFeatureInput, @Ctx() ctx: CatalogContext): Promise<FeatureType> {
    requirePermission(ctx.principal, 'EDIT_CATALOG');
    return FeatureType.from(await ctx.services.catalog.createFeature(ctx.principal, input));
  }

  @Mutation(() => PlanType, { description: 'Adds a plan (without versions yet). PRICING or OWNER, or an admin key.' })
  async createPlan(@Arg('input', () => CreatePlanInput) input: CreatePlanInput, @Ctx() ctx: CatalogContext): Promise<PlanType> {
    requirePermission(ctx.principal, 'EDIT_CATALOG');
    const plan = await ctx.services.catalog.createPlan(ctx.principal, input);
    return PlanType.from(plan);
  }

  @Mutation(() => PlanVersionType, { description: 'Creates the next version of a plan as a DRAFT. PRICING or OWNER, or an admin key.' })
  async createPlanVersion(
    @Arg('input', () => CreatePlanVersionInput) input: CreatePlanVersionInput,
    @Ctx() ctx: CatalogContext,
  ): Promise<PlanVersionType> {
    requirePermission(ctx.principal, 'EDIT_CATALOG');
    return PlanVersionType.from(await ctx.services.catalog.createPlanVersion(ctx.principal, input));
  }

  @Mutation(() => PlanVersionType, {
    description: 'Changes a DRAFT version. A published version is immutable (PLAN_VERSION_IMMUTABLE). PRICING or OWNER, or an admin key.',
  })
  async updatePlanVersion(
    @Arg('input', () => UpdatePlanVersionInput) input: UpdatePlanVersionInput,
    @Ctx() ctx: CatalogContext,
  ): Promise<PlanVersionType> {
    requirePermission(ctx.principal, 'EDIT_CATALOG');
    return PlanVersionType.from(await ctx.services.catalog.updatePlanVersion(ctx.principal, input));
  }

  @Mutation(() => PlanVersionType, {
    description: 'Publishes a DRAFT: new subscriptions get it; existing ones keep their version. PRICING or OWNER, or an admin key.',
  })
  async publishPlanVersion(
    @Arg('plan', () => String) plan: string,
    @Arg('version', () => Int) version: number,
    @Ctx() ctx: CatalogContext,
  ): Promise<PlanVersionType> {
    requirePermission(ctx.principal, 'EDIT_CATALOG');
    return PlanVersionType.from(await ctx.services.catalog.publishPlanVersion(ctx.principal, plan, version));
  }

  @Mutation(() => AddOnType, { description: 'Adds an add-on. PRICING or OWNER, or an admin key.' })
  async createAddOn(@Arg('input', () => CreateAddOnInput) input: CreateAddOnInput, @Ctx() ctx: CatalogContext): Promise<AddOnType> {
    requirePermission(ctx.principal, 'EDIT_CATALOG');
    return AddOnType.from(await ctx.services.catalog.createAddOn(ctx.principal, input));
  }
}
