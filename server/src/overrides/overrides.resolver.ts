import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { requirePermission } from '../access/index.js';
import { GrantOverrideInput } from './grant-override.input.js';
import { OverrideType } from './override.type.js';
import type { OverridesContext } from './overrides.context.js';

/** GraphQL face of overrides: admin keys only. */
@Resolver()
export class OverridesResolver {
  @Mutation(() => OverrideType, {
    description: 'Gives or takes away a feature, or changes its limit, for one account until endsAt. SUPPORT, BILLING or OWNER (within TOLLGATE_OVERRIDE_POLICY_DAYS), or an admin key.',
  })
  async grantOverride(@Arg('input', () => GrantOverrideInput) input: GrantOverrideInput, @Ctx() ctx: OverridesContext): Promise<OverrideType> {
    requirePermission(ctx.principal, 'GRANT_OVERRIDE');
    return OverrideType.from(await ctx.services.overrides.grantOverride(ctx.principal, input), ctx.services.clock());
  }

  @Mutation(() => OverrideType, { description: 'Stops an override now; it stays on record. SUPPORT, BILLING or OWNER (within TOLLGATE_OVERRIDE_POLICY_DAYS), or an admin key.' })
  async revokeOverride(
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String) reason: string,
    @Ctx() ctx: OverridesContext,
  ): Promise<OverrideType> {
    requirePermission(ctx.principal, 'GRANT_OVERRIDE');
    return OverrideType.from(await ctx.services.overrides.revokeOverride(ctx.principal, { id, reason }), ctx.services.clock());
  }
}
