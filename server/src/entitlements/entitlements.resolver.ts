import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { requireAccountRead } from '../access/index.js';
import { Quantity } from '../validation/index.js';
import { EntitlementType } from './entitlement.type.js';
import type { EntitlementsContext } from './entitlements.context.js';

/** GraphQL face of entitlements: the hottest read of every product that uses Tollgate. */
@Resolver()
export class EntitlementsResolver {
  @Query(() => EntitlementType, {
    description:
      'Whether the account may use the feature now (for `amount` more units, when given). Unknown account or feature: ACCOUNT_NOT_FOUND or UNKNOWN_FEATURE. Any key, or a client token of this account.',
  })
  async entitlement(
    @Arg('accountId', () => ID) accountId: string,
    @Arg('feature', () => String) feature: string,
    @Arg('amount', () => Quantity, { nullable: true }) amount: number | null,
    @Ctx() ctx: EntitlementsContext,
  ): Promise<EntitlementType> {
    requireAccountRead(ctx.principal, accountId);
    const checked = await ctx.services.entitlements.check(accountId, feature, amount);
    return EntitlementType.from(accountId, checked.feature, checked.decision, amount ?? null, checked.asOf);
  }

  @Query(() => [EntitlementType], { description: 'A decision for every feature in the catalog, by key.' })
  async entitlements(@Arg('accountId', () => ID) accountId: string, @Ctx() ctx: EntitlementsContext): Promise<EntitlementType[]> {
    requireAccountRead(ctx.principal, accountId);
    const checked = await ctx.services.entitlements.checkAll(accountId);
    return checked.map(({ feature, decision, asOf }) => EntitlementType.from(accountId, feature, decision, null, asOf));
  }
}
