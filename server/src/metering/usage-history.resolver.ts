import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { requireAccountRead } from '../access/index.js';
import { UsageHistoryType } from './usage-history.type.js';
import type { UsageHistoryContext } from './usage-history.context.js';

/** GraphQL face of the usage ledger's daily read model (the console's usage chart). */
@Resolver()
export class UsageHistoryResolver {
  @Query(() => UsageHistoryType, {
    description:
      'An account\'s usage of a feature per UTC day over the last `days` days (1-90, default 30; today last), summed from the usage ledger: units counted (consume, reportUsage) and released. Any key, or a client token of this account.',
  })
  async usageHistory(
    @Arg('accountId', () => ID) accountId: string,
    @Arg('feature', () => String) feature: string,
    @Arg('days', () => Int, { defaultValue: 30 }) days: number,
    @Ctx() ctx: UsageHistoryContext,
  ): Promise<UsageHistoryType> {
    requireAccountRead(ctx.principal, accountId);
    return UsageHistoryType.from(accountId, feature, await ctx.services.usageHistory.daily(accountId, feature, days));
  }
}
