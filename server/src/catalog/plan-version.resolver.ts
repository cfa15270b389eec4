import { Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { CatalogContext } from './catalog.context.js';
import { PlanVersionType } from './plan-version.type.js';

/** The fields of a plan version that are not in the version itself: who is on it now. */
@Resolver(() => PlanVersionType)
export class PlanVersionResolver {
  @FieldResolver(() => Int, {
    description:
      'Accounts whose subscription is on this version now (accounts without a subscription, on the default plan, are not counted): what a migration away from it would move.',
  })
  async subscriptionCount(@Root() version: PlanVersionType, @Ctx() ctx: CatalogContext): Promise<number> {
    return ctx.services.catalog.subscriptionCount(version.id);
  }
}
