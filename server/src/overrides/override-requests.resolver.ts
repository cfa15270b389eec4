import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { requirePermission } from '../access/index.js';
import { PageInfoType } from '../audit/index.js';
import { GrantOverrideInput } from './grant-override.input.js';
import {
  OverrideRequestConnectionType,
  OverrideRequestEdgeType,
  OverrideRequestStatus,
  OverrideRequestType,
} from './override-request.type.js';
import { encodeRequestCursor } from './overrides.service.js';
import type { OverridesContext } from './overrides.context.js';

/** GraphQL face of four-eyes approvals: one person requests an override, another approves or rejects it. */
@Resolver()
export class OverrideRequestsResolver {
  @Query(() => OverrideRequestConnectionType, {
    description: 'Override requests, newest first; `status: PENDING` is the approval queue. `first` 1-100 (default 20). Any operator, or an admin key.',
  })
  async overrideRequests(
    @Arg('status', () => OverrideRequestStatus, { nullable: true }) status: keyof typeof OverrideRequestStatus | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('accountId', () => ID, { nullable: true }) accountId: string | null,
    @Ctx() ctx: OverridesContext,
  ): Promise<OverrideRequestConnectionType> {
    requirePermission(ctx.principal, 'READ_OPERATIONS');
    const page = await ctx.services.overrides.requests({ status, first, after, accountId });
    const now = ctx.services.clock();
    const edges = page.requests.map((request) =>
      Object.assign(new OverrideRequestEdgeType(), { cursor: encodeRequestCursor(request), node: OverrideRequestType.from(request, now) }),
    );
    return Object.assign(new OverrideRequestConnectionType(), {
      edges,
      pageInfo: Object.assign(new PageInfoType(), { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null }),
    });
  }

  @Mutation(() => OverrideRequestType, {
    description:
      'Asks for an override that another person approves: any length, permanent included (grantOverride\'s input, without approvedBy). SUPPORT, BILLING or OWNER, or an admin key.',
  })
  async requestOverride(@Arg('input', () => GrantOverrideInput) input: GrantOverrideInput, @Ctx() ctx: OverridesContext): Promise<OverrideRequestType> {
    requirePermission(ctx.principal, 'REQUEST_OVERRIDE');
    return OverrideRequestType.from(await ctx.services.overrides.requestOverride(ctx.principal, input), ctx.services.clock());
  }

  @Mutation(() => OverrideRequestType, {
    description:
      'Approves a pending request: the override is granted now with you as approvedBy. Your own request: SELF_APPROVAL; decided already: OVERRIDE_REQUEST_DECIDED. BILLING or OWNER, or an admin key.',
  })
  async approveOverrideRequest(
    @Arg('id', () => ID) id: string,
    @Arg('note', () => String, { nullable: true }) note: string | null,
    @Ctx() ctx: OverridesContext,
  ): Promise<OverrideRequestType> {
    requirePermission(ctx.principal, 'APPROVE_OVERRIDE');
    return OverrideRequestType.from(await ctx.services.overrides.approveOverrideRequest(ctx.principal, { id, note }), ctx.services.clock());
  }

  @Mutation(() => OverrideRequestType, { description: 'Rejects a pending request with a reason; nothing is granted. BILLING or OWNER, or an admin key.' })
  async rejectOverrideRequest(
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String) reason: string,
    @Ctx() ctx: OverridesContext,
  ): Promise<OverrideRequestType> {
    requirePermission(ctx.principal, 'APPROVE_OVERRIDE');
    return OverrideRequestType.from(await ctx.services.overrides.rejectOverrideRequest(ctx.principal, { id, reason }), ctx.services.clock());
  }
}
