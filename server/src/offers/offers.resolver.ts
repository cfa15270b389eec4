import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { requireAccountRead } from '../access/index.js';
import { Quantity } from '../validation/index.js';
import { UpgradeOfferType } from './upgrade-offer.type.js';
import type { OffersContext } from './offers.context.js';

/** GraphQL face of upgrade offers. */
@Resolver()
export class OffersResolver {
  @Query(() => [UpgradeOfferType], {
    description:
      'Every published plan (newest version) and add-on that would make this request allowed, cheapest first, exactly one recommended. Empty when the request is already allowed, and when nothing in the catalog would allow it. Any key, or a client token of this account.',
  })
  async upgradeOffers(
    @Arg('accountId', () => ID) accountId: string,
    @Arg('feature', () => String) feature: string,
    @Arg('amount', () => Quantity, { nullable: true }) amount: number | null,
    @Ctx() ctx: OffersContext,
  ): Promise<UpgradeOfferType[]> {
    requireAccountRead(ctx.principal, accountId);
    return (await ctx.services.offers.upgradeOffers(accountId, feature, amount)).map((offer) => UpgradeOfferType.from(offer));
  }
}
