import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { requireBackend, requirePermission } from '../access/index.js';
import { CompareEntitlementInput } from './compare-entitlement.input.js';
import { CompareEntitlementsResultType } from './compare-entitlements-result.type.js';
import { ShadowComparisonType } from './shadow-comparison.type.js';
import { ShadowReportType } from './shadow-report.type.js';
import type { ShadowContext } from './shadow.context.js';

/**
 * GraphQL face of shadow mode. Backends compare (the host's server asks beside its legacy
 * check) and read the report (a deploy script may check agreement before the cut-over);
 * browsers do neither.
 */
@Resolver()
export class ShadowResolver {
  @Query(() => ShadowReportType, {
    description:
      'How often Tollgate agreed with the legacy check since `since` (all time when omitted), in total and per feature (only `feature` when given), with each feature\'s newest disagreements. Any operator, a server or admin key.',
  })
  async shadowReport(
    @Arg('since', () => Date, { nullable: true }) since: Date | null,
    @Arg('feature', () => String, { nullable: true }) feature: string | null,
    @Ctx() ctx: ShadowContext,
  ): Promise<ShadowReportType> {
    requirePermission(ctx.principal, 'READ');
    return ShadowReportType.from(await ctx.services.shadow.report({ since, feature }));
  }

  @Mutation(() => ShadowComparisonType, {
    description:
      'Decides as the entitlement query does and records whether the legacy answer agrees. Changes nothing else: no usage counted, no audit entry. Server or admin key.',
  })
  async compareEntitlement(
    @Arg('input', () => CompareEntitlementInput) input: CompareEntitlementInput,
    @Ctx() ctx: ShadowContext,
  ): Promise<ShadowComparisonType> {
    requireBackend(ctx.principal);
    return ShadowComparisonType.from(await ctx.services.shadow.compare(input));
  }

  @Mutation(() => CompareEntitlementsResultType, {
    description:
      'Up to 1,000 compareEntitlement inputs in one call (what the SDK\'s shadow helper sends); each fails alone with its code, in order. Server or admin key.',
  })
  async compareEntitlements(
    @Arg('inputs', () => [CompareEntitlementInput]) inputs: CompareEntitlementInput[],
    @Ctx() ctx: ShadowContext,
  ): Promise<CompareEntitlementsResultType> {
    requireBackend(ctx.principal);
    return CompareEntitlementsResultType.from(await ctx.services.shadow.compareMany(inputs));
  }
}
