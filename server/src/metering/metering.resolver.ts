import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { requireAccountRead, requireBackend } from '../access/index.js';
import { ConsumeResultType } from './consume-result.type.js';
import { ConsumeInput } from './consume.input.js';
import { ReleaseInput } from './release.input.js';
import { ReportUsageResultType } from './report-usage-result.type.js';
import { SetUsageInput } from './set-usage.input.js';
import { UsageEventInput } from './usage-event.input.js';
import { UsageType } from './usage.type.js';
import type { MeteringContext } from './metering.context.js';

/** GraphQL face of metering: backends count, anyone allowed to read the account reads. */
@Resolver()
export class MeteringResolver {
  @Query(() => UsageType, { description: 'Used, limit and period of a feature. Any key, or a client token of this account.' })
  async usage(
    @Arg('accountId', () => ID) accountId: string,
    @Arg('feature', () => String) feature: string,
    @Ctx() ctx: MeteringContext,
  ): Promise<UsageType> {
    requireAccountRead(ctx.principal, accountId);
    return UsageType.from(await ctx.services.metering.usageOf(accountId, feature));
  }

  @Mutation(() => ConsumeResultType, {
    description:
      'Counts usage if the limit allows: an atomic check-and-increment that never passes a hard limit. Refused: ok false, nothing recorded. Server or admin key.',
  })
  async consume(@Arg('input', () => ConsumeInput) input: ConsumeInput, @Ctx() ctx: MeteringContext): Promise<ConsumeResultType> {
    requireBackend(ctx.principal);
    const outcome = await ctx.services.metering.consume(ctx.principal, input);
    return ConsumeResultType.from(outcome);
  }

  @Mutation(() => ConsumeResultType, { description: 'Gives units of a QUANTITY feature back (never below 0). Server or admin key.' })
  async release(@Arg('input', () => ReleaseInput) input: ReleaseInput, @Ctx() ctx: MeteringContext): Promise<ConsumeResultType> {
    requireBackend(ctx.principal);
    return ConsumeResultType.from(await ctx.services.metering.release(ctx.principal, input));
  }

  @Mutation(() => UsageType, { description: 'Sets the current period\'s counter to an exact value; audited. Server or admin key.' })
  async setUsage(@Arg('input', () => SetUsageInput) input: SetUsageInput, @Ctx() ctx: MeteringContext): Promise<UsageType> {
    requireBackend(ctx.principal);
    return UsageType.from(await ctx.services.metering.setUsage(ctx.principal, input));
  }

  @Mutation(() => ReportUsageResultType, {
    description: 'Records up to 10,000 usage events of METERED features, each with its own idempotency key; one result per event, in order. Server or admin key.',
  })
  async reportUsage(
    @Arg('events', () => [UsageEventInput]) events: UsageEventInput[],
    @Ctx() ctx: MeteringContext,
  ): Promise<ReportUsageResultType> {
    requireBackend(ctx.principal);
    return ReportUsageResultType.from(await ctx.services.metering.reportUsage(ctx.principal, events));
  }
}
